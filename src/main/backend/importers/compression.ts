/**
 * zlib and gzip with an output cap: a few kilobytes can inflate to gigabytes (a decompression
 * bomb), so every inflate stops at the memory budget and every zlib failure becomes an ImportError.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { formatMiB } from './budget';
import { ImportError } from './errors';

/** True when `bytes` starts with the gzip signature 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses a gzip file (all members) into at most `maxBytes` bytes. */
export function gunzipCapped(bytes: Uint8Array, file: string, maxBytes: number): Uint8Array {
  return capped(() => gunzipSync(bytes, { maxOutputLength: maxBytes }), file, maxBytes, 'gzip');
}

/** Inflates a zlib stream (as in MATLAB's miCOMPRESSED) into at most `maxBytes` bytes. */
export function inflateCapped(bytes: Uint8Array, file: string, maxBytes: number, what = 'zlib'): Uint8Array {
  return capped(() => inflateSync(bytes, { maxOutputLength: maxBytes }), file, maxBytes, what);
}

function capped(run: () => Buffer, file: string, maxBytes: number, what: string): Uint8Array {
  try {
    const out = run();
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw zlibError(e, file, maxBytes, what);
  }
}

/** Maps an error from node:zlib to the ImportError that explains it. */
export function zlibError(e: unknown, file: string, maxBytes: number, what: string): ImportError {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new ImportError(file, 'too-large', `the ${what} data inflates to more than ${formatMiB(maxBytes)}, the memory budget`);
  }
  if (code === 'Z_BUF_ERROR') return new ImportError(file, 'truncated', `the ${what} data ends unexpectedly`);
  const reason = e instanceof Error ? e.message : String(e);
  return new ImportError(file, 'bad-compression', `the ${what} data is corrupt (${reason})`);
}
