/**
 * Clustering for semi-supervised learning, as in the clustering chapter ("Using clustering for
 * semi-supervised learning"): cluster the unlabeled set with K-Means, have a person label the
 * sample nearest each centroid (its representative), spread those few labels to the clusters —
 * all of each cluster, or only its part closest to the centroid — then train a classifier on
 * them, and ask next for the labels the classifier is least sure about (active learning).
 *
 * Labels are integers; −1 means "unlabeled", as in scikit-learn's semi-supervised estimators.
 * The functions take a fitted `KMeans` (or anything with its `transform`), plain typed arrays,
 * and return new arrays.
 */
import type { KMeans } from '../cluster/kmeans';
import { DataError } from '../errors';
import { checkMatrix, type Matrix } from '../math/matrix';
import { percentileOfSorted } from './percentile';

/** The label of samples that have none. */
export const UNLABELED = -1;

/** What the workflow needs of a fitted clustering: distances to its centroids. */
export type CentroidModel = Pick<KMeans, 'transform'>;

/**
 * The representative of each cluster: the index of the sample of `X` (nSamples, nFeatures)
 * nearest to each centroid — `argmin(kmeans.transform(X), axis=0)`, the first one on ties.
 * Returns (nClusters) indices into `X`.
 */
export function representatives(X: Matrix, kmeans: CentroidModel): Int32Array {
  checkMatrix(X);
  return nearestSamples(kmeans.transform(X));
}

/** Per column of `distances` (nSamples, nClusters), the row with the smallest value. */
export function nearestSamples(distances: Matrix): Int32Array {
  const { rows: n, cols: k, data } = distances;
  if (n === 0) throw new DataError('no samples to choose representatives from');
  const best = new Int32Array(k);
  const bestDist = Float64Array.from(data.subarray(0, k));
  for (let i = 1; i < n; i++) {
    const o = i * k;
    for (let c = 0; c < k; c++) {
      if (data[o + c] < bestDist[c]) {
        bestDist[c] = data[o + c];
        best[c] = i;
      }
    }
  }
  return best;
}

/**
 * Each sample's distance to the centroid of its own cluster, `distances[i, clusterLabels[i]]`,
 * from `distances` (nSamples, nClusters) as `KMeans.transform` returns them. Shape (nSamples).
 */
export function ownCentroidDistances(distances: Matrix, clusterLabels: ArrayLike<number>): Float64Array {
  const { rows: n, cols: k, data } = distances;
  checkClusterLabels(clusterLabels, n, k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i * k + clusterLabels[i]];
  return out;
}

/**
 * Gives every sample the label of its cluster's representative: `repLabels[c]` for the samples
 * with `clusterLabels[i] = c` (a cluster whose representative is not labeled yet, −1, stays
 * unlabeled). The representatives themselves (`repIndex[c]`) keep the label given to them even in
 * the rare case where they lie nearer another centroid than their own.
 *
 * @param clusterLabels (nSamples) cluster of each sample, 0..nClusters−1 (`kmeans.labels_`)
 * @param repIndex (nClusters) index of each cluster's representative (see `representatives`)
 * @param repLabels (nClusters) label given to each representative, or −1
 * @returns (nSamples) labels, −1 where unknown
 */
