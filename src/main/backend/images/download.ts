/**
 * A download that is either the expected file or nothing: fetched with a time limit and a size
 * limit, checked against its sha256, written under a temporary name and renamed into place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '../../../shared/api';

export interface DownloadOptions {
  /** Whole download, milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Refuse larger bodies (default 50 MB). */
  maxBytes?: number;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True when `path` exists and has the expected checksum. */
export function isVerified(path: string, expected: string): boolean {
  return existsSync(path) && sha256(readFileSync(path)) === expected;
}

function reason(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer in time';
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}

/**
 * Downloads `url` to `dest` unless `dest` already holds the expected file. `what` names the file
 * in messages. Throws an ApiError saying what went wrong: offline ('offline'), the server's
 * refusal ('download-failed'), or a file that is not the expected one ('checksum').
 */
export async function downloadVerified(url: string, dest: string, expected: string, what: string, opts: DownloadOptions = {}): Promise<string> {
  if (isVerified(dest, expected)) return dest;
  const maxBytes = opts.maxBytes ?? 50 * 1024 ** 2;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000), redirect: 'follow' });
  } catch (e) {
    throw new ApiError(
      `Could not download ${what} from ${url} (${reason(e)}). Check the internet connection, or open an image file instead.`,
      'offline',
    );
  }
  if (!res.ok) throw new ApiError(`Could not download ${what}: ${url} answered ${res.status} ${res.statusText}`.trim(), 'download-failed');
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new ApiError(`Could not download ${what}: it is ${declared} bytes, over the ${maxBytes}-byte limit`, 'download-failed');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new ApiError(`The download of ${what} from ${url} broke off (${reason(e)}); try again.`, 'offline');
  }
  if (bytes.byteLength > maxBytes) throw new ApiError(`Could not download ${what}: over the ${maxBytes}-byte limit`, 'download-failed');
  const got = sha256(bytes);
  if (got !== expected) {
    throw new ApiError(`${url} did not send the expected ${what}: its sha256 is ${got}, expected ${expected}. Nothing was kept.`, 'checksum');
  }
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.partial`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, dest);
  } finally {
    rmSync(tmp, { force: true });
  }
  return dest;
}
