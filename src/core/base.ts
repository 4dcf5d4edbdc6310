/**
 * What every estimator of the core shares (scikit-learn's conventions, in camelCase):
 * hyperparameters given to the constructor and kept untouched in `params`, `fit` validates and
 * returns `this`, learned attributes end in `_`, and `toJSON` / `fromJSON` save and restore a
 * fitted estimator exactly.
 */
import type { FloatArray, Matrix } from './math/matrix';
import { DataError } from './errors';

/** Reports progress as a fraction in [0, 1]; estimators call it from their iteration loops. */
export type ProgressHook = (fraction: number, message?: string) => void;

export interface FitOptions {
  onProgress?: ProgressHook;
}

export interface EstimatorJSON<P = unknown> {
  /** The estimator's class name, e.g. `KMeans`. */
  estimator: string;
  /** Format version of this JSON, bumped when a class changes what it stores. */
  version: number;
  params: P;
  /** Learned attributes, or null for an unfitted estimator. */
  fitted: Record<string, unknown> | null;
}

export interface Estimator<P extends object = object> {
  readonly params: Readonly<P>;
  fit(X: Matrix, y?: ArrayLike<number> | null, opts?: FitOptions): this;
  toJSON(): EstimatorJSON<P>;
}

/** A typed array or matrix as plain JSON (exact: JSON numbers round-trip float64). */
export interface ArrayJSON {
  dtype: 'float64' | 'float32' | 'int32';
  shape: number[];
  data: number[];
}

export function encodeArray(a: Float64Array | Float32Array | Int32Array, shape: number[] = [a.length]): ArrayJSON {
  const dtype = a instanceof Float64Array ? 'float64' : a instanceof Float32Array ? 'float32' : 'int32';
  return { dtype, shape, data: Array.from(a) };
}

export function decodeArray(j: ArrayJSON): Float64Array | Float32Array | Int32Array {
  if (!j || !Array.isArray(j.data) || !Array.isArray(j.shape)) throw new DataError('malformed array in estimator JSON');
  const size = j.shape.reduce((a, b) => a * b, 1);
  if (size !== j.data.length) throw new DataError(`array of shape (${j.shape.join(', ')}) holds ${j.data.length} values`);
  switch (j.dtype) {
    case 'float64':
      return Float64Array.from(j.data);
    case 'float32':
      return Float32Array.from(j.data);
    case 'int32':
      return Int32Array.from(j.data);
    default:
      throw new DataError(`unknown dtype '${String(j.dtype)}' in estimator JSON`);
  }
}

export function encodeMatrix(m: Matrix): ArrayJSON {
  return encodeArray(m.data, [m.rows, m.cols]);
}

export function decodeMatrix(j: ArrayJSON): Matrix {
  const data = decodeArray(j);
  if (j.shape.length !== 2 || data instanceof Int32Array) throw new DataError('estimator JSON: expected a float matrix');
  return { rows: j.shape[0], cols: j.shape[1], data: data as FloatArray };
}

/** Checks the header of an estimator JSON before a class restores from it. */
export function checkEstimatorJSON(j: EstimatorJSON, estimator: string, version: number): void {
  if (!j || typeof j !== 'object' || j.estimator !== estimator) {
    throw new DataError(`expected a saved ${estimator}, got ${j && typeof j === 'object' ? String(j.estimator) : typeof j}`);
  }
  if (j.version !== version) throw new DataError(`saved ${estimator} has format version ${j.version}, this build reads ${version}`);
}