export function propagateToClusters(clusterLabels: ArrayLike<number>, repIndex: ArrayLike<number>, repLabels: ArrayLike<number>): Int32Array {
  const n = clusterLabels.length;
  const k = checkRepresentatives(repIndex, repLabels, n);
  checkClusterLabels(clusterLabels, n, k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = repLabels[clusterLabels[i]];
  for (let c = 0; c < k; c++) if (repLabels[c] !== UNLABELED) out[repIndex[c]] = repLabels[c];
  return out;
}

/**
 * Propagation to the `percentile` % of each cluster closest to its centroid, the book's remedy
 * against spreading labels to outliers: within cluster c the cutoff is numpy's
 * `percentile(distances of c's samples, percentile)` (linear interpolation) and samples farther
 * than the cutoff get −1. Representatives keep their own label.
 *
 * @param ownDistances (nSamples) distance of each sample to its own centroid (`ownCentroidDistances`)
 * @param clusterLabels (nSamples) cluster of each sample
 * @param repIndex (nClusters) index of each cluster's representative
 * @param repLabels (nClusters) label of each representative, or −1
 * @param percentile in [0, 100]; the book uses 20
 * @returns (nSamples) labels, −1 beyond each cluster's cutoff or where unknown
 */
export function propagateToPercentile(
  ownDistances: ArrayLike<number>,
  clusterLabels: ArrayLike<number>,
  repIndex: ArrayLike<number>,
  repLabels: ArrayLike<number>,
  percentile: number,
): Int32Array {
  const n = clusterLabels.length;
  if (ownDistances.length !== n) throw new DataError(`ownDistances has ${ownDistances.length} values for ${n} samples`);
  if (!(percentile >= 0 && percentile <= 100)) throw new DataError(`percentile must be in [0, 100], got ${percentile}`);
  const cutoffs = clusterCutoffs(ownDistances, clusterLabels, repLabels.length, percentile);
  const out = propagateToClusters(clusterLabels, repIndex, repLabels);
  for (let i = 0; i < n; i++) {
    // Book: samples with distance > cutoff lose their label (NaN distances too).
    if (!(ownDistances[i] <= cutoffs[clusterLabels[i]])) out[i] = UNLABELED;
  }
  const k = repLabels.length;
  for (let c = 0; c < k; c++) if (repLabels[c] !== UNLABELED) out[repIndex[c]] = repLabels[c];
  return out;
}

/**
 * The `percentile` of the own-centroid distances within each cluster, shape (nClusters); NaN for
 * an empty cluster.
 */
export function clusterCutoffs(ownDistances: ArrayLike<number>, clusterLabels: ArrayLike<number>, nClusters: number, percentile: number): Float64Array {
  const n = clusterLabels.length;
  checkClusterLabels(clusterLabels, n, nClusters);
  // Counting sort of the distances by cluster, then one numeric sort per cluster.
  const start = new Int32Array(nClusters + 1);
  for (let i = 0; i < n; i++) start[clusterLabels[i] + 1]++;
  for (let c = 0; c < nClusters; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nClusters);
  const grouped = new Float64Array(n);
  for (let i = 0; i < n; i++) grouped[fill[clusterLabels[i]]++] = ownDistances[i];
  const cutoffs = new Float64Array(nClusters).fill(NaN);
  for (let c = 0; c < nClusters; c++) {
    if (start[c + 1] === start[c]) continue;
    const part = grouped.subarray(start[c], start[c + 1]).sort();
    cutoffs[c] = percentileOfSorted(part, percentile);
  }
  return cutoffs;
}

/**
 * Active learning: the `count` samples the classifier is least sure about (lowest highest class
 * probability), spread over clusters — first the least confident sample of each cluster, in order
 * of confidence, then the second least confident of each, and so on. Ties keep sample order.
 *
 * @param proba (nSamples, nClasses) class probabilities (`predictProba`)
 * @param clusterLabels (nSamples) cluster of each sample
 * @param count how many samples to return (fewer if there are not enough candidates)
 * @param opts.exclude (nSamples) truthy for samples not to propose (already labeled)
 * @returns indices of the chosen samples, in the order to ask for them
 */
export function leastConfident(
  proba: Matrix,
  clusterLabels: ArrayLike<number>,
  count: number,
  opts: { exclude?: ArrayLike<unknown> } = {},
): Int32Array {
  const { rows: n, cols: K, data } = proba;
  if (clusterLabels.length !== n) throw new DataError(`clusterLabels has ${clusterLabels.length} values for ${n} samples`);
  if (!Number.isInteger(count) || count < 0) throw new DataError(`count must be a non-negative integer, got ${count}`);
  const exclude = opts.exclude;
  if (exclude && exclude.length !== n) throw new DataError(`exclude has ${exclude.length} values for ${n} samples`);
  let nClusters = 0;
  for (let i = 0; i < n; i++) {
    const c = clusterLabels[i];
    if (!Number.isInteger(c) || c < 0) throw new DataError(`clusterLabels[${i}] = ${c} is not a cluster index`);
    if (c + 1 > nClusters) nClusters = c + 1;
  }

  const confidence = new Float64Array(n);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    if (exclude && exclude[i]) continue;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (data[i * K + k] > max) max = data[i * K + k];
    confidence[i] = max;
    candidates.push(i);
  }
  const byConfidence = Int32Array.from(candidates).sort((a, b) => confidence[a] - confidence[b] || a - b);
  // Rank of each candidate within its cluster (0 = least confident there); order by (rank, confidence).
  const seen = new Int32Array(nClusters);
  const rank = new Int32Array(n);
  for (const i of byConfidence) rank[i] = seen[clusterLabels[i]]++;
  const ordered = byConfidence.slice().sort((a, b) => rank[a] - rank[b] || confidence[a] - confidence[b] || a - b);
  return ordered.slice(0, Math.min(count, ordered.length));
}

/**
 * The features of "clustering as preprocessing": each sample's distances to the centroids,
 * (nSamples, nClusters), or with `append` the original features followed by them,
 * (nSamples, nFeatures + nClusters).
 */
export function clusterDistanceFeatures(X: Matrix, kmeans: CentroidModel, opts: { append?: boolean } = {}): Matrix<Float64Array> {
  checkMatrix(X);
  const D = kmeans.transform(X);
  if (!opts.append) return D;
  const n = X.rows, d = X.cols, k = D.cols, w = d + k;
  const out = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * w + j] = X.data[i * d + j];
    for (let c = 0; c < k; c++) out[i * w + d + c] = D.data[i * k + c];
  }
  return { rows: n, cols: w, data: out };
}

function checkClusterLabels(labels: ArrayLike<number>, n: number, k: number): void {
  if (labels.length !== n) throw new DataError(`clusterLabels has ${labels.length} values for ${n} samples`);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new DataError(`clusterLabels[${i}] = ${c} is not a cluster in 0..${k - 1}`);
  }
}

function checkRepresentatives(repIndex: ArrayLike<number>, repLabels: ArrayLike<number>, n: number): number {
  const k = repLabels.length;
  if (repIndex.length !== k) throw new DataError(`${repIndex.length} representatives for ${k} labels`);
  for (let c = 0; c < k; c++) {
    const i = repIndex[c];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new DataError(`representative ${c} is sample ${i}, outside 0..${n - 1}`);
    if (!Number.isInteger(repLabels[c])) throw new DataError(`label ${repLabels[c]} of representative ${c} is not an integer`);
  }
  return k;
}
