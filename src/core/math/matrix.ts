/**
 * Row-major dense matrices on typed arrays: the one data shape of the algorithm core.
 * Element (i, j) lives at `data[i * cols + j]`.
 */
import { DataError } from '../errors';

export type FloatArray = Float64Array | Float32Array;

export interface Matrix<T extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

/** A zero-filled float64 matrix, or a view over `data` checked against the shape. */
export function matrix(rows: number, cols: number): Matrix<Float64Array>;
export function matrix<T extends FloatArray>(rows: number, cols: number, data: T): Matrix<T>;
export function matrix(rows: number, cols: number, data?: FloatArray): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new DataError(`matrix shape (${rows}, ${cols}) is not a pair of non-negative integers`);
  }
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new DataError(`matrix shape (${rows}, ${cols}) needs ${rows * cols} values, got ${values.length}`);
  }
  return { rows, cols, data: values };
}

/** Builds a float64 matrix from nested arrays (tests, small inputs, JSON). */
export function fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix<Float64Array> {
  const n = rows.length;
  const d = n === 0 ? 0 : rows[0].length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== d) throw new DataError(`row ${i} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = r[j];
  }
  return { rows: n, cols: d, data };
}

/** Nested arrays of a matrix (JSON output, tests). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

/** A view (no copy) of row `i`. */
export function rowView<T extends FloatArray>(m: Matrix<T>, i: number): T {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols) as T;
}

/** A float64 copy of the rows at `indices`, in that order. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix<Float64Array> {
  const d = m.cols;
  const out = new Float64Array(indices.length * d);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (!(i >= 0 && i < m.rows)) throw new DataError(`row index ${i} is outside 0..${m.rows - 1}`);
    out.set(m.data.subarray(i * d, (i + 1) * d), r * d);
  }
  return { rows: indices.length, cols: d, data: out };
}

/** A float64 copy of a matrix, whatever its storage. */
export function toFloat64(m: Matrix): Matrix<Float64Array> {
  return { rows: m.rows, cols: m.cols, data: m.data instanceof Float64Array ? m.data.slice() : Float64Array.from(m.data) };
}

/** A new array of the same element type as `like`. */
export function allocLike<T extends FloatArray>(like: T, length: number): T {
  return (like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length)) as T;
}

/**
 * Validates an input matrix the way scikit-learn's `check_array` does: a well-formed shape,
 * at least `minSamples` rows and one column, and no NaN or infinity.
 */
export function checkMatrix(X: Matrix, opts: { name?: string; minSamples?: number; minFeatures?: number } = {}): void {
  const name = opts.name ?? 'X';
  const minSamples = opts.minSamples ?? 1;
  const minFeatures = opts.minFeatures ?? 1;
  if (X === null || typeof X !== 'object' || !(X.data instanceof Float64Array || X.data instanceof Float32Array)) {
    throw new DataError(`${name} must be a matrix {rows, cols, data: Float64Array | Float32Array}`);
  }
  if (!Number.isInteger(X.rows) || !Number.isInteger(X.cols) || X.data.length !== X.rows * X.cols) {
    throw new DataError(`${name} has shape (${X.rows}, ${X.cols}) but holds ${X.data.length} values`);
  }
  if (X.rows < minSamples) {
    throw new DataError(`${name} has ${X.rows} sample(s), at least ${minSamples} required`);
  }
  if (X.cols < minFeatures) {
    throw new DataError(`${name} has ${X.cols} feature(s), at least ${minFeatures} required`);
  }
  const data = X.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const r = Math.floor(i / X.cols);
      throw new DataError(`${name} contains ${Number.isNaN(v) ? 'NaN' : 'infinity'} at row ${r}, column ${i - r * X.cols}`);
    }
  }
}

/** Per-column means, shape (cols). */
export function columnMeans(X: Matrix): Float64Array {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/** Per-column population variances (numpy's `var(axis=0)`, ddof 0), shape (cols). */
export function columnVariances(X: Matrix, mean: Float64Array = columnMeans(X)): Float64Array {
  const { rows: n, cols: d, data } = X;
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[o + j] - mean[j];
      v[j] += t * t;
    }
  }
  for (let j = 0; j < d; j++) v[j] /= n;
  return v;
}

/** Squared Euclidean norm of every row, shape (rows). */
export function rowSquaredNorms(X: Matrix): Float64Array {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += data[o + j] * data[o + j];
    out[i] = s;
  }
  return out;
}
