/**
 * Analyses of the exploration views (issue: choose k, silhouettes, boundaries…): what each
 * takes and returns. The worker implements them in src/main/worker/analyses/explore.ts.
 */
import type { SweepResult } from '../../core/cluster/sweep';
import type { MatrixDTO } from '../dto';

export interface SweepParams {
  algorithm: 'kmeans' | 'minibatch-kmeans' | 'gmm' | 'bgmm' | 'agglomerative' | 'spectral';
  /** The values of k, ascending. */
  ks: number[];
  /** Mixtures: one curve per covariance type. */
  covarianceTypes?: string[];
  /** The algorithm's other hyperparameters, fixed across the sweep. */
  params?: Record<string, unknown>;
  randomState?: number;
}

/** A 2-D PCA of the dataset, for scatters of data with more than two columns. */
export interface ProjectionParams {
  method: 'pca';
}

export interface ProjectionResult {
  method: 'pca';
  /** The first two principal components of every sample, (nSamples) each. */
  x: Float64Array;
  y: Float64Array;
  /** Share of the variance along PC1 and PC2, (2). */
  explainedVarianceRatio: Float64Array;
  /** The principal axes, (2, nFeatures): a point p projects to (p − mean) · componentsᵀ. */
  components: MatrixDTO;
  /** Per-feature mean, (nFeatures). */
  mean: Float64Array;
}

export interface SilhouetteParams {
  /** Score a seeded random subset of this many samples instead of all of them. */
  sampleSize?: number;
  /** Seed of that subset. */
  randomState?: number;
}

/** One cluster of a silhouette diagram. */
export interface SilhouetteCluster {
  /** The run's label of the cluster. */
  label: number;
  size: number;
  mean: number;
  min: number;
  max: number;
  /** Members whose coefficient is below 0 (probably in the wrong cluster). */
  negative: number;
  /** Where the cluster's members start in `order`. */
  start: number;
}

export interface SilhouetteResult {
  /** Rows in the dataset that were scored, ascending, (m); null when every row was. */
  rows: Int32Array | null;
  /** Silhouette coefficient of each scored sample, (m). */
  values: Float64Array;
  /** Positions into `values`, cluster by cluster (ascending label), ascending value inside a cluster, (m). */
  order: Int32Array;
  clusters: SilhouetteCluster[];
  /** Mean coefficient over the scored samples: the silhouette score. */
  mean: number;
  /** Scored samples with a negative coefficient. */
  nNegative: number;
  /** Noise samples (label −1) of the run, left out of the diagram. */
  nNoise: number;
  /** The subset size when a sample was scored, else null. */
  sampleSize: number | null;
  /** Rows of the dataset. */
  nSamples: number;
}

export interface ExploreAnalyses {
  /** Fits the algorithm for every k: inertia, silhouette, CH, DB, BIC, AIC and the suggested k. */
  sweep: { params: SweepParams; result: SweepResult; needsRun: false };
  /** The dataset projected on its first two principal components. */
  projection: { params: ProjectionParams; result: ProjectionResult; needsRun: false };
  /** Per-sample silhouette coefficients of a run, sorted per cluster for the diagram. */
  silhouette: { params: SilhouetteParams; result: SilhouetteResult; needsRun: true };
}
