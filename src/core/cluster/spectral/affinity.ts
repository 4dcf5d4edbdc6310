/**
 * Dense affinity matrices for spectral clustering, as scikit-learn 1.2's `SpectralClustering`
 * builds them: the RBF kernel (`rbf_kernel`) or the symmetrised k-nearest-neighbour connectivity
 * (`0.5 · (C + Cᵀ)` of `kneighbors_graph(include_self=True)`). Both are (n, n), row-major.
 */
import { sqDistBlock } from '../../math/distance';
import { rowSquaredNorms, type Matrix } from '../../math/matrix';

/** Rows per block of the distance kernel: keeps the block of X rows and their output in cache. */
const BLOCK_ROWS = 64;

/**
 * exp(−γ‖xᵢ − xⱼ‖²) for every pair, shape (n, n). Squared distances use the expanded form
 * ‖x‖² − 2x·y + ‖y‖² clamped at 0 with an exact-zero diagonal, as scikit-learn's
 * `euclidean_distances`, so the kernel values agree with its `affinity_matrix_`; the diagonal is 1.
 */
export function rbfAffinity(X: Matrix, gamma: number): Float64Array {
  const n = X.rows;
  const A = new Float64Array(n * n);
  const norms = rowSquaredNorms(X);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const end = Math.min(n, start + BLOCK_ROWS);
    sqDistBlock(X, norms, start, end, X, norms, A.subarray(start * n, end * n));
  }
  // The expanded form rounds (i, j) and (j, i) differently; the upper triangle (scikit-learn's
  // rounding for i < j) is mirrored so that the kernel is exactly symmetric.
  for (let i = 0; i < n; i++) {
    const o = i * n;
    A[o + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = Math.exp(-gamma * A[o + j]);
      A[o + j] = v;
      A[j * n + i] = v;
    }
  }
  return A;
}

/**
 * The symmetrised connectivity of each sample's `k` nearest samples, itself included: entry (i, j)
 * is 1 when each is among the other's k nearest, 0.5 when only one is, else 0. Shape (n, n).
 * Ties in distance go to the lower index (scikit-learn's tree search leaves their order open).
 */
export function knnAffinity(X: Matrix, k: number): Float64Array {
  const n = X.rows;
  const A = new Float64Array(n * n);
  const norms = rowSquaredNorms(X);
  const row = new Float64Array(n);
  const bestDist = new Float64Array(k);
  const bestIdx = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    sqDistBlock(X, norms, i, i + 1, X, norms, row);
    row[i] = 0;
    nearest(row, k, bestDist, bestIdx);
    for (let t = 0; t < k; t++) {
      const j = bestIdx[t];
      A[i * n + j] += 0.5;
      A[j * n + i] += 0.5;
    }
  }
  return A;
}

/** The `k` smallest entries of `dist` (index order on ties), by insertion into a sorted buffer. */
function nearest(dist: Float64Array, k: number, bestDist: Float64Array, bestIdx: Int32Array): void {
  let size = 0;
  for (let j = 0; j < dist.length; j++) {
    const v = dist[j];
    if (size === k && !(v < bestDist[k - 1])) continue;
    let pos = size < k ? size++ : k - 1;
    while (pos > 0 && bestDist[pos - 1] > v) {
      bestDist[pos] = bestDist[pos - 1];
      bestIdx[pos] = bestIdx[pos - 1];
      pos--;
    }
    bestDist[pos] = v;
    bestIdx[pos] = j;
  }
}
