/**
 * Lloyd's algorithm one phase at a time, for the K-Means step-through view: each iteration
 * yields its assignment ('assign') and then its center update ('update'). It runs the same
 * kernels and the same stopping rule as `KMeans` with `algorithm: 'lloyd'`, so the last step
 * shows exactly what `KMeans` returns for these initial centers.
 */
import { checkMatrix, columnMeans, columnVariances, fromRows, matrix, type Matrix } from '../../math/matrix';
import { DataError } from '../../errors';
import { checkInt, checkNumber } from '../../validate';
import { assignLloyd, finishCenters, inertiaOf, makeLloydWork, relocateEmptyClusters } from './kernels';

export interface KMeansStep {
  /** 'assign': points were labelled with their nearest center; 'update': centers moved to their means. */
  phase: 'assign' | 'update';
  /**
   * 1-based Lloyd iteration. The relabelling that follows a stop on tolerance or maxIter is an
   * extra 'assign' step numbered nIter + 1 (scikit-learn does it but does not count it).
   */
  iteration: number;
  /** The labels after the latest assignment, (nSamples) (a copy). */
  labels: Int32Array;
  /** 'assign': the centers the points were assigned to; 'update': the new centers. (k, nFeatures), a copy. */
  centers: Matrix<Float64Array>;
  /** Sum of squared distances of the points to their labelled center in `centers`. */
  inertia: number;
  /** 'update': sum over centers of the squared shift (what the tolerance is compared with); 'assign': 0. */
  centerShift: number;
  /** 'assign': how many labels changed (all of them on the first iteration). */
  changed: number;
  /** True on the last step. */
  done: boolean;
}

export interface KMeansStepsOptions {
  maxIter?: number;
  /** Relative tolerance as in KMeans: tol · mean(var(X, axis=0)) bounds the squared center shift. */
  tol?: number;
}

export interface KMeansStepsResult {
  labels: Int32Array;
  centers: Matrix<Float64Array>;
  inertia: number;
  nIter: number;
}

/**
 * @param X (nSamples, nFeatures)
 * @param initialCenters (k, nFeatures), as a matrix or rows
 */
export function* kmeansSteps(
  X: Matrix,
  initialCenters: Matrix | number[][],
  opts: KMeansStepsOptions = {},
): Generator<KMeansStep, KMeansStepsResult, void> {
  const init = Array.isArray(initialCenters) ? fromRows(initialCenters) : initialCenters;
  const k = init.rows, d = X.cols;
  checkMatrix(X, { minSamples: k });
  checkMatrix(init, { name: 'initialCenters' });
  if (init.cols !== d) throw new DataError(`initialCenters have ${init.cols} features, X has ${d}`);
  const maxIter = checkInt('maxIter', opts.maxIter ?? 300, 1);
  const tol = checkNumber('tol', opts.tol ?? 1e-4, 0);

  const origin = columnMeans(X);
  const tolAbs = tol === 0 ? 0 : mean(columnVariances(X, origin)) * tol;
  const work = makeLloydWork(d, k, origin);
  let centers = Float64Array.from(init.data);
  let next = new Float64Array(k * d);
  const labels = new Int32Array(X.rows).fill(-1);
  const sums = new Float64Array(k * d), counts = new Float64Array(k), shift = new Float64Array(k);
  const snapshot = (c: Float64Array): Matrix<Float64Array> => matrix(k, d, c.slice());

  let iter = 0;
  let strict = false;
  while (iter < maxIter) {
    const changed = assignLloyd(X, centers, k, labels, work, sums, counts, null);
    iter++;
    strict = iter > 1 && changed === 0;
    yield {
      phase: 'assign',
      iteration: iter,
      labels: labels.slice(),
      centers: snapshot(centers),
      inertia: inertiaOf(X, centers, labels),
      centerShift: 0,
      changed,
      done: false,
    };
    relocateEmptyClusters(X, centers, k, labels, origin, sums, counts);
    const total = finishCenters(sums, counts, origin, centers, next, k, d, shift);
    const last = strict || total <= tolAbs || iter === maxIter;
    yield {
      phase: 'update',
      iteration: iter,
      labels: labels.slice(),
      centers: snapshot(next),
      inertia: inertiaOf(X, next, labels),
      centerShift: total,
      changed: 0,
      done: last && strict,
    };
    const previous = centers;
    centers = next;
    next = previous;
    if (last) break;
  }
  if (!strict) {
    const changed = assignLloyd(X, centers, k, labels, work, null, null, null);
    yield {
      phase: 'assign',
      iteration: iter + 1,
      labels: labels.slice(),
      centers: snapshot(centers),
      inertia: inertiaOf(X, centers, labels),
      centerShift: 0,
      changed,
      done: true,
    };
  }
  return { labels, centers: matrix(k, d, centers), inertia: inertiaOf(X, centers, labels), nIter: iter };
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
