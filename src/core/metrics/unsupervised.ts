/**
 * Internal cluster-validity indices that need only the data and the labels (scikit-learn's
 * `metrics.cluster._unsupervised`, besides the silhouette), and the k-means inertia.
 */
import { DataError } from '../errors';
import { checkMatrix, type Matrix } from '../math/matrix';
import { checkLabelsLength, checkNumberOfLabels, encodeLabels } from './labels';

/**
 * The k-means objective: the sum over samples of the squared distance to the center of their
 * cluster (direct differences, as scikit-learn's `_inertia_dense`).
 * @param X (nSamples, nFeatures).
 * @param labels (nSamples) center indices in 0..nCenters−1.
 * @param centers (nCenters, nFeatures).
 */
export function inertia(X: Matrix, labels: ArrayLike<number>, centers: Matrix): number {
  checkMatrix(X);
  checkMatrix(centers, { name: 'centers' });
  checkLabelsLength(labels, X.rows);
  if (centers.cols !== X.cols) throw new DataError(`centers have ${centers.cols} features, X has ${X.cols}`);
  const d = X.cols, x = X.data, c = centers.data;
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= centers.rows) {
      throw new DataError(`labels[${i}] is ${l}, not a center index in 0..${centers.rows - 1}`);
    }
    const oi = i * d, oc = l * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = x[oi + j] - c[oc + j];
      s += t * t;
    }
    total += s;
  }
  return total;
}

/** Per-cluster means of X (float64), shape (k, d), from codes in 0..k−1 and their counts. */
function clusterMeans(X: Matrix, codes: Int32Array, counts: Int32Array): Float64Array {
  const d = X.cols, k = counts.length, x = X.data;
  const means = new Float64Array(k * d);
  for (let i = 0; i < X.rows; i++) {
    const oi = i * d, oc = codes[i] * d;
    for (let j = 0; j < d; j++) means[oc + j] += x[oi + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
  return means;
}

/**
 * The Calinski–Harabasz index (variance ratio criterion): between-cluster dispersion over
 * within-cluster dispersion, each divided by its degrees of freedom. Higher is better; 1 when
 * every cluster is a single repeated point (scikit-learn's convention).
 * @param X (nSamples, nFeatures).
 * @param labels (nSamples) integer cluster labels, 2..nSamples−1 distinct.
 */
export function calinskiHarabaszScore(X: Matrix, labels: ArrayLike<number>): number {
  checkMatrix(X);
  checkLabelsLength(labels, X.rows);
  const { codes, counts } = encodeLabels(labels);
  const n = X.rows, d = X.cols, k = counts.length, x = X.data;
  checkNumberOfLabels(k, n);
  const means = clusterMeans(X, codes, counts);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;

  let extra = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = means[c * d + j] - mean[j];
      s += t * t;
    }
    extra += counts[c] * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d, oc = codes[i] * d;
    for (let j = 0; j < d; j++) {
      const t = x[oi + j] - means[oc + j];
      intra += t * t;
    }
  }
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}

/**
 * The Davies–Bouldin index: the mean over clusters of the worst ratio (s_i + s_j) / d(c_i, c_j),
 * with s the mean distance of members to their centroid. Lower is better, 0 at best.
 * Distances use the expanded form ‖x‖² − 2x·c + ‖c‖², like scikit-learn's `euclidean_distances`.
 * @param X (nSamples, nFeatures).
 * @param labels (nSamples) integer cluster labels, 2..nSamples−1 distinct.
 */
export function daviesBouldinScore(X: Matrix, labels: ArrayLike<number>): number {
  checkMatrix(X);
  checkLabelsLength(labels, X.rows);
  const { codes, counts } = encodeLabels(labels);
  const n = X.rows, d = X.cols, k = counts.length, x = X.data;
  checkNumberOfLabels(k, n);
  const centroids = clusterMeans(X, codes, counts);
  const centroidNorms = new Float64Array(k);
  for (let c = 0; c < k; c++) centroidNorms[c] = dot(centroids, c * d, centroids, c * d, d);

  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    intra[c] += expandedDistance(dot(x, i * d, x, i * d, d), dot(x, i * d, centroids, c * d, d), centroidNorms[c]);
  }
  for (let c = 0; c < k; c++) intra[c] /= counts[c];

  const between = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      between[a * k + b] =
        a === b ? 0 : expandedDistance(centroidNorms[a], dot(centroids, a * d, centroids, b * d, d), centroidNorms[b]);
    }
  }
  // numpy's allclose(v, 0): every |v| ≤ 1e-8.
  if (intra.every((v) => Math.abs(v) <= 1e-8) || between.every((v) => Math.abs(v) <= 1e-8)) return 0;

  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      const dist = between[a * k + b];
      if (dist === 0) continue; // scikit-learn sets zero distances to infinity: ratio 0
      const r = (intra[a] + intra[b]) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / k;
}

function dot(a: ArrayLike<number>, oa: number, b: ArrayLike<number>, ob: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[oa + j] * b[ob + j];
  return s;
}

/** sqrt(max(‖x‖² − 2x·y + ‖y‖², 0)) from the norms and the dot product. */
function expandedDistance(xx: number, xy: number, yy: number): number {
  const v = xx - 2 * xy + yy;
  return Math.sqrt(v > 0 ? v : 0);
}
