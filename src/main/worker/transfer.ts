/**
 * Large typed arrays reach a worker as files, not inside the job message: a structured clone of
 * a 439 MB matrix through the process channel took 14–18 s here (serialized, piped, parsed),
 * writing it to a file and reading it back a few seconds at most, and a file is written once for
 * any number of tasks (n_init runs, sweep points) that share the data. The backend replaces
 * such arrays by references (src/main/backend/jobs/transfer.ts); the worker puts them back.
 */
import { readFileSync } from 'node:fs';
import { TYPED as TYPES, typedName, type AnyTyped as AnyTypedArray, type TypedName } from '../../shared/wire';

export type ArrayTypeName = TypedName;

/** A typed array stored raw (host byte order) in a file. */
export interface FileArrayRef {
  $clusterscopeFile: string;
  type: ArrayTypeName;
  length: number;
}

export function isFileArrayRef(v: unknown): v is FileArrayRef {
  return typeof v === 'object' && v !== null && typeof (v as FileArrayRef).$clusterscopeFile === 'string';
}

export function arrayTypeName(a: ArrayBufferView): ArrayTypeName | null {
  return typedName(a);
}

/** Arrays read by this worker, by file: the tasks of one parallel job share their data. */
const cache = new Map<string, AnyTypedArray>();
const CACHE_ENTRIES = 2;

export function readArrayFile(ref: FileArrayRef): AnyTypedArray {
  const hit = cache.get(ref.$clusterscopeFile);
  if (hit && hit.length === ref.length) return hit;
  const Ctor = TYPES[ref.type];
  if (!Ctor) throw new Error(`unknown array type ${ref.type} in a job's data file`);
  const buf = readFileSync(ref.$clusterscopeFile);
  if (buf.byteLength !== ref.length * Ctor.BYTES_PER_ELEMENT) {
    throw new Error(`the job's data file ${ref.$clusterscopeFile} has ${buf.byteLength} bytes, not the ${ref.length} values announced`);
  }
  // A large file's Buffer owns its memory from offset 0; a misaligned one is copied.
  const aligned = buf.byteOffset % Ctor.BYTES_PER_ELEMENT === 0;
  const array = aligned
    ? new Ctor(buf.buffer, buf.byteOffset, ref.length)
    : new Ctor(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  cache.set(ref.$clusterscopeFile, array as AnyTypedArray);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return array as AnyTypedArray;
}

/** The task with every file reference replaced by its array (plain objects and arrays, a few levels deep). */
export function unpackTask<T>(task: T): T {
  return unpack(task, 0) as T;
}

function unpack(v: unknown, depth: number): unknown {
  if (isFileArrayRef(v)) return readArrayFile(v);
  if (depth > 5 || typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x) => unpack(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(v)) out[key] = unpack(x, depth + 1);
  return out;
}
