/** The labeling workflow's analyses, run in the worker (types in src/shared/analyses/labeling.ts). */
import type { LabelingAnalyses } from '../../../shared/analyses/labeling';
import { clusterFeatures } from '../labeling/cluster-features';
import { evaluateLabels } from '../labeling/evaluate';
import { gallery } from '../labeling/gallery';
import type { AnalysisImpl } from './types';

export const LABELING_ANALYSES: { [K in keyof LabelingAnalyses]: AnalysisImpl<K> } = {
  gallery: (input, _params, onProgress) => gallery(input, onProgress),
  'evaluate-labels': evaluateLabels,
  'cluster-features': clusterFeatures,
};
