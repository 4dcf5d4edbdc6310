/**
 * The backend's half of src/main/worker/transfer.ts: typed arrays of a task above
 * FILE_TRANSFER_MIN_BYTES are written to files in a private temp folder and replaced by
 * references; the files go when the job ends.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arrayTypeName, isFileArrayRef, type FileArrayRef } from '../../worker/transfer';

/** Smaller arrays go in the message: below this, a file costs more than it saves. */
export const FILE_TRANSFER_MIN_BYTES = 8 * 1024 * 1024;

let dir: string | null = null;

function transferDir(): string {
  if (!dir) {
    dir = join(tmpdir(), `clusterscope-jobs-${process.pid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  return dir;
}

/** Writes `a` to a new file and returns its reference. */
export function writeArrayFile(a: ArrayBufferView): FileArrayRef {
  const type = arrayTypeName(a);
  if (!type) throw new Error('only typed arrays can be written to a job file');
  const file = join(transferDir(), `${randomUUID()}.bin`);
  writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength), { mode: 0o600 });
  return { $clusterscopeFile: file, type, length: a.byteLength / (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT };
}

/** The task with its large typed arrays replaced by file references, and the files written. */
export function packTask<T>(task: T): { task: T; files: string[] } {
  const files: string[] = [];
  const pack = (v: unknown, depth: number): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView) && v.byteLength >= FILE_TRANSFER_MIN_BYTES) {
      const ref = writeArrayFile(v);
      files.push(ref.$clusterscopeFile);
      return ref;
    }
    if (depth > 5 || typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || isFileArrayRef(v)) return v;
    if (Array.isArray(v)) return v.map((x) => pack(x, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(v)) out[key] = pack(x, depth + 1);
    return out;
  };
  const packed = pack(task, 0) as T;
  return { task: files.length ? packed : task, files };
}

export function removeFiles(files: readonly string[]): void {
  for (const f of files) rmSync(f, { force: true });
}
