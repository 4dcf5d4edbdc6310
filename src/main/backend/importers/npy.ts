/**
 * NumPy's `.npy` format (versions 1.0, 2.0 and 3.0): a magic string, a little-endian header
 * length, a Python-literal header dict `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`
 * and the raw array bytes. The dict is read by a small strict literal parser, never evaluated.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Matrix } from '../../../core/math/matrix';
import { budgetOf, checkBudget, fromDiskOffer, product, type BudgetOptions } from './budget';
import { ImportError } from './errors';
import { asImportError, fileSize, readFileHead } from './io';

export interface NpyArray {
  /** Row-major; a 1-D array of n values becomes (n, 1). Float32 data stays Float32Array. */
  matrix: Matrix;
  /** The dtype as the header states it, e.g. `<f8`, `>i4`, `|u1`. */
  dtype: string;
  fortranOrder: boolean;
  /** The shape as the header states it: `[n]` or `[rows, cols]`. */
  shape: number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy itself refuses headers over 10,000 bytes unless told otherwise; allow some slack. */
const MAX_HEADER_BYTES = 65_536;
/** Bytes that always hold the preamble (up to 12 bytes) and the longest header allowed. */
export const NPY_HEAD_BYTES = 12 + MAX_HEADER_BYTES;
/** Nesting depth of the header literal: a real header needs 2 (dict, shape tuple). */
const MAX_LITERAL_DEPTH = 8;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An element type of the file, decoded from 'descr'. */
export interface NpyDtype {
  kind: 'f' | 'i' | 'u' | 'b';
  size: 1 | 2 | 4 | 8;
  littleEndian: boolean;
}

/** Where a `.npy` file's array lies and how to decode it, from its preamble and header. */
export interface NpyLayout {
  /** The dtype as the header states it, e.g. `<f8`. */
  descr: string;
  fortranOrder: boolean;
  /** The shape as the header states it: `[n]` or `[rows, cols]`. */
  shape: number[];
  rows: number;
  cols: number;
  /** Byte offset of the first element. */
  dataOffset: number;
  /** Bytes per element in the file. */
  itemBytes: number;
  /** Bytes per element once decoded: 4 for float32 (kept as Float32Array), else 8. */
  outBytes: 4 | 8;
  /** True when the file stores a (rows > 1, cols > 1) array column by column. */
  columnMajor: boolean;
  /** @internal the decoded dtype */
  dtype: NpyDtype;
}

/**
 * The layout of a `.npy` file from its first bytes (`head`, at least the preamble and the header:
 * 65,546 bytes always suffice) and its total length `fileBytes`, which the data must match
 * exactly. Throws the same ImportErrors as {@link readNpy}.
 */
