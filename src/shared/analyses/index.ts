/**
 * Analyses: computations on a dataset (and optionally one of its runs) that run as jobs in the
 * worker pool and are saved with the project. Each feature area declares its analyses in its own
 * file; `AnalysisTypes` joins them, and the worker must implement every one (a mapped type checks
 * it). `needsRun: true` means the job must name a run (its labels, centres and model are sent).
 */
import type { ExploreAnalyses } from './explore';
import type { AnomalyAnalyses } from './anomalies';
import { LABELING_ANALYSES_NEEDING_RUN, type LabelingAnalyses } from './labeling';
import { GEOMETRY_NEEDING_RUN, type GeometryAnalyses } from './geometry';

/** Every analysis kind: each feature area's table joined with `&`. */
export type AnalysisTypes = LabelingAnalyses & ExploreAnalyses & GeometryAnalyses & AnomalyAnalyses;

export type AnalysisKind = keyof AnalysisTypes;
export type AnalysisParams<K extends AnalysisKind> = AnalysisTypes[K]['params'];
export type AnalysisResult<K extends AnalysisKind> = AnalysisTypes[K]['result'];

/** Analyses that need a run, at run time (the backend checks the job names one). */
export const ANALYSES_NEEDING_RUN: ReadonlySet<string> = new Set<string>([...LABELING_ANALYSES_NEEDING_RUN, 'silhouette', ...GEOMETRY_NEEDING_RUN]);
