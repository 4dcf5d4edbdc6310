/**
 * The SQLite header of a project as SQLite itself would see it, read without opening the
 * database: the main file's first 100 bytes, overridden by the newest committed copy of page 1
 * in the write-ahead log beside it, if any. Opening a database to look at its marks is not
 * harmless: when the last connection closes, SQLite checkpoints a pending WAL into the main
 * file. Reading the bytes ourselves lets the store refuse another application's file, or a
 * project of a newer version, without writing a single byte (https://sqlite.org/fileformat2.html).
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

export const SQLITE_MAGIC = 'SQLite format 3\u0000';
const WAL_MAGIC_LE = 0x377f0682;
const WAL_MAGIC_BE = 0x377f0683;
const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

export interface EffectiveHeader {
  /** The first 100 bytes of page 1 (fewer when the file is shorter), or null for an empty database. */
  bytes: Buffer | null;
  /** True when the bytes come from a committed frame of the WAL. */
  fromWal: boolean;
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let n = 0;
  while (n < length) {
    const got = readSync(fd, buf, n, length - n, position + n);
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/** SQLite's WAL checksum, continued from (s0, s1) over `data` read as 32-bit words. */
function walChecksum(data: Buffer, bigEndian: boolean, s: [number, number]): [number, number] {
  let [s0, s1] = s;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/**
 * The newest copy of page 1 among the committed frames of `walPath`, or null when the log is
 * absent, invalid or holds no committed page 1. A frame counts only if its salts match the
 * log's header and the running checksum is intact up to it, and only frames up to the last
 * commit frame count: exactly what SQLite replays.
 */
export function committedPageOne(walPath: string): Buffer | null {
  if (!existsSync(walPath)) return null;
  const fd = openSync(walPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const header = readAt(fd, WAL_HEADER_BYTES, 0);
    if (header.length < WAL_HEADER_BYTES) return null;
    const magic = header.readUInt32BE(0);
    if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) return null;
    const bigEndian = magic === WAL_MAGIC_BE;
    const pageSize = header.readUInt32BE(8) === 1 ? 65536 : header.readUInt32BE(8);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
    let sum = walChecksum(header.subarray(0, 24), bigEndian, [0, 0]);
    if (sum[0] !== header.readUInt32BE(24) || sum[1] !== header.readUInt32BE(28)) return null;
    const salt1 = header.readUInt32BE(16), salt2 = header.readUInt32BE(20);

    let pending: Buffer | null = null;
    let committed: Buffer | null = null;
    for (let at = WAL_HEADER_BYTES; at + FRAME_HEADER_BYTES + pageSize <= size; at += FRAME_HEADER_BYTES + pageSize) {
      const frame = readAt(fd, FRAME_HEADER_BYTES + pageSize, at);
      if (frame.length < FRAME_HEADER_BYTES + pageSize) break;
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break;
      sum = walChecksum(frame.subarray(0, 8), bigEndian, sum);
      sum = walChecksum(frame.subarray(FRAME_HEADER_BYTES), bigEndian, sum);
      if (sum[0] !== frame.readUInt32BE(16) || sum[1] !== frame.readUInt32BE(20)) break;
      if (frame.readUInt32BE(0) === 1) pending = Buffer.from(frame.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + 100));
      if (frame.readUInt32BE(4) !== 0) committed = pending ?? committed;
    }
    return committed;
  } finally {
    closeSync(fd);
  }
}

/** The header SQLite would read for the database at `path` (see the module comment). */
export function effectiveHeader(path: string): EffectiveHeader {
  const fromWal = committedPageOne(`${path}-wal`);
  if (fromWal) return { bytes: fromWal, fromWal: true };
  const fd = openSync(path, 'r');
  try {
    const bytes = readAt(fd, 100, 0);
    return { bytes: bytes.length === 0 ? null : bytes, fromWal: false };
  } finally {
    closeSync(fd);
  }
}
