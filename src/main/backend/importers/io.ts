/**
 * Reading files from disk for the importers: sizes checked against the budget before a byte is
 * read, and file-system and zlib failures turned into ImportErrors that name the file.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { budgetOf, checkBudget, type BudgetOptions } from './budget';
import { zlibError } from './compression';
import { ImportError } from './errors';

/** Any failure while reading `file` as an ImportError: file-system errors, zlib errors, the rest. */
export function asImportError(e: unknown, file: string, budgetBytes: number): ImportError {
  if (e instanceof ImportError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new ImportError(file, 'not-found', 'the file does not exist');
  if (code === 'EISDIR') return new ImportError(file, 'io-error', 'this is a folder, not a file');
  if (typeof code === 'string' && (code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE')) {
    return zlibError(e, file, budgetBytes, 'gzip');
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new ImportError(file, 'io-error', `the file cannot be read (${reason})`);
}

/** The size of the file at `path` in bytes. */
export async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return s.size;
  } catch (e) {
    throw asImportError(e, basename(path), 0);
  }
}

/**
 * The whole file at `path`, after checking its size against the budget: for the formats whose
 * readers work on bytes (.npy, PGM, IDX, MAT).
 */
export async function readBytes(path: string, opts?: BudgetOptions): Promise<Uint8Array> {
  const file = basename(path);
  const budget = budgetOf(opts);
  checkBudget(file, await fileSize(path), budget);
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw asImportError(e, file, budget);
  }
}

/** The first `n` bytes of the file at `path` (fewer when it is shorter). */
export async function readFileHead(path: string, file: string, n: number): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(n);
      const { bytesRead } = await handle.read(head, 0, n, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw asImportError(e, file, 0);
  }
}
