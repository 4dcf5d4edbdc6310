/**
 * One k-means run from given initial centers (scikit-learn's `_kmeans_single_lloyd` and
 * `_kmeans_single_elkan`), with scikit-learn 1.2's stopping rule: stop when no label changed
 * (strict convergence) or when the sum over centers of squared center shifts is ≤ `tolAbs`;
 * after a non-strict stop the points are relabelled against the final centers; the inertia is
 * measured against the final centers.
 */
import type { Matrix } from '../../math/matrix';
import { assignElkan, centerHalfDistances, elkanInitBounds, makeElkanWork } from './elkan';
import {
  ASSIGN_DIRECT_MAX_DIM,
  assignLloyd,
  finishCenters,
  float64Rows,
  inertiaOf,
  makeLloydWork,
  relocateEmptyClusters,
  type DotsEngine,
  type ResidentRows,
} from './kernels';

export type KMeansAlgorithm = 'lloyd' | 'elkan';

export interface RunOptions {
  algorithm: KMeansAlgorithm;
  maxIter: number;
  /** Absolute tolerance on the sum of squared center shifts. */
  tolAbs: number;
  /** The data's column means, shape (nFeatures): rows are centered on it in the kernels. */
  origin: Float64Array;
  /** X centered in the wasm memory once for the whole fit (`makeResidentRows`), when it could be. */
  resident?: ResidentRows | null;
  /** Which kernels run the passes ('auto' by default; 'js' forces the JavaScript ones, for tests). */
  engine?: DotsEngine;
  /**
   * Called after each iteration with the updated centers (k·d, a live buffer), the labels that
   * produced them (live), the inertia of those labels against the centers they were assigned to
   * (computed only when this hook is given) and the sum of squared center shifts.
   */
  onIteration?: (iteration: number, centers: Float64Array, labels: Int32Array, inertia: number, centerShift: number) => void;
  /** Called after each iteration with its 1-based number (cheap, for progress). */
  onStep?: (iteration: number) => void;
}

export interface RunResult {
  labels: Int32Array;
  /** Final centers, (k, nFeatures) row-major. */
  centers: Float64Array;
  inertia: number;
  nIter: number;
}

/**
 * @param X (nSamples, nFeatures), float64 or float32 (kept as is: sums are float64)
 * @param init initial centers, (k, nFeatures) row-major float64; not modified
 */
export function runKMeans(X: Matrix, init: Float64Array, k: number, opts: RunOptions): RunResult {
  const n = X.rows, d = X.cols, origin = opts.origin;
  // Elkan needs a second center to bound against; scikit-learn falls back to Lloyd too.
  const elkan = opts.algorithm === 'elkan' && k > 1;
  let centers = init.slice();
  let centersNew = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d), counts = new Float64Array(k), shift = new Float64Array(k);
  const engine = opts.engine ?? 'auto';
  const resident = engine === 'js' ? null : (opts.resident ?? null);
  // At d = 2 the work copies X (planar) for the SIMD assignment, once per run: ~1.5 ms at
  // 100,000 points (mostly first touches of the new memory), one or two passes' worth.
  const lloyd = elkan ? null : makeLloydWork(d, k, origin, engine, d > ASSIGN_DIRECT_MAX_DIM, resident, X);
  const ew = elkan ? makeElkanWork(n, k, d, origin, engine, float64Rows(resident)) : null;
  const dist = opts.onIteration && lloyd ? new Float64Array(n) : null;
  if (ew) {
    centerHalfDistances(centers, k, d, ew);
    elkanInitBounds(X, centers, k, labels, ew);
  }

  let strict = false;
  let iter = 0;
  while (iter < opts.maxIter) {
    const changed = ew
      ? assignElkan(X, centers, k, labels, ew, shift, sums, counts)
      : assignLloyd(X, centers, k, labels, lloyd!, sums, counts, dist);
    relocateEmptyClusters(X, centers, k, labels, origin, sums, counts);
    const total = finishCenters(sums, counts, origin, centers, centersNew, k, d, shift);
    if (ew) centerHalfDistances(centersNew, k, d, ew);
    // Before the first iteration scikit-learn's previous labels are all -1, so the first
    // iteration never counts as converged (Elkan's labels come from its initial bounds).
    strict = iter > 0 && changed === 0;
    iter++;
    if (opts.onIteration) {
      const inertia = dist ? sum(dist) : inertiaOf(X, centers, labels);
      opts.onIteration(iter, centersNew, labels, inertia, total);
    }
    opts.onStep?.(iter);
    const previous = centers;
    centers = centersNew;
    centersNew = previous;
    if (strict || total <= opts.tolAbs) break;
  }
  if (!strict) {
    if (ew) assignElkan(X, centers, k, labels, ew, shift, null, null);
    else assignLloyd(X, centers, k, labels, lloyd!, null, null, null);
  }
  return { labels, centers, inertia: inertiaOf(X, centers, labels), nIter: iter };
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/**
 * Whether two labelings are the same partition up to a renaming of the clusters (scikit-learn's
 * `_is_same_clustering`): a run whose inertia is lower only by rounding must not replace the best.
 */
export function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const m = map[a[i]];
    if (m === -1) map[a[i]] = b[i];
    else if (m !== b[i]) return false;
  }
  return true;
}
