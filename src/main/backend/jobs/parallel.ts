/**
 * One job on several workers: a K-Means fit's n_init runs, or a sweep's points, are handed to the
 * pool as separate pieces (src/main/worker/parallel.ts) and joined here. The data is written to
 * a file once and every piece reads it from there (transfer.ts), instead of one copy per message.
 * Each piece depends only on its inputs and the join follows the serial order, so the result is
 * exactly the serial one, whatever the number of workers.
 */
import type { KMeansRun } from '../../../core/cluster/kmeans';
import { sweepPlan, sweepResult, type SweepAlgorithm, type SweepPointResult } from '../../../core/cluster/sweep';
import type { SweepParams } from '../../../shared/analyses/explore';
import type { MatrixDTO } from '../../../shared/dto';
import type { AnalysisTask, AnalysisTaskResult, FitResult, FitTask, WorkerResult, WorkerTask } from '../../../shared/jobs';
import type { KMeansFinishTask, KMeansRunsTask, ParallelTask, SweepPointTask } from '../../worker/parallel';
import { JobError, type WorkerPool } from './pool';
import { FILE_TRANSFER_MIN_BYTES, removeFiles, writeArrayFile } from './transfer';

export type ProgressFn = (fraction: number, message: string | undefined) => void;

/** A job split across the pool: its result, and how to stop every piece of it. */
export interface ParallelJob<T> {
  result: Promise<T>;
  cancel(): void;
}

/**
 * Below this many multiply-adds per K-Means pass (samples × features × clusters) a run takes a few
 * tens of milliseconds, and handing its runs to several workers costs more than it saves (each
 * piece is sent the data and prepares it again). Measured with the bench on two workers: digits
 * k = 8 (0.9 M) ×0.7 and 100,000 × 2 k = 8 (1.6 M, after the 2-D WebAssembly kernel) ×0.86 —
 * slower — against 70,000 × 784 (439 M) ×1.4 faster.
 */
export const SPLIT_MIN_WORK = 4_000_000;

/** Whether `task` is split across the pool: more than one worker, and a job made of independent pieces worth splitting. */
export function splitsAcrossPool(pool: WorkerPool, task: WorkerTask): boolean {
  if (pool.size < 2) return false;
  if (task.kind === 'fit') {
    const nInit = task.params.nInit ?? 10;
    const k = typeof task.params.nClusters === 'number' ? task.params.nClusters : 8;
    return (
      task.algorithm === 'kmeans' &&
      !task.preprocess &&
      typeof nInit === 'number' &&
      nInit > 1 &&
      !Array.isArray(task.params.init) &&
      task.X.rows * task.X.cols * k >= SPLIT_MIN_WORK
    );
  }
  return task.kind === 'analysis' && task.analysis === 'sweep';
}

/** Runs `task` on the pool, split into pieces when `splitsAcrossPool` says so. */
export function runOnPool(pool: WorkerPool, jobId: string, task: WorkerTask, onProgress: ProgressFn): ParallelJob<WorkerResult> {
  if (!splitsAcrossPool(pool, task)) return { result: pool.run(jobId, task, onProgress), cancel: () => void pool.cancel(jobId) };
  try {
    if (task.kind === 'fit') return fitKMeansInParallel(pool, jobId, task, onProgress);
    return sweepInParallel(pool, jobId, task as AnalysisTask, onProgress);
  } catch (e) {
    // Bad parameters (a k out of range) or no room for the data file: a failed job, as on one worker.
    return { result: Promise.reject(new JobError('failed', (e as Error).message)), cancel: () => {} };
  }
}

/** The matrix with its data in a file (when large), and the files to remove at the end. */
function shareMatrix(X: MatrixDTO): { X: MatrixDTO; files: string[] } {
  if (X.data.byteLength < FILE_TRANSFER_MIN_BYTES) return { X, files: [] };
  const ref = writeArrayFile(X.data);
  return { X: { rows: X.rows, cols: X.cols, data: ref as unknown as MatrixDTO['data'] } satisfies MatrixDTO, files: [ref.$clusterscopeFile] };
}