export function readNpyHeader(head: Uint8Array, file: string, fileBytes: number = head.length): NpyLayout {
  if (fileBytes === 0 || head.length === 0) throw new ImportError(file, 'empty-file', 'the file is empty');
  for (let i = 0; i < MAGIC.length; i++) {
    if (head[i] !== MAGIC[i]) {
      throw new ImportError(file, 'bad-magic', 'not a .npy file: it does not start with "\\x93NUMPY"');
    }
  }
  if (head.length < 10) throw new ImportError(file, 'truncated', 'the file ends inside the .npy preamble');
  const major = head[6], minor = head[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new ImportError(file, 'unsupported-version', `.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (head.length < 8 + lengthBytes) throw new ImportError(file, 'truncated', 'the file ends inside the .npy preamble');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new ImportError(file, 'bad-header', `the header claims ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} a .npy header may have`);
  }
  if (headerStart + headerLength > head.length) {
    throw new ImportError(file, 'truncated', `the header claims ${headerLength} bytes but only ${head.length - headerStart} follow`);
  }
  const headerText = decodeHeader(head.subarray(headerStart, headerStart + headerLength), major, file);
  const { descr, fortranOrder, shape } = parseHeader(headerText, file);
  const dtype = parseDtype(descr, file);

  if (shape.length === 0 || shape.length > 2) {
    throw new ImportError(file, 'unsupported-shape', `a ${shape.length}-D array of shape (${shape.join(', ')}) cannot be read as a table; save it as 1-D or 2-D`);
  }
  const rows = shape[0];
  const cols = shape.length === 2 ? shape[1] : 1;
  const dataOffset = headerStart + headerLength;
  const available = fileBytes - dataOffset;
  const needed = product(shape) * dtype.size;
  if (needed > available) {
    throw new ImportError(file, 'truncated', `shape (${shape.join(', ')}) of ${descr} needs ${needed} data bytes but only ${available} follow the header`);
  }
  if (needed < available) {
    throw new ImportError(file, 'length-mismatch', `shape (${shape.join(', ')}) of ${descr} needs ${needed} data bytes but ${available} follow the header`);
  }
  return {
    descr,
    fortranOrder,
    shape,
    rows,
    cols,
    dataOffset,
    itemBytes: dtype.size,
    outBytes: dtype.kind === 'f' && dtype.size === 4 ? 4 : 8,
    columnMajor: fortranOrder && shape.length === 2 && rows > 1 && cols > 1,
    dtype,
  };
}

/**
 * Reads a `.npy` file holding a 1-D or 2-D numeric array. Every length the header claims is
 * checked against the bytes that follow it before anything is allocated.
 */
export function readNpy(bytes: Uint8Array, file: string, opts?: BudgetOptions): NpyArray {
  const budget = budgetOf(opts);
  const layout = readNpyHeader(bytes, file);
  const { rows, cols, shape, columnMajor } = layout;
  const count = rows * cols;
  const outBytes = count * layout.outBytes;
  checkBudget(file, columnMajor ? 2 * outBytes : outBytes, budget, fromDiskOffer(file));

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let data = convert(bytes.subarray(layout.dataOffset), view, layout.dataOffset, count, layout.dtype);
  if (columnMajor) data = transpose(data, rows, cols);
  return { matrix: { rows, cols, data }, dtype: layout.descr, fortranOrder: layout.fortranOrder, shape };
}

/**
 * Reads the `.npy` file at `path`: its header first, so that an array declared larger than the
 * budget is refused (with the offer to fit it from disk) before the file is read.
 */
export async function readNpyFile(path: string, opts?: BudgetOptions): Promise<NpyArray> {
  const file = basename(path);
  const budget = budgetOf(opts);
  const size = await fileSize(path);
  const layout = readNpyHeader(await readFileHead(path, file, NPY_HEAD_BYTES), file, size);
  const outBytes = layout.rows * layout.cols * layout.outBytes;
  checkBudget(file, layout.columnMajor ? 2 * outBytes : outBytes, budget, fromDiskOffer(file));
  let bytes: Uint8Array;
  try {
    const buf = await readFile(path);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw asImportError(e, file, budget);
  }
  return readNpy(bytes, file, { budgetBytes: budget });
}

/**
 * Decodes `nRows` whole rows of the array described by `layout` from `raw`, their bytes as the
 * file stores them: row after row, or for a column-major array, the `nRows` values of each
 * column one column after another. Returns them row-major, (nRows, cols).
 */
export function decodeNpyRows(raw: Uint8Array, layout: NpyLayout, nRows: number): Float64Array | Float32Array {
  const count = nRows * layout.cols;
  if (raw.length < count * layout.itemBytes) throw new RangeError(`decodeNpyRows: ${raw.length} bytes hold fewer than ${nRows} rows`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = convert(raw, view, 0, count, layout.dtype);
  return layout.columnMajor ? transpose(data, nRows, layout.cols) : data;
}

/**
 * A version 1.0 `.npy` file of `m`: dtype `<f8` for Float64Array data, `<f4` for Float32Array,
 * C order, header padded so that the data starts on a 64-byte boundary as numpy does.
 */
export function writeNpy(m: Matrix): Uint8Array {
  const descr = m.data instanceof Float32Array ? '<f4' : '<f8';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const unpadded = 10 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = dict + ' '.repeat(padding) + '\n';
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), start);
  } else {
    const size = m.data.BYTES_PER_ELEMENT;
    for (let i = 0; i < m.data.length; i++) {
      if (size === 4) view.setFloat32(start + 4 * i, m.data[i], true);
      else view.setFloat64(start + 8 * i, m.data[i], true);
    }
  }
  return out;
}

function decodeHeader(raw: Uint8Array, major: number, file: string): string {
  if (major === 3) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new ImportError(file, 'bad-header', 'the version 3.0 header is not valid UTF-8');
    }
  }
  let s = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] >= 0x80) throw new ImportError(file, 'bad-header', `the header has a non-ASCII byte 0x${raw[i].toString(16)} at offset ${i}`);
    s += String.fromCharCode(raw[i]);
  }
  return s;
}

function parseHeader(text: string, file: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const dict = new LiteralParser(text, file).parseDocument();
  if (!(dict instanceof Map)) throw new ImportError(file, 'bad-header', 'the header is not a dict');
  const keys = [...dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') {
    throw new ImportError(file, 'bad-header', `the header dict has keys {${keys}}, expected {descr, fortran_order, shape}`);
  }
  const descr = dict.get('descr');
  const fortranOrder = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (Array.isArray(descr)) {
    throw new ImportError(file, 'unsupported-dtype', 'structured (record) dtypes are not supported: save a plain numeric array');
  }
  if (typeof descr !== 'string') throw new ImportError(file, 'bad-header', "'descr' is not a string");
  if (typeof fortranOrder !== 'boolean') throw new ImportError(file, 'bad-header', "'fortran_order' is not True or False");
  if (!(shape instanceof Tuple) || !shape.items.every((d) => typeof d === 'number')) {
    throw new ImportError(file, 'bad-header', "'shape' is not a tuple of integers");
  }
  return { descr, fortranOrder, shape: shape.items as number[] };
}

const UNSUPPORTED_KINDS: Record<string, string> = {
  O: 'Python objects',
  U: 'unicode strings',
  S: 'byte strings',
  a: 'byte strings',
  V: 'raw records',
  c: 'complex numbers',
  M: 'datetimes',
  m: 'timedeltas',
};

function parseDtype(descr: string, file: string): NpyDtype {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (m && UNSUPPORTED_KINDS[m[2]]) {
    throw new ImportError(file, 'unsupported-dtype', `dtype '${descr}' (${UNSUPPORTED_KINDS[m[2]]}) is not supported: save a numeric array`);
  }
  if (!m) {
    const what = descr.startsWith('|O') || descr === 'O' ? `dtype '${descr}' (Python objects)` : `dtype '${descr}'`;
    throw new ImportError(file, 'unsupported-dtype', `${what} is not supported: save a numeric array`);
  }
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const known =
    (kind === 'f' && (size === 2 || size === 4 || size === 8)) ||
    ((kind === 'i' || kind === 'u') && (size === 1 || size === 2 || size === 4 || size === 8)) ||
    (kind === 'b' && size === 1);
  if (!known) throw new ImportError(file, 'unsupported-dtype', `dtype '${descr}' is not supported`);
  // '|' ("not applicable") is only meaningful for one-byte types; '=' (native) never appears in
  // files numpy writes, which always state the byte order.
  if (order === '=' || (order === '|' && size !== 1)) {
    throw new ImportError(file, 'bad-header', `dtype '${descr}' does not state a byte order`);
  }
  return { kind: kind as NpyDtype['kind'], size: size as NpyDtype['size'], littleEndian: order !== '>' };
}

function convert(raw: Uint8Array, view: DataView, offset: number, count: number, t: NpyDtype): Float64Array | Float32Array {
  if (t.kind === 'f' && t.size === 4) {
    const out = new Float32Array(count);
    if (t.littleEndian === LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(raw.subarray(0, count * 4));
    else for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, t.littleEndian);
    return out;
  }
  const out = new Float64Array(count);
  const le = t.littleEndian;
  if (t.kind === 'f' && t.size === 8) {
    if (le === LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(raw.subarray(0, count * 8));
    else for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, le);
  } else if (t.kind === 'f') {
    for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(offset + 2 * i, le));
  } else if (t.kind === 'b') {
    for (let i = 0; i < count; i++) out[i] = raw[i] === 0 ? 0 : 1;
  } else if (t.size === 1) {
    if (t.kind === 'u') for (let i = 0; i < count; i++) out[i] = raw[i];
    else for (let i = 0; i < count; i++) out[i] = view.getInt8(offset + i);
  } else if (t.size === 2) {
    if (t.kind === 'u') for (let i = 0; i < count; i++) out[i] = view.getUint16(offset + 2 * i, le);
    else for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, le);
  } else if (t.size === 4) {
    if (t.kind === 'u') for (let i = 0; i < count; i++) out[i] = view.getUint32(offset + 4 * i, le);
    else for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, le);
  } else {
    // 64-bit integers: the two halves as plain numbers, exact up to 2^53 like numpy's float().
    const lo = le ? 0 : 4, hi = le ? 4 : 0;
    for (let i = 0; i < count; i++) {
      const p = offset + 8 * i;
      const high = t.kind === 'u' ? view.getUint32(p + hi, le) : view.getInt32(p + hi, le);
      out[i] = high * 4294967296 + view.getUint32(p + lo, le);
    }
  }
  return out;
}

/** IEEE 754 binary16 to a number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Column-major (rows, cols) storage to row-major. */
function transpose<T extends Float64Array | Float32Array>(src: T, rows: number, cols: number): T {
  const out = (src instanceof Float32Array ? new Float32Array(src.length) : new Float64Array(src.length)) as T;
  for (let j = 0; j < cols; j++) {
    const o = j * rows;
    for (let i = 0; i < rows; i++) out[i * cols + j] = src[o + i];
  }
  return out;
}

/** A Python tuple, kept apart from lists because 'shape' must be one. */
class Tuple {
  constructor(readonly items: Literal[]) {}
}
type Literal = string | number | boolean | null | Tuple | Literal[] | Map<string, Literal>;

/**
 * The Python literals a .npy header uses: dicts, tuples, lists, quoted strings without escapes,
 * non-negative integers (with Python 2's `L` suffix), True, False and None.
 */
class LiteralParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parseDocument(): Literal {
    const value = this.value(0);
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail(`unexpected ${JSON.stringify(this.text[this.pos])} after the header dict`);
    return value;
  }

  private value(depth: number): Literal {
    if (depth > MAX_LITERAL_DEPTH) this.fail('the header nests too deeply');
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.dict(depth);
    if (c === '(') return new Tuple(this.sequence(')', depth));
    if (c === '[') return this.sequence(']', depth);
    if (c === "'" || c === '"') return this.string();
    if (c >= '0' && c <= '9') return this.integer();
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? 'the header ends too early' : `unexpected ${JSON.stringify(c)}`);
  }

  private dict(depth: number): Map<string, Literal> {
    this.pos++;
    const out = new Map<string, Literal>();
    while (true) {
      this.skipSpace();
      if (this.eat('}')) return out;
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.fail('a header dict key is not a string');
      if (out.has(key)) this.fail(`the header repeats the key '${key}'`);
      this.skipSpace();
      if (!this.eat(':')) this.fail(`expected ':' after '${key}'`);
      out.set(key, this.value(depth + 1));
      this.skipSpace();
      if (this.eat('}')) return out;
      if (!this.eat(',')) this.fail("expected ',' or '}' in the header dict");
    }
  }

  private sequence(close: string, depth: number): Literal[] {
    this.pos++;
    const items: Literal[] = [];
    while (true) {
      this.skipSpace();
      if (this.eat(close)) return items;
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.eat(close)) return items;
      if (!this.eat(',')) this.fail(`expected ',' or '${close}'`);
    }
  }

  private string(): string {
    const quote = this.text[this.pos++];
    const end = this.text.indexOf(quote, this.pos);
    if (end < 0) this.fail('a string in the header is not closed');
    const s = this.text.slice(this.pos, end);
    if (s.includes('\\') || s.includes('\n')) this.fail('a string in the header has an escape or a line break');
    this.pos = end + 1;
    return s;
  }

  private integer(): number {
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] >= '0' && this.text[this.pos] <= '9') this.pos++;
    const digits = this.text.slice(start, this.pos);
    if (this.text[this.pos] === 'L') this.pos++;
    const n = Number(digits);
    if (digits.length > 15 || !Number.isSafeInteger(n)) this.fail(`the number ${digits.slice(0, 20)} in the header is too large`);
    return n;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      this.pos++;
    }
  }

  private eat(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private fail(detail: string): never {
    throw new ImportError(this.file, 'bad-header', `the header dict is malformed: ${detail} (at character ${this.pos})`);
  }
}
