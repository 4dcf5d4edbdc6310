import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { WorkerPool, JobError, defaultPoolSize } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import type { FitResult, WorkerTask } from '../../../src/shared/jobs';

const spawner = childProcessSpawner({
  workerPath: resolve(__dirname, '../../fixtures/workers/scripted-worker.ts'),
  execArgv: ['--import', 'tsx'],
});

const task = (behaviour: string, extra: Record<string, unknown> = {}): WorkerTask => ({
  kind: 'fit',
  algorithm: 'kmeans',
  params: { behaviour, ...extra },
  metrics: [],
  X: { rows: 0, cols: 0, data: new Float64Array(0) },
  y: null,
});

/** The scripted worker answers every task with a fit result. */
const runFit = (p: WorkerPool, ...args: Parameters<WorkerPool['run']>): Promise<FitResult> => p.run(...args) as Promise<FitResult>;

async function rejection(p: Promise<unknown>): Promise<JobError> {
  try {
    await p;
  } catch (e) {
    return e as JobError;
  }
  throw new Error('expected the job to fail');
}

let pool: WorkerPool | null = null;
afterEach(() => {
  pool?.dispose();
  pool = null;
});

describe('worker pool (real child processes)', () => {
  it('keeps one core for the window and at least one worker', () => {
    expect(defaultPoolSize(1)).toBe(1);
    expect(defaultPoolSize(2)).toBe(1);
    expect(defaultPoolSize(8)).toBe(7);
  });

  it('runs a task and forwards its progress', async () => {
    pool = new WorkerPool(spawner, 1);
    const seen: number[] = [];
    const r = await runFit(pool!, 'a', task('echo', { value: 7 }), (f) => seen.push(f));
    expect(Array.from(r.labels)).toEqual([7]);
    expect(seen).toEqual([0.5]);
  });

  it('queues tasks beyond the pool size and runs them all', async () => {
    pool = new WorkerPool(spawner, 2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((v) => runFit(pool!, `j${v}`, task('echo', { value: v }))));
    expect(results.map((r) => r.labels[0])).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(results.map((r) => r.metrics.pid)).size).toBeLessThanOrEqual(2);
  });

  it('reports an error thrown in the worker as a failed job with its message', async () => {
    pool = new WorkerPool(spawner, 1);
    const e = await rejection(pool.run('t', task('throw')));
    expect(e.reason).toBe('failed');
    expect(e.message).toMatch(/nClusters must be/);
    // The worker is still usable.
    expect((await runFit(pool!, 't2', task('echo', { value: 1 }))).labels[0]).toBe(1);
  });

  it('fails the job of a worker that exits, with the exit code, and replaces the worker', async () => {
    pool = new WorkerPool(spawner, 1);
    const before = pool.pids()[0];
    const e = await rejection(pool.run('c', task('crash')));
    expect(e.reason).toBe('crashed');
    expect(e.message).toMatch(/exit code 3/);
    const r = await runFit(pool!, 'after', task('echo', { value: 2 }));
    expect(r.labels[0]).toBe(2);
    expect(r.metrics.pid).not.toBe(before);
  });

  it('fails the job of a worker killed from outside (as the OOM killer would)', async () => {
    pool = new WorkerPool(spawner, 1);
    const job = pool.run('k', task('hang', { ms: 30_000 }));
    // The job is handed to the free worker at once; kill that process.
    const pid = pool.pidOf('k');
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    const e = await rejection(job);
    expect(e.reason).toBe('crashed');
    expect(e.message).toMatch(/SIGKILL/);
    expect((await runFit(pool!, 'next', task('echo', { value: 3 }))).labels[0]).toBe(3);
  });

  it('cancels a running job by killing its worker, quickly, and starts a fresh one', async () => {
    pool = new WorkerPool(spawner, 1);
    const job = pool.run('long', task('hang', { ms: 30_000 }));
    const pid = pool.pidOf('long');
    const t0 = performance.now();
    expect(pool.cancel('long')).toBe(true);
    const e = await rejection(job);
    const ms = performance.now() - t0;
    expect(e.reason).toBe('cancelled');
    expect(ms).toBeLessThan(1000); // generous bound for a loaded CI machine; typically < 5 ms
    const r = await runFit(pool!, 'fresh', task('echo', { value: 4 }));
    expect(r.metrics.pid).not.toBe(pid);
  });

  it('cancels a queued job without touching the running one', async () => {
    pool = new WorkerPool(spawner, 1);
    const running = pool.run('r', task('slow', { ms: 400 }));
    const queued = pool.run('q', task('echo'));
    expect(pool.cancel('q')).toBe(true);
    expect((await rejection(queued)).reason).toBe('cancelled');
    await expect(running).resolves.toBeDefined();
    expect(pool.cancel('unknown')).toBe(false);
  });

  it('kills a worker that goes silent past the watchdog timeout', async () => {
    pool = new WorkerPool(spawner, 1, { silenceTimeoutMs: 400 });
    const e = await rejection(pool.run('silent', task('hang', { ms: 30_000 })));
    expect(e.reason).toBe('timeout');
    expect(e.message).toMatch(/stopped responding/);
    // A worker that keeps reporting progress is not killed, even past the timeout.
    await expect(pool.run('talkative', task('slow', { ms: 900 }))).resolves.toBeDefined();
  });
});
