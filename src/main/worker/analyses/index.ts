/**
 * Every analysis the worker can run, by kind. The mapped type makes a missing implementation a
 * compile error: each feature area adds its table here.
 */
import type { AnalysisKind } from '../../../shared/analyses';
import type { AnalysisImpl } from './types';
import { EXPLORE_ANALYSES } from './explore';
import { ANOMALY_ANALYSES } from './anomalies';
import { LABELING_ANALYSES } from './labeling';
import { GEOMETRY_ANALYSES } from './geometry';

export const WORKER_ANALYSES: { [K in AnalysisKind]: AnalysisImpl<K> } = {
  ...EXPLORE_ANALYSES,
  ...LABELING_ANALYSES,
  ...GEOMETRY_ANALYSES,
  ...ANOMALY_ANALYSES,
};
