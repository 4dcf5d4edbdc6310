/**
 * The subset of MATLAB's level 5 MAT-file format that numeric datasets use (scikit-learn's
 * `fetch_olivetti_faces` reads one): a 128-byte header, then data elements, each a tag (type and
 * byte count, or the 4-byte "small element" form) and its data padded to 8 bytes. Variables are
 * miMATRIX elements, optionally inside a zlib-compressed miCOMPRESSED element. Numeric, real,
 * full arrays are read; other variables (cell, struct, char, sparse, complex, 64-bit) are skipped.
 *
 * Like scipy's `loadmat` (which scikit-learn uses), the data keeps the type it is stored as:
 * MATLAB saves a double array of small integers as uint8, and it is read as uint8.
 */
import { budgetOf, checkBudget, product, type BudgetOptions } from './budget';
import { inflateCapped } from './compression';
import { ImportError } from './errors';

export type MatClassName = 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';
export type MatData = Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface MatVariable {
  /** MATLAB dimensions, at least two: a 4096×400 matrix has dims [4096, 400]. */
  dims: number[];
  /** The element type of `data`: the type the values are stored as (scipy's dtype). */
  className: MatClassName;
  /** The array's class in MATLAB, which may be wider than the stored type. */
  matlabClass: MatClassName;
  /** The elements in column-major order, as stored: (i, j) of a 2-D array is `data[i + j * dims[0]]`. */
  data: MatData;
}

const HEADER_BYTES = 128;

// Data element types (miXXX).
const MI_INT8 = 1, MI_UINT32 = 6, MI_INT32 = 5, MI_MATRIX = 14, MI_COMPRESSED = 15;

interface NumericType {
  name: MatClassName;
  size: number;
  make: (n: number) => MatData;
  get: (v: DataView, at: number, le: boolean) => number;
}

/** The numeric element types (miXXX codes) a real part may be stored as. */
const NUMERIC_TYPES: Record<number, NumericType> = {
  1: { name: 'int8', size: 1, make: (n) => new Int8Array(n), get: (v, at) => v.getInt8(at) },
  2: { name: 'uint8', size: 1, make: (n) => new Uint8Array(n), get: (v, at) => v.getUint8(at) },
  3: { name: 'int16', size: 2, make: (n) => new Int16Array(n), get: (v, at, le) => v.getInt16(at, le) },
  4: { name: 'uint16', size: 2, make: (n) => new Uint16Array(n), get: (v, at, le) => v.getUint16(at, le) },
  5: { name: 'int32', size: 4, make: (n) => new Int32Array(n), get: (v, at, le) => v.getInt32(at, le) },
  6: { name: 'uint32', size: 4, make: (n) => new Uint32Array(n), get: (v, at, le) => v.getUint32(at, le) },
  7: { name: 'single', size: 4, make: (n) => new Float32Array(n), get: (v, at, le) => v.getFloat32(at, le) },
  9: { name: 'double', size: 8, make: (n) => new Float64Array(n), get: (v, at, le) => v.getFloat64(at, le) },
};

/** The array classes read (mxXXX_CLASS codes). */
const CLASSES: Record<number, MatClassName> = {
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
};

const COMPLEX_FLAG = 0x08;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One data element: its type and where its data lies. */
interface Element {
  type: number;
  start: number;
  nbytes: number;
  /** Where the next element starts. */
  next: number;
}

/**
 * Reads the numeric variables of a MAT-file (level 5, version 0x0100, either byte order).
 * Every element's byte count is checked against the bytes that hold it, compressed elements are
 * inflated within the memory budget, and each array's size against its dimensions.
 */
export function readMat(bytes: Uint8Array, file: string, opts?: BudgetOptions): Map<string, MatVariable> {
  const reader = new MatReader(file, budgetOf(opts));
  return reader.read(bytes);
}

class MatReader {
  private littleEndian = true;
  private allocated = 0;
  private readonly out = new Map<string, MatVariable>();

