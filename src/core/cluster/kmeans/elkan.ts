/**
 * Elkan's k-means iteration (scikit-learn's `_k_means_elkan.pyx`): an upper bound on each
 * point's distance to its center, a lower bound per (point, center), and half the distances
 * between centers let most distance computations be skipped, with the same labels as Lloyd.
 * Rows go through the Lloyd work's blocks centered on the data's mean, as float64 (whatever the
 * data's type), and so do the centers: scikit-learn runs Elkan on centered data too. Where the
 * fit made X resident in the wasm memory, the rows are read there in place.
 */
import type { Matrix } from '../../math/matrix';
import { addRow, beginSums, endBlockSums, endSums, loadRows, makeLloydWork, type DotsEngine, type LloydWork, type ResidentRows } from './kernels';

/** Bounds per point and per (point, center), center half-distances, centered centers. */
export interface ElkanWork {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly halfDist: Float64Array;
  readonly nextHalf: Float64Array;
  /** The centers minus the origin, (k, d). */
  readonly centered: Float64Array;
  readonly block: LloydWork;
}

export function makeElkanWork(
  n: number,
  k: number,
  d: number,
  origin: Float64Array,
  engine: DotsEngine = 'auto',
  resident: ResidentRows | null = null,
): ElkanWork {
  return {
    upper: new Float64Array(n),
    lower: new Float64Array(n * k),
    halfDist: new Float64Array(k * k),
    nextHalf: new Float64Array(k),
    centered: new Float64Array(k * d),
    block: makeLloydWork(d, k, origin, engine, true, resident),
  };
}

/** The centers in the rows' coordinates (minus the origin), into `w.centered`. */
function centerCenters(centers: Float64Array, k: number, d: number, w: ElkanWork): Float64Array {
  const cc = w.centered, origin = w.block.origin;
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) cc[j * d + t] = centers[j * d + t] - origin[t];
  return cc;
}

/**
 * Squared distance between a[ao..ao+d) and b[bo..bo+d), four terms at a time in scikit-learn's
 * order (`_euclidean_dense_dense`).
 */
function sqDistAt(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  const end = ao + (d & ~3);
  for (; ao < end; ao += 4, bo += 4) {
    const v0 = a[ao] - b[bo], v1 = a[ao + 1] - b[bo + 1];
    const v2 = a[ao + 2] - b[bo + 2], v3 = a[ao + 3] - b[bo + 3];
    s += v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3;
  }
  for (let r = d & 3; r > 0; r--, ao++, bo++) {
    const v = a[ao] - b[bo];
    s += v * v;
  }
  return s;
}

/** Half the distance between every pair of centers, and for each center half the distance to its nearest other one. */
export function centerHalfDistances(centers: Float64Array, k: number, d: number, w: ElkanWork): void {
  const { halfDist, nextHalf } = w;
  nextHalf.fill(Infinity);
  for (let a = 0; a < k; a++) {
    halfDist[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const h = Math.sqrt(sqDistAt(centers, a * d, centers, b * d, d)) / 2;
      halfDist[a * k + b] = h;
      halfDist[b * k + a] = h;
      if (h < nextHalf[a]) nextHalf[a] = h;
      if (h < nextHalf[b]) nextHalf[b] = h;
    }
  }
}

/** First labels and bounds: distances are computed only where the triangle inequality cannot rule a center out. */
export function elkanInitBounds(X: Matrix, centers: Float64Array, k: number, labels: Int32Array, w: ElkanWork): void {
  const n = X.rows, d = X.cols;
  const { upper, lower, halfDist, block } = w;
  const buf = block.buf, stride = block.rowStride, cc = centerCenters(centers, k, d, w);
  lower.fill(0);
  for (let start = 0; start < n; start += block.blockRows) {
    const nb = loadRows(X, start, block, false);
    for (let i = 0; i < nb; i++) {
      const row = start + i, xo = block.at + i * stride, li = row * k;
      let best = 0;
      let min = Math.sqrt(sqDistAt(buf, xo, cc, 0, d));
      lower[li] = min;
      for (let j = 1; j < k; j++) {
        if (min > halfDist[best * k + j]) {
          const dj = Math.sqrt(sqDistAt(buf, xo, cc, j * d, d));
          lower[li + j] = dj;
          if (dj < min) {
            min = dj;
            best = j;
          }
        }
      }
      labels[row] = best;
      upper[row] = min;
    }
  }
}

/**
 * One Elkan iteration against `centers` (scikit-learn's `_update_chunk_dense`): a point's label
 * is re-examined only when its upper bound exceeds half the distance to the next center, and a
 * center only when the bounds cannot rule it out. `shift` (k) is how far each center moved since
 * the bounds were last valid: the bounds are loosened by it here, in the same pass, rather than
 * in a separate sweep over the (n, k) lower bounds. With `sums`/`counts` it also accumulates the
 * M-step (sums of rows minus the origin). Returns the number of changed labels.
 */
export function assignElkan(
  X: Matrix,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  w: ElkanWork,
  shift: Float64Array,
  sums: Float64Array | null,
  counts: Float64Array | null,
): number {
  const n = X.rows, d = X.cols;
  const { upper, lower, halfDist, nextHalf, block } = w;
  const buf = block.buf, stride = block.rowStride, cc = centerCenters(centers, k, d, w);
  if (sums) beginSums(block, sums);
  if (counts) counts.fill(0);
  let moved = false;
  for (let j = 0; j < k; j++) if (shift[j] !== 0) moved = true;
  let changed = 0;
  for (let start = 0; start < n; start += block.blockRows) {
    const nb = loadRows(X, start, block, false);
    for (let i = 0; i < nb; i++) {
      const row = start + i, li = row * k, xo = block.at + i * stride;
      let label = labels[row];
      if (moved) {
        upper[row] += shift[label];
        for (let j = 0; j < k; j++) {
          const v = lower[li + j] - shift[j];
          lower[li + j] = v > 0 ? v : 0;
        }
      }
      if (!(nextHalf[label] >= upper[row])) {
        let u = upper[row];
        let tight = false;
        for (let j = 0; j < k; j++) {
          if (j !== label && u > lower[li + j] && u > halfDist[label * k + j]) {
            if (!tight) {
              u = Math.sqrt(sqDistAt(buf, xo, cc, label * d, d));
              lower[li + label] = u;
              tight = true;
              if (!(u > lower[li + j] && u > halfDist[label * k + j])) continue;
            }
            const dj = Math.sqrt(sqDistAt(buf, xo, cc, j * d, d));
            lower[li + j] = dj;
            if (dj < u) {
              label = j;
              u = dj;
            }
          }
        }
        if (labels[row] !== label) {
          labels[row] = label;
          changed++;
        }
        upper[row] = u;
      }
      if (sums && counts) {
        counts[label] += 1;
        addRow(block, i, label, sums, d);
      }
    }
    if (sums) endBlockSums(block, nb);
  }
  if (sums) endSums(block, sums, k, d);
  return changed;
}
