/**
 * The gallery of a centroid run: every labelable row grouped by cluster and sorted by its distance
 * to the cluster's centre, and each cluster's representative (the chapter's
 * `argmin(kmeans.transform(X_train), axis=0)`), in the space the clustering was fitted in.
 */
import { ownCentroidDistances, nearestSamples } from '../../../core/semisupervised';
import { takeRows, type Matrix } from '../../../core/math/matrix';
import type { GalleryResult } from '../../../shared/analyses/labeling';
import type { AnalysisInput } from '../../../shared/jobs';
import { requireRun, runRows, type Progress } from './common';

export function gallery(input: AnalysisInput, onProgress: Progress): GalleryResult {
  const run = requireRun(input);
  const { model, space, rows, heldOut } = runRows(input);
  const k = model.clusterCenters_.rows;
  onProgress(0.05, 'distances');
  const Xs = space.toModelSpace(rows.length === input.X.rows ? (input.X as Matrix) : takeRows(input.X, rows));
  onProgress(0.5, 'distances');
  const D = model.transform(Xs);
  const clusterOf = Int32Array.from(rows, (r) => run.labels[r]);
  const own = ownCentroidDistances(D, clusterOf);
  const local = nearestSamples(D);
  onProgress(0.8, 'sorting');

  // Counting sort by cluster, then by (distance, row) within each cluster.
  const offsets = new Int32Array(k + 1);
  for (let i = 0; i < rows.length; i++) offsets[clusterOf[i] + 1]++;
  for (let c = 0; c < k; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, k);
  const slots = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) slots[fill[clusterOf[i]]++] = i;
  for (let c = 0; c < k; c++) {
    slots.subarray(offsets[c], offsets[c + 1]).sort((a, b) => own[a] - own[b] || rows[a] - rows[b]);
  }
  const order = Int32Array.from(slots, (i) => rows[i]);
  const distances = Float64Array.from(slots, (i) => own[i]);
  const representatives = Int32Array.from(local, (i) => rows[i]);
  const representativeDistances = Float64Array.from(local, (i, c) => D.data[i * k + c]);
  return {
    nClusters: k,
    order,
    offsets,
    distances,
    representatives,
    representativeDistances,
    heldOut,
    split: space.holdout,
    pcaComponents: space.pca ? space.pca.nComponents_ : null,
  };
}
