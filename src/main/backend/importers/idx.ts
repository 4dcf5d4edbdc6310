/**
 * The IDX format of MNIST: a big-endian magic `00 00 TT DD` (TT the element type, DD the number
 * of dimensions), DD big-endian uint32 sizes, then the elements, big-endian. Files usually come
 * gzip-compressed; a gzip signature is recognised whatever the file is called.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { budgetOf, checkBudget, product, type BudgetOptions } from './budget';
import { gunzipCapped, isGzip } from './compression';
import { ImportError } from './errors';
import { asImportError, fileSize } from './io';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** The dimensions as the header states them, e.g. [60000, 28, 28]. */
  shape: number[];
  dtype: IdxDtype;
  /** Row-major (C order) elements in host byte order. */
  data: IdxData;
}

/** The IDX type codes (byte 2 of the magic) and their element types. */
const TYPES: Record<number, { dtype: IdxDtype; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

interface IdxHeader {
  dtype: IdxDtype;
  size: number;
  shape: number[];
  /** Bytes taken by the magic and the dimensions. */
  length: number;
  /** Bytes the elements take. */
  dataBytes: number;
}

/** Reads an IDX file, gunzipping it first (within the memory budget) when it is gzip data. */
export function readIdx(bytes: Uint8Array, file: string, opts?: BudgetOptions): IdxArray {
  const budget = budgetOf(opts);
  if (bytes.length === 0) throw new ImportError(file, 'empty-file', 'the file is empty');
  const raw = isGzip(bytes) ? gunzipCapped(bytes, file, budget) : bytes;
  const header = parseHeader(raw, file);
  if (header === null) throw new ImportError(file, 'truncated', 'the file ends inside the IDX header');
  const available = raw.length - header.length;
  checkLength(header, available, file);
  checkBudget(file, header.dataBytes, budget);
  const data = allocate(header);
  new Uint8Array(data.buffer).set(raw.subarray(header.length));
  toHostOrder(data, header.size);
  return { shape: header.shape, dtype: header.dtype, data };
}

/**
 * Reads an IDX file from disk as a stream, gunzipping on the fly. The buffer grows with the bytes
 * that really arrive, up to what the header declares (itself checked against the budget), and
 * reading stops as soon as more arrive than declared: a decompression bomb costs no more than that.
 */
export async function readIdxFile(path: string, opts?: BudgetOptions, onProgress?: (fraction: number) => void): Promise<IdxArray> {
  const file = basename(path);
  const budget = budgetOf(opts);
  const size = await fileSize(path);
  if (size === 0) throw new ImportError(file, 'empty-file', 'the file is empty');
  const gzipped = await startsWithGzip(path, file);
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gzipped ? source.pipe(createGunzip()) : source;
  let head: Uint8Array = new Uint8Array(0);
  let header: IdxHeader | null = null;
  let buf = new Uint8Array(0);
  let filled = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let rest: Uint8Array = chunk;
      if (header === null) {
        head = concat(head, chunk);
        header = parseHeader(head, file);
        if (header === null) continue;
        checkBudget(file, header.dataBytes, budget);
        rest = head.subarray(header.length);
      }
      if (filled + rest.length > header.dataBytes) {
        throw new ImportError(file, 'length-mismatch', `the data has more than the ${header.dataBytes} bytes that shape (${header.shape.join(', ')}) needs`);
      }
      if (filled + rest.length > buf.length) {
        const grown = new Uint8Array(Math.min(header.dataBytes, Math.max(filled + rest.length, 2 * buf.length, 1 << 20)));
        grown.set(buf.subarray(0, filled));
        buf = grown;
      }
      buf.set(rest, filled);
      filled += rest.length;
      onProgress?.(source.bytesRead / size);
    }
  } catch (e) {
    throw asImportError(e, file, budget);
  } finally {
    source.destroy();
    if (stream !== source) stream.destroy();
  }
  if (header === null) throw new ImportError(file, 'truncated', 'the file ends inside the IDX header');
  checkLength(header, filled, file);
  const data = allocate(header, buf.buffer);
  toHostOrder(data, header.size);
  return { shape: header.shape, dtype: header.dtype, data };
}

/** The header of `bytes`, or null when `bytes` ends before the header does. */
function parseHeader(bytes: Uint8Array, file: string): IdxHeader | null {
  if (bytes.length < 4) {
    if (bytes.length >= 1 && bytes[0] !== 0) throw badMagic(file);
    if (bytes.length >= 2 && bytes[1] !== 0) throw badMagic(file);
    return null;
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) throw badMagic(file);
  const type = TYPES[bytes[2]];
  if (type === undefined) {
    throw new ImportError(file, 'unsupported-dtype', `IDX element type 0x${bytes[2].toString(16).padStart(2, '0')} is not one of 08, 09, 0b, 0c, 0d, 0e`);
  }
  const nd = bytes[3];
  if (nd === 0) throw new ImportError(file, 'bad-header', 'the IDX header declares 0 dimensions');
  const length = 4 + 4 * nd;
  if (bytes.length < length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let k = 0; k < nd; k++) shape.push(view.getUint32(4 + 4 * k, false));
  return { dtype: type.dtype, size: type.size, shape, length, dataBytes: product(shape) * type.size };
}

function badMagic(file: string): ImportError {
  return new ImportError(file, 'bad-magic', 'not an IDX file: the magic number does not start with two zero bytes');
}

function checkLength(header: IdxHeader, available: number, file: string): void {
  const shape = `shape (${header.shape.join(', ')}) of ${header.dtype}`;
  if (available < header.dataBytes) {
    throw new ImportError(file, 'truncated', `${shape} needs ${header.dataBytes} data bytes but only ${available} follow the header`);
  }
  if (available > header.dataBytes) {
    throw new ImportError(file, 'length-mismatch', `${shape} needs ${header.dataBytes} data bytes but ${available} follow the header`);
  }
}

/** The typed array for `header`'s elements, new or over `buffer` (exactly `dataBytes` long). */
function allocate(header: IdxHeader, buffer: ArrayBuffer = new ArrayBuffer(header.dataBytes)): IdxData {
  switch (header.dtype) {
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
  }
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Swaps the big-endian elements filled into `data`'s bytes to host order, in place. */
function toHostOrder(data: IdxData, size: number): void {
  if (size === 1 || !LITTLE_ENDIAN_HOST) return;
  const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo];
      b[lo] = b[hi];
      b[hi] = t;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

async function startsWithGzip(path: string, file: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return isGzip(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw asImportError(e, file, 0);
  }
}
