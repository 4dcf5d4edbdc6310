import type { AnalysisKind, AnalysisParams, AnalysisResult } from '../../../shared/analyses';
import type { AnalysisInput } from '../../../shared/jobs';

/** One analysis: the data (and run) in, its result out; progress from the core's hooks. */
export type AnalysisImpl<K extends AnalysisKind> = (
  input: AnalysisInput,
  params: AnalysisParams<K>,
  onProgress: (fraction: number, message?: string) => void,
) => AnalysisResult<K>;
