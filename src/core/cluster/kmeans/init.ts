/**
 * Initial centers: scikit-learn's greedy k-means++ and random rows. Both draw from our seeded
 * `Random`, so they reproduce scikit-learn's method, not its NumPy stream.
 */
import { ParameterError } from '../../errors';
import { columnMeans, matrix, takeRows, type Matrix } from '../../math/matrix';
import type { Random } from '../../math/random';
import { ASSIGN_DIRECT_MAX_DIM, makeLloydWork, sqDistToPoints, type ResidentRows } from './kernels';

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): the first center is a uniformly drawn
 * row; each next one is the best, by resulting potential (sum of squared distances to the
 * nearest center), of `2 + floor(ln k)` candidates drawn with probability proportional to the
 * squared distance to the nearest center so far (D² sampling).
 *
 * @param X (nSamples, nFeatures)
 * @param resident X centered in the wasm memory by the fit (`makeResidentRows` with `origin`)
 * @returns the chosen row indices, shape (k)
 */
export function kmeansPlusPlusIndices(
  X: Matrix,
  k: number,
  rng: Random,
  nLocalTrials?: number,
  origin: Float64Array = columnMeans(X),
  resident: ResidentRows | null = null,
): Int32Array {
  const n = X.rows, d = X.cols, data = X.data;
  const trials = nLocalTrials ?? localTrials(k);
  // The Lloyd assignment's kernel, here for the distances to the candidates.
  const work = makeLloydWork(d, trials, origin, 'auto', d > ASSIGN_DIRECT_MAX_DIM, resident);
  const points = new Float64Array(trials * d);
  const indices = new Int32Array(k);
  const first = rng.int(n);
  indices[0] = first;
  for (let t = 0; t < d; t++) points[t] = data[first * d + t];
  let closest: Float64Array = new Float64Array(n);
  sqDistToPoints(X, points, 1, work, closest);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i];

  const cumsum = new Float64Array(n);
  const candidates = new Int32Array(trials);
  const candDist = new Float64Array(n * trials);
  let best: Float64Array = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cumsum[i] = acc;
    }
    for (let q = 0; q < trials; q++) {
      const id = searchSorted(cumsum, rng.random() * pot);
      candidates[q] = id;
      for (let t = 0; t < d; t++) points[q * d + t] = data[id * d + t];
    }

    // Distances from every row to every candidate, shape (n, trials).
    sqDistToPoints(X, points, trials, work, candDist);
    let bestPot = Infinity, bestQ = 0;
    for (let q = 0; q < trials; q++) {
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = candDist[i * trials + q];
        p += v < closest[i] ? v : closest[i];
      }
      if (p < bestPot) {
        bestPot = p;
        bestQ = q;
      }
    }
    for (let i = 0; i < n; i++) {
      const v = candDist[i * trials + bestQ];
      best[i] = v < closest[i] ? v : closest[i];
    }
    const previous = closest;
    closest = best;
    best = previous;
    pot = bestPot;
    indices[c] = candidates[bestQ];
  }
  return indices;
}

/** scikit-learn's number of candidates per k-means++ step. */
export function localTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/**
 * The first index whose cumulative sum reaches `value` (NumPy's `searchsorted`, side 'left'),
 * clipped to the last index against rounding, as scikit-learn does.
 */
function searchSorted(cumsum: Float64Array, value: number): number {
  let lo = 0, hi = cumsum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cumsum.length - 1);
}

/** `k` distinct rows drawn uniformly (scikit-learn's `init='random'`). */
export function randomIndices(n: number, k: number, rng: Random): Int32Array {
  return rng.sample(n, k);
}

/** The rows at `indices` as a float64 (k, nFeatures) matrix of centers. */
export function centersFromRows(X: Matrix, indices: ArrayLike<number>): Matrix<Float64Array> {
  const rows = takeRows(X, indices);
  return matrix(rows.rows, rows.cols, rows.data);
}

/** Validates explicit initial centers: `k` rows of `d` finite numbers. */
export function explicitCenters(rows: unknown[], k: number, d: number): Float64Array {
  if (rows.length !== k) throw new ParameterError(`init must have nClusters=${k} rows, got ${rows.length}`);
  const out = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const r = rows[j];
    if (!Array.isArray(r) || r.length !== d) {
      throw new ParameterError(`init row ${j} must have ${d} values (one per feature), got ${Array.isArray(r) ? r.length : typeof r}`);
    }
    for (let t = 0; t < d; t++) {
      const v = r[t];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParameterError(`init[${j}][${t}] must be a finite number, got ${String(v)}`);
      out[j * d + t] = v;
    }
  }
  return out;
}

/** The initial centers of one run, (k, d) row-major float64. */
export function initialCenters(
  X: Matrix,
  k: number,
  init: Float64Array | 'k-means++' | 'random',
  rng: Random,
  origin?: Float64Array,
  resident: ResidentRows | null = null,
): Float64Array {
  if (init instanceof Float64Array) return init;
  const idx = init === 'k-means++' ? kmeansPlusPlusIndices(X, k, rng, undefined, origin, resident) : randomIndices(X.rows, k, rng);
  return centersFromRows(X, idx).data;
}
