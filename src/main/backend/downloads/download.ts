/**
 * The one downloader of the app: a file is either there, complete and checked, or not there at
 * all. It streams into a temporary file beside its destination (with progress, an idle timeout,
 * a size cap and cancellation), checks the content (SHA-256 of the file, or the MD5 of its
 * gunzipped content), and only then renames it into place. Failures say what a person can do:
 * offline, the server's refusal, a file that is not the expected one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { DownloadSpec } from '../../../shared/images';

export type DownloadErrorCode = 'offline' | 'http' | 'checksum' | 'too-large' | 'cancelled' | 'io';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DownloadOptions {
  /** Bytes received so far and the total when known. */
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
  /** Give up when nothing arrives for this long (connecting included); default 30 s. */
  idleTimeoutMs?: number;
  /** Refuse bodies larger than this; default 1 GiB. */
  maxBytes?: number;
  /** The fetch to use (tests). */
  fetch?: typeof fetch;
}

/** Network failures that mean "no connection", by the code undici puts on the cause. */
const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE']);

/** The file's path in `dir`. */
export function downloadPath(dir: string, spec: DownloadSpec): string {
  return join(dir, spec.file);
}

/** True when the file is in `dir` and its content checks out. */
export async function isDownloaded(dir: string, spec: DownloadSpec): Promise<boolean> {
  const path = downloadPath(dir, spec);
  if (!existsSync(path)) return false;
  return (await verify(path, spec)) === null;
}

/**
 * Makes sure `spec.file` is in `dir`, downloading it from `spec.url` when it is missing or not the
 * expected file. Returns its path.
 */
export async function ensureDownloaded(dir: string, spec: DownloadSpec, opts: DownloadOptions = {}): Promise<string> {
  const dest = downloadPath(dir, spec);
  if (existsSync(dest) && (await verify(dest, spec)) === null) {
    opts.onProgress?.(spec.bytes ?? 0, spec.bytes ?? null);
    return dest;
  }
  return download(dir, spec, opts);
}

/** Downloads `spec` into `dir` (replacing what is there once the new file checks out). */
export async function download(dir: string, spec: DownloadSpec, opts: DownloadOptions = {}): Promise<string> {
  const dest = downloadPath(dir, spec);
  const host = hostOf(spec.url);
  mkdirSync(dir, { recursive: true });
  removeStaleParts(dir, spec.file);
  const tmp = join(dir, `${spec.file}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.part`);
  const maxBytes = opts.maxBytes ?? 1024 ** 3;
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  const abort = new AbortController();
  let idle: ReturnType<typeof setTimeout> | null = null;
  let timedOut = false;
  const touch = (): void => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, idleMs);
  };
  const onCancel = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onCancel);
  const why = (e: unknown): DownloadError => {
    if (e instanceof DownloadError) return e;
    if (opts.signal?.aborted) return new DownloadError('cancelled', `The download of ${spec.file} was cancelled`);
    if (timedOut) return new DownloadError('offline', `${host} did not answer for ${Math.round(idleMs / 1000)} s while sending ${spec.file}: check the internet connection and try again`);
    const code = causeCode(e);
    if (code && OFFLINE_CODES.has(code)) return offline(spec, host, code, e);
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return offline(spec, host, code ?? 'network error', e);
    return new DownloadError('io', `The download of ${spec.file} failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  };
  try {
    touch();
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(spec.url, { signal: abort.signal, redirect: 'follow' });
    } catch (e) {
      throw why(e);
    }
    if (!res.ok) {
      throw new DownloadError('http', `${host} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${spec.file} (${spec.url})`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) throw new DownloadError('too-large', `${spec.file} is ${declared} bytes, more than the ${maxBytes}-byte limit`);
    const total = Number.isFinite(declared) ? declared : (spec.bytes ?? null);
    const sha = createHash('sha256');
    const out = await open(tmp, 'w');
    let received = 0;
    try {
      if (!res.body) throw new DownloadError('http', `${host} sent no content for ${spec.file}`);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        received += chunk.length;
        if (received > maxBytes) throw new DownloadError('too-large', `${spec.file} is larger than the ${maxBytes}-byte limit`);
        sha.update(chunk);
        await out.write(chunk);
        opts.onProgress?.(received, total);
      }
      await out.sync();
    } catch (e) {
      throw why(e);
    } finally {
      await out.close();
    }
    if (Number.isFinite(declared) && received !== declared) {
      throw new DownloadError('offline', `The download of ${spec.file} broke off after ${received} of ${declared} bytes: try again`);
    }
    const problem = await verify(tmp, spec, sha.digest('hex'));
    if (problem) throw new DownloadError('checksum', `${spec.url} did not send the expected ${spec.file}: ${problem}. Nothing was kept.`);
    renameSync(tmp, dest);
    return dest;
  } catch (e) {
    throw why(e);
  } finally {
    if (idle) clearTimeout(idle);
    opts.signal?.removeEventListener('abort', onCancel);
    rmSync(tmp, { force: true });
  }
}

function offline(spec: DownloadSpec, host: string, code: string, cause: unknown): DownloadError {
  return new DownloadError(
    'offline',
    `Could not reach ${host} (${code}) to download ${spec.file}: this computer seems to be offline. It is downloaded once, on first use; connect to the internet and try again, or set CLUSTERSCOPE_DOWNLOAD_BASE to a mirror.`,
    { cause },
  );
}

/** Why the file at `path` is not `spec`'s, or null when it is. */
async function verify(path: string, spec: DownloadSpec, knownSha256?: string): Promise<string | null> {
  if (spec.sha256?.length) {
    const got = knownSha256 ?? (await digestFile(path, 'sha256', false));
    if (!spec.sha256.includes(got)) return `its SHA-256 is ${got}, expected ${spec.sha256.join(' or ')}`;
  }
  if (spec.gunzipMd5) {
    let got: string;
    try {
      got = await digestFile(path, 'md5', true);
    } catch (e) {
      return `it is not gzip data (${(e as Error).message})`;
    }
    if (got !== spec.gunzipMd5) return `the MD5 of its content is ${got}, expected ${spec.gunzipMd5}`;
  }
  return null;
}

async function digestFile(path: string, algorithm: 'sha256' | 'md5', gunzip: boolean): Promise<string> {
  const hash = createHash(algorithm);
  const source = createReadStream(path);
  if (gunzip) await pipeline(source, createGunzip(), hash);
  else await pipeline(source, hash);
  return hash.digest('hex');
}

/** Removes what killed downloads of `file` left behind (their process is gone). */
function removeStaleParts(dir: string, file: string): void {
  const prefix = `${file}.`;
  for (const name of readdirSync(dir)) {
    const m = name.startsWith(prefix) ? /^(\d+)-\w+\.part$/.exec(name.slice(prefix.length)) : null;
    if (m && !isAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function causeCode(e: unknown): string | null {
  for (let c: unknown = e, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