/** Pieces on the pool under ids `${jobId}#i`, with the progress of all of them as one. */
class Pieces {
  private readonly fractions: number[] = [];
  private readonly ids: string[] = [];
  private cancelled = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly jobId: string,
    private readonly onProgress: ProgressFn,
    private readonly total: number,
  ) {}

  run<R>(task: ParallelTask): Promise<R> {
    if (this.cancelled) return Promise.reject(new JobError('cancelled', 'cancelled'));
    const index = this.ids.length;
    const id = `${this.jobId}#${index}`;
    this.ids.push(id);
    this.fractions.push(0);
    return this.pool
      .run(id, task as unknown as WorkerTask, (f, m) => {
        this.fractions[index] = f;
        let sum = 0;
        for (const x of this.fractions) sum += x;
        this.onProgress(Math.min(1, sum / this.total), m);
      })
      .then((r) => {
        this.fractions[index] = 1;
        return r as unknown as R;
      });
  }

  cancel(): void {
    this.cancelled = true;
    for (const id of this.ids) this.pool.cancel(id);
  }
}

/** A job's pieces, settled as one: the first failure cancels the others. */
function settle<T>(pieces: Pieces, files: string[], work: () => Promise<T>): ParallelJob<T> {
  const result = work().then(
    (r) => {
      removeFiles(files);
      return r;
    },
    (e: unknown) => {
      pieces.cancel();
      removeFiles(files);
      throw e instanceof JobError ? e : new JobError('failed', (e as Error)?.message ?? String(e));
    },
  );
  return { result, cancel: () => pieces.cancel() };
}

/**
 * A KMeans fit with its n_init runs spread over the pool, one run per piece (the pool balances
 * them), then a last piece that keeps the best run and scores it, as the worker's fit does.
 */
export function fitKMeansInParallel(pool: WorkerPool, jobId: string, task: FitTask, onProgress: ProgressFn): ParallelJob<FitResult> {
  // The seed the fit will record, drawn here as the registry draws it, so every run shares it.
  const given = task.params.randomState;
  const params = { ...task.params, randomState: typeof given === 'number' ? given : Math.floor(Math.random() * 2147483647) };
  const nInit = (task.params.nInit as number | undefined) ?? 10;
  const shared = shareMatrix(task.X);
  const pieces = new Pieces(pool, jobId, onProgress, nInit + 1);
  return settle(pieces, shared.files, async () => {
    const parts = await Promise.all(
      Array.from({ length: nInit }, (_, r) => pieces.run<{ runs: KMeansRun[] }>({ kind: 'kmeans-runs', params, X: shared.X, runs: [r] } satisfies KMeansRunsTask)),
    );
    const finish: KMeansFinishTask = { kind: 'kmeans-finish', params, X: shared.X, y: task.y, metrics: task.metrics, runs: parts.flatMap((p) => p.runs) };
    const result = await pieces.run<FitResult>(finish);
    onProgress(1, 'done');
    return result;
  });
}

/** A sweep over k with its points spread over the pool, one point per piece. */
export function sweepInParallel(pool: WorkerPool, jobId: string, task: AnalysisTask, onProgress: ProgressFn): ParallelJob<AnalysisTaskResult> {
  const p = task.params as unknown as SweepParams;
  const randomState = p.randomState ?? Math.floor(Math.random() * 2147483647);
  const plan = sweepPlan(p.algorithm, { rows: task.X.rows, cols: task.X.cols, data: task.X.data }, p.ks, { covarianceTypes: p.covarianceTypes, params: p.params });
  const shared = shareMatrix(task.X);
  const pieces = new Pieces(pool, jobId, onProgress, plan.length);
  return settle(pieces, shared.files, async () => {
    const points = await Promise.all(
      plan.map(({ k, covarianceType }) =>
        pieces.run<{ result: SweepPointResult }>({
          kind: 'sweep-point',
          algorithm: p.algorithm as SweepAlgorithm,
          X: shared.X,
          k,
          covarianceType,
          randomState,
          params: p.params,
        } satisfies SweepPointTask),
      ),
    );
    onProgress(1, 'done');
    return { kind: 'analysis', result: sweepResult(p.algorithm as SweepAlgorithm, p.ks, points.map((x) => x.result), randomState) };
  });
}

