/**
 * The one interface of neighbour search, shared by the grid, the KD-tree and brute force, and
 * the checks every implementation applies to its queries. All use the Euclidean distance and
 * agree exactly: "within r" is the same float64 test everywhere, Σ (q_j − x_j)² ≤ r² summed in
 * feature order, and k-nearest results are ordered by distance, then by row index.
 */
import type { FloatArray, Matrix } from '../math/matrix';
import { DataError, ParameterError } from '../errors';
import type { NeighborBuffer } from './buffer';

export type IndexAlgorithm = 'grid' | 'kd_tree' | 'brute';

/** k nearest neighbours of each query row, nearest first (ties: lower index first). */
export interface KNeighborsResult {
  /** Euclidean distances, (nQueries, k). */
  distances: Matrix<Float64Array>;
  /** Indexed row numbers, (nQueries × k) row-major. */
  indices: Int32Array;
}

export interface NeighborIndex {
  readonly algorithm: IndexAlgorithm;
  /** Number of indexed rows. */
  readonly size: number;
  /** Number of features of the indexed rows; queries must have as many columns. */
  readonly nFeatures: number;
  /**
   * Writes to `out` the indexed rows within Euclidean distance `radius` (inclusive) of row
   * `row` of `Q`, in no particular order, and returns their count. The row itself is included
   * when `Q` is the indexed matrix.
   */
  radiusNeighbors(Q: Matrix, row: number, radius: number, out: NeighborBuffer): number;
  /** How many indexed rows lie within `radius` of row `row` of `Q`, counting no further than `limit`. */
  countWithin(Q: Matrix, row: number, radius: number, limit: number): number;
  /** The `k` nearest indexed rows of every row of `Q` (k ≤ size). */
  kneighbors(Q: Matrix, k: number): KNeighborsResult;
}

/** Validates a k-nearest query against an index and allocates its result. */
export function allocKNeighbors(index: NeighborIndex, Q: Matrix, k: number): KNeighborsResult {
  if (!Number.isInteger(k) || k < 1 || k > index.size) {
    throw new ParameterError(`nNeighbors must be an integer in [1, ${index.size}] (the number of indexed samples), got ${k}`);
  }
  checkQuery(index, Q);
  return { distances: { rows: Q.rows, cols: k, data: new Float64Array(Q.rows * k) }, indices: new Int32Array(Q.rows * k) };
}

/** Checks that queries have the index's number of features. */
export function checkQuery(index: NeighborIndex, Q: Matrix): void {
  if (Q.cols !== index.nFeatures) {
    throw new DataError(`queries have ${Q.cols} feature(s), the index was built on ${index.nFeatures}`);
  }
}

/** A float64 copy of query row `row` (queries may be float32; the kernels read float64). */
export function queryRow(Q: Matrix, row: number, out: Float64Array): Float64Array {
  const d = Q.cols, o = row * d, data: FloatArray = Q.data;
  for (let j = 0; j < d; j++) out[j] = data[o + j];
  return out;
}
