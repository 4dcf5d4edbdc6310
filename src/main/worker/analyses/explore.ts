/** The exploration views' analyses, run in the worker (types in src/shared/analyses/explore.ts). */
import { sweepK } from '../../../core/cluster/sweep';
import type { ExploreAnalyses } from '../../../shared/analyses/explore';
import type { AnalysisImpl } from './types';

export const EXPLORE_ANALYSES: { [K in keyof ExploreAnalyses]: AnalysisImpl<K> } = {
  sweep: (input, params, onProgress) =>
    sweepK(params.algorithm, input.X, params.ks, {
      params: params.params,
      covarianceTypes: params.covarianceTypes,
      randomState: params.randomState,
      onProgress,
    }),
};