  constructor(
    private readonly file: string,
    private readonly budget: number,
  ) {}

  read(bytes: Uint8Array): Map<string, MatVariable> {
    this.readHeader(bytes);
    this.readElements(bytes, HEADER_BYTES, true);
    return this.out;
  }

  private readHeader(bytes: Uint8Array): void {
    if (bytes.length === 0) throw this.error('empty-file', 'the file is empty');
    const startsLikeMat = ascii(bytes.subarray(0, 6)) === 'MATLAB';
    if (bytes.length < HEADER_BYTES) {
      throw startsLikeMat
        ? this.error('truncated', `the file ends inside the ${HEADER_BYTES}-byte MAT-file header`)
        : this.error('bad-magic', 'not a MATLAB level 5 MAT-file: it is shorter than the 128-byte header');
    }
    const indicator = ascii(bytes.subarray(126, 128));
    if (indicator !== 'IM' && indicator !== 'MI') {
      const hint = startsLikeMat ? '' : ' (a level 4 MAT-file, or not a MAT-file at all)';
      throw this.error('bad-magic', `not a MATLAB level 5 MAT-file: no "IM"/"MI" endian indicator at byte 126${hint}`);
    }
    this.littleEndian = indicator === 'IM';
    const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, this.littleEndian);
    if (version !== 0x0100) {
      const hint = version === 0x0200 ? ': version 7.3 files are HDF5; save with -v7 instead' : '';
      throw this.error('unsupported-version', `MAT-file version 0x${version.toString(16).padStart(4, '0')} is not supported${hint}`);
    }
  }

  /** The elements of `bytes[start..]`: variables at the top level, or inside a compressed element. */
  private readElements(bytes: Uint8Array, start: number, topLevel: boolean): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = start;
    while (pos < bytes.length) {
      // Zero padding may close the inflated data of a compressed element.
      if (!topLevel && bytes.length - pos < 8 && bytes.subarray(pos).every((b) => b === 0)) return;
      const el = this.tag(view, pos, bytes.length, `at byte ${pos}`);
      if (el.type === MI_COMPRESSED) {
        if (!topLevel) throw this.error('bad-header', 'a compressed element is nested inside another');
        // The inflated bytes live alongside the arrays read so far: both count against the budget.
        const cap = Math.max(1, this.budget - this.allocated);
        const inflated = inflateCapped(bytes.subarray(el.start, el.start + el.nbytes), this.file, cap, 'compressed MAT element');
        this.allocated += inflated.length;
        this.readElements(inflated, 0, false);
        this.allocated -= inflated.length;
      } else if (el.type === MI_MATRIX) {
        this.readMatrix(bytes, view, el);
      } else {
        throw this.error('bad-header', `a top-level element of type ${el.type} at byte ${pos}; only arrays (14) and compressed arrays (15) belong there`);
      }
      pos = el.next;
    }
  }

  /**
   * The tag at `pos`, checked to lie with its data before `end`. The small element form packs
   * the byte count into the upper half of the first word and up to 4 data bytes after it.
   */
  private tag(view: DataView, pos: number, end: number, where: string): Element {
    if (end - pos < 8) throw this.error('truncated', `the data ends inside an element tag ${where}`);
    const word = view.getUint32(pos, this.littleEndian);
    const small = word >>> 16;
    if (small !== 0) {
      if (small > 4) throw this.error('bad-header', `a small element ${where} claims ${small} bytes, more than 4`);
      return { type: word & 0xffff, start: pos + 4, nbytes: small, next: pos + 8 };
    }
    const nbytes = view.getUint32(pos + 4, this.littleEndian);
    const start = pos + 8;
    if (nbytes > end - start) {
      throw this.error('truncated', `an element ${where} claims ${nbytes} bytes but only ${end - start} remain`);
    }
    // Data is padded to 8 bytes, except compressed data; a last element may lack its padding.
    const padded = word === MI_COMPRESSED ? nbytes : nbytes + ((8 - (nbytes % 8)) % 8);
    return { type: word, start, nbytes, next: Math.min(start + padded, end) };
  }

  private readMatrix(bytes: Uint8Array, view: DataView, el: Element): void {
    // MATLAB writes an empty miMATRIX for an empty array slot.
    if (el.nbytes === 0) return;
    const end = el.start + el.nbytes;
    const flags = this.tag(view, el.start, end, 'for array flags');
    if (flags.type !== MI_UINT32 || flags.nbytes !== 8) throw this.error('bad-header', 'an array does not start with its array flags');
    const flagWord = view.getUint32(flags.start, this.littleEndian);
    const classCode = flagWord & 0xff;
    const complex = ((flagWord >>> 8) & 0xff & COMPLEX_FLAG) !== 0;

    const dimsEl = this.tag(view, flags.next, end, 'for array dimensions');
    if (dimsEl.type !== MI_INT32 || dimsEl.nbytes % 4 !== 0 || dimsEl.nbytes < 8) {
      throw this.error('bad-header', 'an array has no valid dimensions (at least two int32 values)');
    }
    const dims: number[] = [];
    for (let k = 0; k < dimsEl.nbytes / 4; k++) {
      const d = view.getInt32(dimsEl.start + 4 * k, this.littleEndian);
      if (d < 0) throw this.error('bad-header', `an array has a negative dimension ${d}`);
      dims.push(d);
    }

    const nameEl = this.tag(view, dimsEl.next, end, 'for the array name');
    if (nameEl.type !== MI_INT8) throw this.error('bad-header', 'an array has no name element');
    const name = ascii(bytes.subarray(nameEl.start, nameEl.start + nameEl.nbytes));
    if (!/^[\x21-\x7e]+$/.test(name)) throw this.error('bad-header', 'an array name is empty or not printable ASCII');
    if (this.out.has(name)) throw this.error('bad-header', `the variable "${name}" appears twice`);

    const cls = CLASSES[classCode];
    // Not a real numeric full array (cell, struct, object, char, sparse, 64-bit, complex): skipped.
    if (cls === undefined || complex) return;

    const real = this.tag(view, nameEl.next, end, `for the data of "${name}"`);
    const source = NUMERIC_TYPES[real.type];
    if (source === undefined) throw this.error('bad-header', `the data of "${name}" has element type ${real.type}, not a numeric type`);
    if (real.nbytes % source.size !== 0) {
      throw this.error('length-mismatch', `the data of "${name}" is ${real.nbytes} bytes, not a whole number of ${source.size}-byte elements`);
    }
    const count = real.nbytes / source.size;
    const expected = product(dims);
    if (count !== expected) {
      throw this.error('length-mismatch', `"${name}" has dimensions ${dims.join('×')} (${expected} elements) but its data holds ${count}`);
    }
    checkBudget(this.file, this.allocated + real.nbytes, this.budget);
    this.allocated += real.nbytes;
    this.out.set(name, { dims, className: source.name, matlabClass: cls, data: this.convert(bytes, view, real, source, count) });
  }

  private convert(bytes: Uint8Array, view: DataView, real: Element, source: NumericType, count: number): MatData {
    const out = source.make(count);
    if (source.size === 1 || this.littleEndian === LITTLE_ENDIAN_HOST) {
      new Uint8Array(out.buffer).set(bytes.subarray(real.start, real.start + real.nbytes));
    } else {
      const le = this.littleEndian;
      for (let i = 0; i < count; i++) out[i] = source.get(view, real.start + i * source.size, le);
    }
    return out;
  }

  private error(code: 'empty-file' | 'truncated' | 'bad-magic' | 'unsupported-version' | 'bad-header' | 'length-mismatch', detail: string): ImportError {
    return new ImportError(this.file, code, detail);
  }
}

function ascii(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}
