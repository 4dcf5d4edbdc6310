/** What a worker does with each task kind; pure apart from the progress callback. */
import type { AnalysisTask, AnalysisTaskResult, FitResult, FitTask, WorkerResult, WorkerTask } from '../../shared/jobs';
import type { AnalysisKind } from '../../shared/analyses';
import { WORKER_ANALYSES } from './analyses';
import type { AnalysisImpl } from './analyses/types';
import { fitClustering, scoreClustering } from '../../core/cluster/registry';
import { prepareFit } from './labeling/preprocess';
import { runImageTask, runSampleTask } from './images';
import { isParallelTask, runParallelTask } from './parallel';

export type ProgressFn = (fraction: number, message?: string) => void;

export function runTask(task: WorkerTask, onProgress: ProgressFn): WorkerResult | Promise<WorkerResult> {
  switch (task.kind) {
    case 'fit':
      return runFit(task, onProgress);
    case 'analysis':
      return runAnalysis(task, onProgress);
    case 'images':
      return runImageTask(task, onProgress);
    case 'sample':
      return runSampleTask(task, onProgress);
    default:
      // The pieces of a job split across workers (parallel.ts) are not job kinds of their own.
      if (isParallelTask(task)) return runParallelTask(task, onProgress) as WorkerResult;
      throw new Error(`unknown task kind '${(task as { kind: string }).kind}'`);
  }
}

function runFit(task: FitTask, onProgress: ProgressFn): FitResult {
  const wantMetrics = task.metrics.length > 0;
  // The fit gets 80 % of the bar when metrics follow it (silhouette is O(n²)), less a preprocessing share.
  const prepShare = task.preprocess ? 0.15 : 0;
  const fitShare = wantMetrics ? 0.8 : 1;
  const prepared = task.preprocess ? prepareFit(task.X, task.preprocess, task.algorithm, (f) => onProgress(f * prepShare, 'PCA')) : null;
  const fitted = fitClustering(task.algorithm, task.params, prepared?.fitX ?? task.X, {
    onProgress: (f, m) => onProgress(prepShare + f * (fitShare - prepShare), m ?? 'fitting'),
  });
  const outcome = prepared ? prepared.finish(fitted, task.algorithm) : fitted;
  const metrics: Record<string, number> = { ...outcome.scalars };
  if (wantMetrics) {
    Object.assign(
      metrics,
      scoreClustering(task.metrics, prepared?.allX ?? task.X, outcome.labels, task.y, {
        onProgress: (f) => onProgress(fitShare + (1 - fitShare) * f, 'scoring'),
      }),
    );
  }
  onProgress(1, 'done');
  return {
    kind: 'fit',
    labels: outcome.labels,
    centers: outcome.centers,
    nClusters: outcome.nClusters,
    randomState: outcome.randomState,
    metrics,
    model: outcome.model,
  };
}

function runAnalysis(task: AnalysisTask, onProgress: ProgressFn): AnalysisTaskResult {
  if (!Object.hasOwn(WORKER_ANALYSES, task.analysis)) throw new Error(`unknown analysis '${task.analysis}'`);
  const impl = WORKER_ANALYSES[task.analysis] as AnalysisImpl<AnalysisKind>;
  const result = impl(task, task.params as never, onProgress);
  onProgress(1, 'done');
  return { kind: 'analysis', result };
}
