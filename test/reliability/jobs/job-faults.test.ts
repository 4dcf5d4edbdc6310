/**
 * Jobs whose worker fails, with the REAL worker process (src/main/worker/index.ts) behind the
 * real backend: a fit that throws, a worker terminated or killed in the middle of a fit, one
 * that stops answering (SIGSTOP: alive but silent, caught by the watchdog) and one that runs out
 * of memory (started with a 16 MB heap, fitting a million samples). Each is a failed job with the
 * reason, the pool replaces the process, no run is saved for the failed job, and the next job
 * runs and is saved.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../figures';
import { alive, rig, type Rig } from './harness';
import { until } from '../helpers';

const figures = { trials: 0, faults: 0, failures: 0, notes: [] as string[] };
afterAll(() => recordFigures({ suite: 'jobs: failing workers', file: __filename, ...figures }));

/** Fit parameters that keep a K-Means fit on `long` busy for a minute, reporting progress. */
const LONG = { nClusters: 64, nInit: 20, maxIter: 300, tol: 0, randomState: 1 };

/** After a failure: the job saved nothing, a fresh worker runs the next job and saves it. */
async function expectRecovered(r: Rig, runsBefore: number, deadPid: number | undefined): Promise<void> {
  expect(await r.runCount(), 'a failed job saved a run').toBe(runsBefore);
  await r.ready();
  if (deadPid !== undefined) {
    expect(r.pool.pids()).not.toContain(deadPid);
    await until(() => !alive(deadPid), 5_000, `process ${deadPid} to be gone`);
  }
  const next = await r.fit('small', { nClusters: 3, randomState: 0 });
  const end = await r.end(next.id);
  expect(end.name, end.job.error ?? '').toBe('job:done');
  expect(await r.runCount()).toBe(runsBefore + 1);
}

describe('a job whose worker fails (real worker processes)', () => {
  it('reports a fit that throws as failed with its message, keeps the worker, saves nothing', async () => {
    const r = await rig({ small: [150, 4] });
    try {
      await r.ready();
      const pid = r.pool.pids()[0];
      const job = await r.fit('small', { nClusters: 0 });
      const end = await r.end(job.id);
      figures.trials++;
      figures.faults++;
      expect(end.name).toBe('job:failed');
      expect(end.job.error).toMatch(/nClusters/);
      // A thrown error is an answer, not a crash: the same process goes on.
      expect(r.pool.pids()).toEqual([pid]);
      await expectRecovered(r, 0, undefined);
    } finally {
      r.dispose();
    }
  });

  it('reports a worker terminated or killed in the middle of a fit as failed with the signal, and replaces it', async () => {
    const r = await rig({ small: [150, 4], long: [30_000, 8] });
    try {
      let runs = 0;
      for (const [signal, reason] of [
        ['SIGTERM', /terminated by SIGTERM/],
        ['SIGKILL', /killed \(SIGKILL\), possibly because it ran out of memory/],
        ['SIGSEGV', /terminated by SIGSEGV/],
      ] as const) {
        await r.ready();
        const job = await r.fit('long', LONG);
        await r.running(job.id);
        const pid = r.pool.pidOf(job.id);
        expect(pid).toBeDefined();
        process.kill(pid!, signal);
        const end = await r.end(job.id);
        figures.trials++;
        figures.faults++;
        expect(end.name, signal).toBe('job:failed');
        expect(end.job.error, signal).toMatch(reason);
        await expectRecovered(r, runs, pid);
        runs++;
      }
    } finally {
      r.dispose();
    }
  });

  it('kills a worker that stops answering (SIGSTOP) with the watchdog, fails its job with the reason, and replaces it', async () => {
    const r = await rig({ small: [150, 4], long: [30_000, 8] }, { pool: { silenceTimeoutMs: 1500 } });
    try {
      await r.ready();
      const job = await r.fit('long', LONG);
      await r.running(job.id);
      const pid = r.pool.pidOf(job.id)!;
      process.kill(pid, 'SIGSTOP');
      const stoppedAt = performance.now();
      const end = await r.end(job.id);
      figures.trials++;
      figures.faults++;
      expect(end.name).toBe('job:failed');
      expect(end.job.error).toMatch(/stopped responding/);
      figures.notes.push(`a silent worker was stopped ${((end.at - stoppedAt) / 1000).toFixed(2)} s after it fell silent (watchdog 1.5 s)`);
      await expectRecovered(r, 0, pid);
    } finally {
      r.dispose();
    }
  });

  it('does not take a worker that is still starting for a silent one', async () => {
    // A watchdog far shorter than a worker's start under tsx (about a second): the job handed
    // to the starting worker waits in its queue, and must not be killed for it.
    const r = await rig({ small: [150, 4] }, { pool: { silenceTimeoutMs: 300 } });
    try {
      const job = await r.fit('small', { nClusters: 3, randomState: 0 });
      const end = await r.end(job.id);
      expect(r.workers[0].readyAt! - r.workers[0].spawnedAt).toBeGreaterThan(300);
      expect(end.name, end.job.error ?? '').toBe('job:done');
      expect(await r.runCount()).toBe(1);
    } finally {
      r.dispose();
    }
  });

  it('reports a worker that runs out of memory as a failed job whose reason says so, and replaces it', async () => {
    // 16 MB of V8 heap: enough to start and to fit, not to encode a million labels as JSON.
    const r = await rig({ small: [150, 4], million: [1_000_000, 1] }, { execArgv: ['--max-old-space-size=16'] });
    try {
      await r.ready();
      const job = await r.fit('million', { nClusters: 2, nInit: 1, maxIter: 2, randomState: 0 });
      const pid = r.pool.pidOf(job.id);
      const end = await r.end(job.id);
      figures.trials++;
      figures.faults++;
      expect(end.name).toBe('job:failed');
      expect(end.job.error).toMatch(/out of memory/);
      figures.notes.push(`out of memory reported as: "${end.job.error}"`);
      await expectRecovered(r, 0, pid);
    } finally {
      r.dispose();
    }
  });
});
