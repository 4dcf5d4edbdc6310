/**
 * Minimal writers of the formats the importers read, for round-trip tests and as valid seeds for
 * fuzzing. They write the plain, common form of each format (the readers' tests cover the rest
 * with fixtures made by numpy and scipy).
 */
import { deflateSync, gzipSync } from 'node:zlib';
import type { Matrix } from '../../../../src/core/math/matrix';

/** Test fixtures written by tools (see test/fixtures/files/make_fixtures.py). */
export const FIXTURES = new URL('../../../fixtures/files/', import.meta.url).pathname;
/** The shared real datasets beside the repository. */
export const SHARED_DATA = new URL('../../../../../shared/data/', import.meta.url).pathname;

/** CSV text of a matrix, numbers in their shortest round-trip form, with a header `x0,x1,...`. */
export function writeCsv(m: Matrix, opts: { delimiter?: string; header?: boolean; eol?: string; labels?: string[] } = {}): string {
  const d = opts.delimiter ?? ',';
  const eol = opts.eol ?? '\n';
  const lines: string[] = [];
  if (opts.header ?? true) {
    const names = Array.from({ length: m.cols }, (_, j) => `x${j}`);
    if (opts.labels) names.push('label');
    lines.push(names.join(d));
  }
  for (let i = 0; i < m.rows; i++) {
    const cells = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (v) => String(v));
    if (opts.labels) cells.push(quoteField(opts.labels[i], d));
    lines.push(cells.join(d));
  }
  return lines.join(eol) + eol;
}

/** A field quoted when it holds a delimiter, a quote or a line break. */
export function quoteField(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A binary (P5) or plain (P2) PGM. */
export function writePgm(width: number, height: number, maxval: number, pixels: ArrayLike<number>, plain = false): Uint8Array {
  const header = new TextEncoder().encode(`${plain ? 'P2' : 'P5'}\n${width} ${height}\n${maxval}\n`);
  if (plain) {
    const rows: string[] = [];
    for (let i = 0; i < height; i++) rows.push(Array.from({ length: width }, (_, j) => pixels[i * width + j]).join(' '));
    return concat([header, new TextEncoder().encode(rows.join('\n') + '\n')]);
  }
  const size = maxval > 255 ? 2 : 1;
  const body = new Uint8Array(width * height * size);
  for (let i = 0; i < width * height; i++) {
    if (size === 1) body[i] = pixels[i];
    else {
      body[2 * i] = pixels[i] >> 8;
      body[2 * i + 1] = pixels[i] & 0xff;
    }
  }
  return concat([header, body]);
}

const IDX_TYPES = { uint8: [0x08, 1], int8: [0x09, 1], int16: [0x0b, 2], int32: [0x0c, 4], float32: [0x0d, 4], float64: [0x0e, 8] } as const;

/** An IDX file (big-endian), gzipped when asked. */
export function writeIdx(shape: number[], dtype: keyof typeof IDX_TYPES, values: ArrayLike<number>, gzip = false): Uint8Array {
  const [code, size] = IDX_TYPES[dtype];
  const out = new Uint8Array(4 + 4 * shape.length + values.length * size);
  const v = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, k) => v.setUint32(4 + 4 * k, d, false));
  const o = 4 + 4 * shape.length;
  for (let i = 0; i < values.length; i++) {
    const at = o + i * size;
    if (dtype === 'uint8') v.setUint8(at, values[i]);
    else if (dtype === 'int8') v.setInt8(at, values[i]);
    else if (dtype === 'int16') v.setInt16(at, values[i], false);
    else if (dtype === 'int32') v.setInt32(at, values[i], false);
    else if (dtype === 'float32') v.setFloat32(at, values[i], false);
    else v.setFloat64(at, values[i], false);
  }
  return gzip ? new Uint8Array(gzipSync(out)) : out;
}

/** A MAT variable to write: its element type as a mi code and the column-major values. */
export interface MatWriteVar {
  name: string;
  dims: number[];
  /** mxCLASS code: 6 double, 7 single, 8 int8, 9 uint8, 10 int16, 11 uint16, 12 int32, 13 uint32. */
  classCode: number;
  /** miTYPE code of the stored data: 1 int8, 2 uint8, 3 int16, 4 uint16, 5 int32, 6 uint32, 7 single, 9 double. */
  miType: number;
  values: ArrayLike<number>;
}

const MI_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8 };

/** A level 5 MAT-file of numeric variables, in either byte order, each optionally compressed. */
export function writeMat(vars: MatWriteVar[], opts: { bigEndian?: boolean; compress?: boolean } = {}): Uint8Array {
  const le = !opts.bigEndian;
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(128);
  header.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, written by the Clusterscope tests'.padEnd(116, ' ')));
  new DataView(header.buffer).setUint16(124, 0x0100, le);
  header.set(new TextEncoder().encode(le ? 'IM' : 'MI'), 126);
  parts.push(header);
  for (const x of vars) {
    const size = MI_SIZES[x.miType];
    const data = new Uint8Array(x.values.length * size);
    const dv = new DataView(data.buffer);
    for (let i = 0; i < x.values.length; i++) {
      const at = i * size, val = x.values[i];
      if (x.miType === 1) dv.setInt8(at, val);
      else if (x.miType === 2) dv.setUint8(at, val);
      else if (x.miType === 3) dv.setInt16(at, val, le);
      else if (x.miType === 4) dv.setUint16(at, val, le);
      else if (x.miType === 5) dv.setInt32(at, val, le);
      else if (x.miType === 6) dv.setUint32(at, val, le);
      else if (x.miType === 7) dv.setFloat32(at, val, le);
      else dv.setFloat64(at, val, le);
    }
    const flags = new Uint8Array(8);
    new DataView(flags.buffer).setUint32(0, x.classCode, le);
    const dims = new Uint8Array(4 * x.dims.length);
    x.dims.forEach((d, k) => new DataView(dims.buffer).setInt32(4 * k, d, le));
    const body = concat([element(6, flags, le), element(5, dims, le), element(1, new TextEncoder().encode(x.name), le), element(x.miType, data, le)]);
    const matrix = element(14, body, le);
    parts.push(opts.compress ? element(15, new Uint8Array(deflateSync(matrix)), le, false) : matrix);
  }
  return concat(parts);
}

/** A data element: tag and data padded to 8 bytes (compressed data is not padded). */
function element(type: number, data: Uint8Array, le: boolean, pad = true): Uint8Array {
  const padding = pad ? (8 - (data.length % 8)) % 8 : 0;
  const out = new Uint8Array(8 + data.length + padding);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, data.length, le);
  out.set(data, 8);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
