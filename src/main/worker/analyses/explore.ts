/** The exploration views' analyses, run in the worker (types in src/shared/analyses/explore.ts). */
import { sweepK } from '../../../core/cluster/sweep';
import { PCA } from '../../../core/decomposition';
import { ParameterError } from '../../../core/errors';
import { takeRows, type Matrix } from '../../../core/math/matrix';
import { makeRandom } from '../../../core/math/random';
import { silhouetteSamples } from '../../../core/metrics';
import { checkInt, checkOneOf, checkRandomState } from '../../../core/validate';
import type { ExploreAnalyses, ProjectionResult, SilhouetteCluster, SilhouetteParams, SilhouetteResult } from '../../../shared/analyses/explore';
import type { AnalysisInput } from '../../../shared/jobs';
import type { AnalysisImpl } from './types';

export const EXPLORE_ANALYSES: { [K in keyof ExploreAnalyses]: AnalysisImpl<K> } = {
  sweep: (input, params, onProgress) =>
    sweepK(params.algorithm, input.X, params.ks, {
      params: params.params,
      covarianceTypes: params.covarianceTypes,
      randomState: params.randomState,
      onProgress,
    }),
  projection: (input, params, onProgress) => {
    checkOneOf('method', params.method ?? 'pca', ['pca'] as const);
    return projectPca(input.X, onProgress);
  },
  silhouette: (input, params, onProgress) => silhouetteDiagram(input, params, onProgress),
};

/** PC1 and PC2 of every sample, with the axes and mean that project anything else (centroids) the same way. */
export function projectPca(X: Matrix, onProgress: (fraction: number, message?: string) => void): ProjectionResult {
  if (X.cols < 2) throw new ParameterError(`a PCA projection needs at least 2 features; this dataset has ${X.cols}`);
  const pca = new PCA({ nComponents: 2 }).fit(X, null, { onProgress: (f) => onProgress(0.9 * f, 'principal components') });
  const Z = pca.transform(X);
  const n = X.rows;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = Z.data[2 * i];
    y[i] = Z.data[2 * i + 1];
  }
  return {
    method: 'pca',
    x,
    y,
    explainedVarianceRatio: Float64Array.from(pca.explainedVarianceRatio_),
    components: { rows: pca.components_.rows, cols: pca.components_.cols, data: Float64Array.from(pca.components_.data) },
    mean: Float64Array.from(pca.mean_),
  };
}

/**
 * The silhouette diagram of a run: every scored sample's coefficient, grouped by cluster and
 * sorted inside it, so the renderer only walks arrays. Noise (−1) is not a cluster: its samples
 * are left out and counted, and the coefficients are those of the clustered samples among
 * themselves (what scikit-learn gives for `silhouette_samples(X[mask], labels[mask])`).
 */
export function silhouetteDiagram(input: AnalysisInput, params: SilhouetteParams, onProgress: (fraction: number, message?: string) => void): SilhouetteResult {
  const run = input.run;
  if (!run) throw new ParameterError('the silhouette diagram is about a clustering: choose a run');
  const X = input.X;
  const n = X.rows;
  if (run.labels.length !== n) throw new ParameterError(`the run labels ${run.labels.length} samples but the dataset has ${n}`);
  const seed = checkRandomState(params.randomState) ?? 0;

  let keep: Int32Array | null = null;
  let nNoise = 0;
  for (let i = 0; i < n; i++) if (run.labels[i] < 0) nNoise++;
  if (nNoise > 0) {
    keep = new Int32Array(n - nNoise);
    for (let i = 0, j = 0; i < n; i++) if (run.labels[i] >= 0) keep[j++] = i;
  }
  let sampleSize: number | null = null;
  if (params.sampleSize !== undefined && params.sampleSize !== null) {
    const size = checkInt('sampleSize', params.sampleSize, 2);
    const pool = keep ? keep.length : n;
    if (size < pool) {
      const picked = makeRandom(seed).sample(pool, size).sort();
      keep = keep ? Int32Array.from(picked, (p) => keep![p]) : picked;
      sampleSize = size;
    }
  }

  const m = keep ? keep.length : n;
  const labels = keep ? Int32Array.from(keep, (r) => run.labels[r]) : run.labels;
  const distinct = new Set(labels).size;
  if (distinct < 2 || distinct > m - 1) {
    throw new ParameterError(
      `a silhouette needs between 2 and ${Math.max(2, m - 1)} clusters among the ${m.toLocaleString('en-US')} scored samples; this run has ${distinct}`,
    );
  }
  const data = keep ? takeRows(X, keep) : X;
  const values = silhouetteSamples(data, labels, { onProgress: (f) => onProgress(0.95 * f, 'silhouette coefficients') });
  const { order, clusters } = sortByCluster(labels, values);
  let total = 0, nNegative = 0;
  for (let i = 0; i < m; i++) {
    total += values[i];
    if (values[i] < 0) nNegative++;
  }
  return { rows: keep, values, order, clusters, mean: total / m, nNegative, nNoise, sampleSize, nSamples: n };
}

/**
 * Groups positions by label (ascending) and sorts each group by value (ascending), with each
 * group's size, mean, extremes and count of negative values.
 * @param labels (m) non-negative cluster labels.
 * @param values (m).
 */
export function sortByCluster(labels: Int32Array, values: Float64Array): { order: Int32Array; clusters: SilhouetteCluster[] } {
  const m = labels.length;
  const distinct = [...new Set(labels)].sort((a, b) => a - b);
  const slot = new Map(distinct.map((l, s) => [l, s]));
  const starts = new Int32Array(distinct.length + 1);
  for (let i = 0; i < m; i++) starts[slot.get(labels[i])! + 1]++;
  for (let s = 0; s < distinct.length; s++) starts[s + 1] += starts[s];
  const order = new Int32Array(m);
  const next = starts.slice(0, distinct.length);
  for (let i = 0; i < m; i++) order[next[slot.get(labels[i])!]++] = i;
  const clusters = distinct.map((label, s): SilhouetteCluster => {
    const part = order.subarray(starts[s], starts[s + 1]);
    part.sort((a, b) => values[a] - values[b] || a - b);
    let sum = 0, negative = 0;
    for (let j = 0; j < part.length; j++) {
      const v = values[part[j]];
      sum += v;
      if (v < 0) negative++;
    }
    return {
      label,
      size: part.length,
      mean: sum / part.length,
      min: values[part[0]],
      max: values[part[part.length - 1]],
      negative,
      start: starts[s],
    };
  });
  return { order, clusters };
}
