/**
 * Pieces of one job that workers run side by side (src/main/backend/jobs/parallel.ts splits and
 * joins them): some of a K-Means fit's n_init runs, the fit's finish from all of its runs, or one
 * point of a sweep over k. Each piece depends only on its inputs, so the joined result is the
 * serial one whatever the number of workers.
 */
import { KMeans, type KMeansRun } from '../../core/cluster/kmeans';
import { scoreClustering, type MetricName } from '../../core/cluster/registry';
import { sweepPoint, type SweepAlgorithm, type SweepPointResult } from '../../core/cluster/sweep';
import type { MatrixDTO } from '../../shared/dto';
import type { FitResult } from '../../shared/jobs';

/** Runs `runs` of a KMeans fit (params with an explicit randomState). */
export interface KMeansRunsTask {
  kind: 'kmeans-runs';
  params: Record<string, unknown>;
  X: MatrixDTO;
  runs: number[];
}

/** The fit's result from all of its runs, scored like any fit. */
export interface KMeansFinishTask {
  kind: 'kmeans-finish';
  params: Record<string, unknown>;
  X: MatrixDTO;
  y: Int32Array | null;
  metrics: MetricName[];
  runs: KMeansRun[];
}

export interface SweepPointTask {
  kind: 'sweep-point';
  algorithm: SweepAlgorithm;
  X: MatrixDTO;
  k: number;
  covarianceType?: string;
  randomState: number;
  params?: Record<string, unknown>;
}

export type ParallelTask = KMeansRunsTask | KMeansFinishTask | SweepPointTask;

export type ParallelResult =
  | { kind: 'kmeans-runs'; runs: KMeansRun[] }
  | FitResult
  | { kind: 'sweep-point'; result: SweepPointResult };

const KINDS = new Set(['kmeans-runs', 'kmeans-finish', 'sweep-point']);

export function isParallelTask(task: { kind: string }): task is ParallelTask {
  return KINDS.has(task.kind);
}

export function runParallelTask(task: ParallelTask, onProgress: (fraction: number, message?: string) => void): ParallelResult {
  switch (task.kind) {
    case 'kmeans-runs':
      return { kind: 'kmeans-runs', runs: new KMeans(task.params).fitRuns(task.X, task.runs, { onProgress: (f) => onProgress(f, 'fitting') }) };
    case 'kmeans-finish': {
      const km = new KMeans(task.params).adoptRuns(task.runs, task.X.cols);
      const metrics: Record<string, number> = { inertia: km.inertia_, nIter: km.nIter_ };
      if (task.metrics.length > 0) {
        Object.assign(metrics, scoreClustering(task.metrics, task.X, km.labels_, task.y, { onProgress: (f) => onProgress(f, 'scoring') }));
      }
      return {
        kind: 'fit',
        labels: km.labels_,
        centers: km.clusterCenters_,
        nClusters: km.clusterCenters_.rows,
        randomState: km.params.randomState ?? null,
        metrics,
        model: km.toJSON(),
      };
    }
    case 'sweep-point':
      return {
        kind: 'sweep-point',
        result: sweepPoint(task.algorithm, task.X, task.k, task.covarianceType, task.randomState, {
          params: task.params,
          onProgress: (f, m) => onProgress(f, m),
        }),
      };
  }
}
