/**
 * Analyses of the exploration views (issue: choose k, silhouettes, boundaries…): what each
 * takes and returns. The worker implements them in src/main/worker/analyses/explore.ts.
 */
import type { SweepResult } from '../../core/cluster/sweep';

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

export interface ExploreAnalyses {
  /** Fits the algorithm for every k: inertia, silhouette, CH, DB, BIC, AIC and the suggested k. */
  sweep: { params: SweepParams; result: SweepResult; needsRun: false };
}
