/**
 * Jobs as the renderer sees them: an id, a state, progress, and the run they produced. The
 * runner hands tasks to the pool, forwards progress as events, and lets its caller save the
 * result before the job is reported done — so a job is never "done" with nothing saved.
 */
import { randomUUID } from 'node:crypto';
import type { ApiEvents } from '../../../shared/api';
import type { JobInfo } from '../../../shared/dto';
import type { WorkerResult, WorkerTask } from '../../../shared/jobs';
import { runOnPool } from './parallel';
import { JobError, type WorkerPool } from './pool';

export type Emit = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

export interface JobRequest {
  kind: string;
  title: string;
  task: WorkerTask;
  /** Saves the result and says what it became (a run, an analysis). Runs in the main process. */
  onResult: (result: WorkerResult, durationMs: number) => { runId?: string; analysisId?: string };
  /** Records a failed or cancelled job (e.g. as a failed run); optional. */
  onFailure?: (error: JobError, durationMs: number) => void;
}

/** Finished jobs kept in `list()` for the status bar. */
const HISTORY = 50;

export class JobRunner {
  private readonly jobs = new Map<string, JobInfo>();
  /** How to stop each job still on the pool (several pieces for a split job). */
  private readonly cancels = new Map<string, () => void>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly emit: Emit,
  ) {}

  start(req: JobRequest): JobInfo {
    const id = randomUUID();
    const job: JobInfo = {
      id,
      kind: req.kind,
      title: req.title,
      state: 'queued',
      progress: 0,
      message: null,
      startedAt: new Date().toISOString(),
      runId: null,
      analysisId: null,
      error: null,
    };
    this.jobs.set(id, job);
    this.trim();
    const t0 = performance.now();
    this.emit('job:started', { ...job });
    let lastEmit = 0;
    // A K-Means fit's runs and a sweep's points go to several workers when the pool has them.
    const running = runOnPool(this.pool, id, req.task, (fraction, message) => {
      job.state = 'running';
      job.progress = fraction;
      job.message = message ?? null;
      const t = performance.now();
      if (t - lastEmit >= 50 || fraction >= 1) {
        lastEmit = t;
        this.emit('job:progress', { jobId: id, progress: fraction, message: job.message });
      }
    });
    this.cancels.set(id, running.cancel);
    running.result
      .finally(() => this.cancels.delete(id))
      .then(
        (result) => {
          const ms = performance.now() - t0;
          try {
            const saved = req.onResult(result, ms);
            job.runId = saved.runId ?? null;
            job.analysisId = saved.analysisId ?? null;
            job.state = 'done';
            job.progress = 1;
            this.emit('job:done', { ...job });
          } catch (e) {
            job.state = 'failed';
            job.error = `the result could not be saved: ${(e as Error).message}`;
            this.emit('job:failed', { ...job });
          }
        },
        (e: unknown) => {
          const ms = performance.now() - t0;
          const err = e instanceof JobError ? e : new JobError('failed', (e as Error)?.message ?? String(e));
          job.state = err.reason === 'cancelled' ? 'cancelled' : 'failed';
          job.error = err.reason === 'cancelled' ? null : err.message;
          try {
            req.onFailure?.(err, ms);
          } catch {
            // Recording the failure is best effort; the job's own state says what happened.
          }
          this.emit(job.state === 'cancelled' ? 'job:cancelled' : 'job:failed', { ...job });
        },
      );
    return { ...job };
  }

  cancel(id: string): boolean {
    const cancel = this.cancels.get(id);
    if (!cancel) return false;
    cancel();
    return true;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j }));
  }

  /** Cancels everything still queued or running (project closed, app quitting). */
  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.state === 'queued' || j.state === 'running') this.cancel(j.id);
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'queued' && j.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - HISTORY))) this.jobs.delete(j.id);
  }
}
