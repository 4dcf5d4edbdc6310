/**
 * Folders the browser host received by upload (`<input type=file webkitdirectory>`): the files
 * arrive in one request body (see FOLDER_UPLOAD_MAGIC) and are written, as they stream in, under
 * a fresh folder of the uploads area. The renderer refers to the folder by the id issued here;
 * every path in the body is checked to stay inside that folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FOLDER_UPLOAD_MAGIC } from '../../../shared/images';

export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    /** The HTTP status the host answers with. */
    readonly status: number = 400,
  ) {
    super(message);
  }
}

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

const MAX_PATH_BYTES = 1024;
const MAX_DEPTH = 12;

/**
 * A path inside an uploaded folder, made safe: '/'-separated segments, none empty, '.' or '..',
 * characters that some file systems refuse replaced by '_'.
 */
export function safeUploadPath(raw: string): string {
  if (raw.includes('\0')) throw new UploadError(`the path ${JSON.stringify(raw)} contains a NUL character`);
  const segments = raw.replace(/\\/g, '/').split('/');
  if (segments.length > MAX_DEPTH) throw new UploadError(`the path ${raw} is more than ${MAX_DEPTH} folders deep`);
  const out = segments.map((s) => {
    if (s === '' || s === '.' || s === '..') throw new UploadError(`the path ${JSON.stringify(raw)} has an empty, "." or ".." part`);
    return [...s].map((c) => (c.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(c) ? '_' : c)).join('').slice(0, 255);
  });
  return out.join('/');
}

export class FolderUploads {
  private readonly folders = new Map<string, { path: string; name: string }>();

  constructor(private readonly dir: string) {}

  /**
   * Reads a folder upload body from `body`, writing each file as it arrives. A body that breaks
   * the format or the limits is refused and what was written of it removed.
   */
  async receive(body: AsyncIterable<Uint8Array>, name: string, limits: UploadLimits): Promise<{ kind: 'upload'; id: string; name: string }> {
    const id = randomUUID();
    const root = join(this.dir, id);
    const folderName = safeUploadPath(name || 'folder').split('/').pop()!;
    mkdirSync(root, { recursive: true });
    try {
      const count = await writeRecords(body, root, limits);
      if (count === 0) throw new UploadError('the upload holds no files');
    } catch (e) {
      rmSync(root, { recursive: true, force: true });
      throw e;
    }
    // A browser sends a chosen folder's files under its name ("faces/a.png"): that folder is the one chosen.
    const entries = readdirSync(root, { withFileTypes: true });
    const top = entries.length === 1 && entries[0].isDirectory() ? entries[0].name : null;
    const folder = { path: top ? join(root, top) : root, name: top ?? folderName };
    this.folders.set(id, folder);
    return { kind: 'upload', id, name: folder.name };
  }

  resolve(id: string): { path: string; name: string } | undefined {
    return this.folders.get(id);
  }

  clear(): void {
    this.folders.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Parses the records of a body as its chunks arrive; returns the number of files written. */
async function writeRecords(body: AsyncIterable<Uint8Array>, root: string, limits: UploadLimits): Promise<number> {
  let total = 0, files = 0;
  let pending = new Uint8Array(0);
  let magicSeen = false;
  let current: { handle: FileHandle; left: number; path: string } | null = null;
  const seen = new Set<string>();
  try {
    for await (const raw of body) {
      total += raw.length;
      if (total > limits.maxBytes) throw new UploadError(`the folder is larger than the ${Math.round(limits.maxBytes / 1024 ** 2)} MiB upload limit`, 413);
      let chunk = pending.length ? concat(pending, raw) : raw;
      pending = new Uint8Array(0);
      while (chunk.length) {
        if (!magicSeen) {
          if (chunk.length < 4) break;
          if (new TextDecoder().decode(chunk.subarray(0, 4)) !== FOLDER_UPLOAD_MAGIC) throw new UploadError('not a folder upload (bad magic)');
          magicSeen = true;
          chunk = chunk.subarray(4);
          continue;
        }
        if (current) {
          const take = Math.min(current.left, chunk.length);
          await current.handle.write(chunk.subarray(0, take));
          current.left -= take;
          chunk = chunk.subarray(take);
          if (current.left === 0) {
            await current.handle.close();
            current = null;
          }
          continue;
        }
        const header = parseRecordHeader(chunk);
        if (!header) break;
        chunk = chunk.subarray(header.length);
        if (++files > limits.maxFiles) throw new UploadError(`the folder holds more than ${limits.maxFiles.toLocaleString('en-US')} files`, 413);
        const path = safeUploadPath(header.path);
        if (seen.has(path)) throw new UploadError(`the file ${path} appears twice`);
        seen.add(path);
        const target = join(root, ...path.split('/'));
        await mkdir(dirname(target), { recursive: true });
        const handle = await open(target, 'wx');
        if (header.size === 0) await handle.close();
        else current = { handle, left: header.size, path };
      }
      if (chunk.length) pending = chunk.slice();
    }
    if (!magicSeen) throw new UploadError('the upload is empty');
    if (current || pending.length) throw new UploadError(`the upload ends inside ${current ? current.path : 'a file header'}`);
    return files;
  } finally {
    await current?.handle.close().catch(() => {});
  }
}

/** A record header at the start of `b`, or null when more bytes are needed. */
function parseRecordHeader(b: Uint8Array): { path: string; size: number; length: number } | null {
  if (b.length < 4) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const nameLength = v.getUint32(0);
  if (nameLength === 0 || nameLength > MAX_PATH_BYTES) throw new UploadError(`a file path of ${nameLength} bytes (1..${MAX_PATH_BYTES} allowed)`);
  if (b.length < 12 + nameLength) return null;
  let path: string;
  try {
    path = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(4, 4 + nameLength));
  } catch {
    throw new UploadError('a file path is not valid UTF-8');
  }
  const size = v.getUint32(4 + nameLength) * 2 ** 32 + v.getUint32(8 + nameLength);
  if (!Number.isSafeInteger(size)) throw new UploadError(`the size of ${path} is not a number of bytes`);
  return { path, size, length: 12 + nameLength };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
