/**
 * A backend with a pool of REAL worker processes (src/main/worker/index.ts under tsx), its
 * events recorded, for the job fault tests.
 */
import { join } from 'node:path';
import type { Backend } from '../../../src/main/backend/backend';
import { WorkerPool, type PoolOptions } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import type { JobInfo } from '../../../src/shared/dto';
import type { FitJobSpec } from '../../../src/shared/jobs';
import { ROOT, observedSpawner, randomDataset, tempDir, testBackend, until, type WorkerEvent } from '../helpers';

export const WORKER = join(ROOT, 'src/main/worker/index.ts');

export interface JobEvent {
  name: string;
  at: number;
  job: JobInfo;
}

export interface Rig {
  backend: Backend;
  pool: WorkerPool;
  workers: WorkerEvent[];
  events: JobEvent[];
  datasets: Record<string, string>;
  /** Resolves with the job's end event (done, failed or cancelled). */
  end(jobId: string, timeoutMs?: number): Promise<JobEvent>;
  /** Resolves when the job has reported progress (its fit is running in the worker). */
  running(jobId: string, timeoutMs?: number): Promise<JobEvent>;
  fit(dataset: string, params: Record<string, unknown>, algorithm?: FitJobSpec['algorithm']): Promise<JobInfo>;
  /** Waits until every live worker of the pool has said 'ready'. */
  ready(timeoutMs?: number): Promise<void>;
  runCount(): Promise<number>;
  dispose(): void;
}

/**
 * A project with the given datasets (name → [rows, cols]) opened in a backend whose pool runs
 * `size` real workers started with `execArgv` after tsx.
 */
export async function rig(datasets: Record<string, [number, number]>, opts: { size?: number; execArgv?: string[]; pool?: PoolOptions } = {}): Promise<Rig> {
  const tmp = tempDir('jobs');
  const path = join(tmp.dir, 'jobs.clusterscope');
  const store = ProjectStore.open(path, { create: true });
  const ids: Record<string, string> = {};
  let seed = 1;
  for (const [name, [rows, cols]] of Object.entries(datasets)) ids[name] = store.addDataset(randomDataset(name, rows, cols, seed++)).id;
  store.close();

  const workers: WorkerEvent[] = [];
  const pool = new WorkerPool(
    observedSpawner(childProcessSpawner({ workerPath: WORKER, execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])] }), workers),
    opts.size ?? 1,
    opts.pool,
  );
  const events: JobEvent[] = [];
  const waiters: { test: (e: JobEvent) => boolean; ok: (e: JobEvent) => void }[] = [];
  const backend = testBackend(join(tmp.dir, 'data'), pool, (name, payload) => {
    if (!name.startsWith('job:')) return;
    const jobId = (payload as { id?: string; jobId?: string }).id ?? (payload as { jobId: string }).jobId;
    const ev: JobEvent = { name, at: performance.now(), job: { ...(payload as JobInfo), id: jobId } };
    events.push(ev);
    for (const w of [...waiters]) {
      if (!w.test(ev)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.ok(ev);
    }
  });
  await backend.project.open(path);

  const waitEvent = (test: (e: JobEvent) => boolean, timeoutMs: number, what: string): Promise<JobEvent> => {
    const seen = events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      waiters.push({ test, ok: (e) => (clearTimeout(timer), ok(e)) });
    });
  };
  const ENDS = ['job:done', 'job:failed', 'job:cancelled'];
  const live = (): WorkerEvent[] => pool.pids().map((pid) => workers.find((w) => w.pid === pid)!);

  return {
    backend,
    pool,
    workers,
    events,
    datasets: ids,
    end: (jobId, timeoutMs = 60_000) => waitEvent((e) => e.job.id === jobId && ENDS.includes(e.name), timeoutMs, `the end of job ${jobId}`),
    running: (jobId, timeoutMs = 60_000) =>
      waitEvent((e) => e.job.id === jobId && (e.name === 'job:progress' || ENDS.includes(e.name)), timeoutMs, `progress of job ${jobId}`),
    fit: (dataset, params, algorithm = 'kmeans') => backend.jobs.start({ kind: 'fit', datasetId: ids[dataset], algorithm, params, metrics: [] }),
    ready: (timeoutMs = 60_000) => until(() => live().every((w) => w?.readyAt !== null), timeoutMs, 'the workers to be ready'),
    runCount: async () => (await backend.project.current())?.runCount ?? -1,
    dispose() {
      backend.dispose();
      pool.dispose();
      tmp.remove();
    },
  };
}

/** True while a process with this pid exists. */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
