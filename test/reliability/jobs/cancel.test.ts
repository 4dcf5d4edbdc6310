/**
 * Cancel within 100 ms, for every algorithm the registry fits, with the REAL worker: a long fit
 * is started through the backend, cancelled once it is running, and timed from the cancel call
 * to the job's 'job:cancelled' event (the state the renderer shows), to the old worker
 * process's exit, and to a fresh worker's 'ready'. Cancelling kills the process, so the time
 * does not depend on the algorithm; the test shows it for each, and that nothing is saved.
 *
 * The list of algorithms is read from the registry at run time (an algorithm that
 * `fitClustering` does not support is skipped and named in the report); LONG_FITS keeps each one
 * busy for seconds on data small enough for CI's memory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES, fitClustering, type AlgorithmName } from '../../../src/core/cluster/registry';
import { ParameterError } from '../../../src/core/errors';
import { recordFigures } from '../figures';
import { sleep } from '../helpers';
import { alive, rig, type JobEvent } from './harness';

/** The most the cancelled state may take to reach the renderer (the figure). */
const CANCEL_LIMIT_MS = 100;

/** Per algorithm: a dataset of the rig and parameters that keep the fit busy for seconds. */
const LONG_FITS: Record<string, { data: string; params: Record<string, unknown> }> = {
  kmeans: { data: 'wide', params: { nClusters: 64, nInit: 20, maxIter: 300, tol: 0, randomState: 1 } },
  'minibatch-kmeans': { data: 'wide', params: { nClusters: 64, batchSize: 256, maxIter: 100_000, maxNoImprovement: 1_000_000, tol: 0, randomState: 1 } },
  dbscan: { data: 'wide', params: { eps: 30, minSamples: 5, algorithm: 'brute' } },
  gmm: { data: 'wide', params: { nComponents: 32, covarianceType: 'full', maxIter: 100_000, tol: 0, nInit: 10, randomState: 1 } },
  bgmm: { data: 'wide', params: { nComponents: 32, covarianceType: 'full', maxIter: 100_000, tol: 0, nInit: 10, randomState: 1 } },
  agglomerative: { data: 'square', params: { nClusters: 3, linkage: 'average' } },
  spectral: { data: 'square', params: { nClusters: 4, affinity: 'rbf', gamma: 0.001, randomState: 1 } },
};
const DATA: Record<string, [number, number]> = { wide: [30_000, 8], square: [2_500, 4] };
/** Cancel at the first progress report, or after this long in the worker without one. */
const RUNNING_FOR_MS = 400;

const figures = { trials: 0, faults: 0, failures: 0, notes: [] as string[] };
afterAll(() => recordFigures({ suite: 'jobs: cancel', file: __filename, ...figures }));

/** The algorithms `fitClustering` supports right now (the others throw "not available"). */
function supportedAlgorithms(): { supported: AlgorithmName[]; skipped: string[] } {
  const X = { rows: 6, cols: 2, data: Float64Array.of(0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5) };
  const supported: AlgorithmName[] = [], skipped: string[] = [];
  for (const name of ALGORITHM_NAMES) {
    try {
      fitClustering(name, { nClusters: 2, nComponents: 2, randomState: 0 }, X);
      supported.push(name);
    } catch (e) {
      if (e instanceof ParameterError && /not available|unknown algorithm/.test(e.message)) skipped.push(name);
      else supported.push(name); // it fits, it just disliked the tiny probe
    }
  }
  return { supported, skipped };
}

interface Timing {
  algorithm: string;
  cancelledMs: number;
  exitedMs: number;
  readyMs: number;
  ranMs: number;
}

describe('cancelling a running fit (real worker)', () => {
  it(`reaches the cancelled state within ${CANCEL_LIMIT_MS} ms for every algorithm, and a fresh worker takes over`, async () => {
    const { supported, skipped } = supportedAlgorithms();
    expect(supported.length).toBeGreaterThan(0);
    const r = await rig(DATA);
    const timings: Timing[] = [];
    const problems: string[] = [];
    try {
      for (const algorithm of supported) {
        const recipe = LONG_FITS[algorithm] ?? { data: 'square', params: {} };
        await r.ready();
        const job = await r.fit(recipe.data, recipe.params, algorithm);
        const started = performance.now();
        const first = await Promise.race([r.running(job.id), sleep(RUNNING_FOR_MS).then(() => null)]);
        if (first && first.name !== 'job:progress') {
          problems.push(`${algorithm}: the fit ended (${first.name}: ${first.job.error ?? 'done'}) before it could be cancelled; give it a longer fit in LONG_FITS`);
          continue;
        }
        const pid = r.pool.pidOf(job.id);
        const t0 = performance.now();
        await r.backend.jobs.cancel(job.id);
        const end: JobEvent = await r.end(job.id, 10_000);
        figures.trials++;
        figures.faults++;
        if (end.name !== 'job:cancelled') {
          problems.push(`${algorithm}: ended as ${end.name} (${end.job.error}) instead of cancelled`);
          continue;
        }
        const gone = await goneAt(pid);
        const fresh = r.workers.at(-1)!;
        await r.ready();
        timings.push({
          algorithm,
          ranMs: t0 - started,
          cancelledMs: end.at - t0,
          exitedMs: gone - t0,
          readyMs: fresh.readyAt! - t0,
        });
        expect(end.job.error).toBeNull();
      }
      expect(problems).toEqual([]);
      expect(await r.runCount(), 'a cancelled job saved a run').toBe(0);
      // The pool still works after all those kills.
      const after = await r.fit('square', { nClusters: 2, randomState: 0 }, 'kmeans');
      expect((await r.end(after.id)).name).toBe('job:done');
    } finally {
      r.dispose();
      figures.failures += problems.length;
      const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
      for (const t of timings) {
        figures.notes.push(
          `${t.algorithm.padEnd(17)} cancelled after ${fmt(t.cancelledMs).padStart(8)}, old process gone after ${fmt(t.exitedMs).padStart(8)}, fresh worker ready after ${fmt(t.readyMs).padStart(9)} (fit had run ${fmt(t.ranMs)})`,
        );
      }
      if (skipped.length) figures.notes.push(`not in the registry yet, skipped: ${skipped.join(', ')}`);
    }
    for (const t of timings) expect(t.cancelledMs, `${t.algorithm}: time to the cancelled state`).toBeLessThan(CANCEL_LIMIT_MS);
    expect(timings.map((t) => t.algorithm)).toEqual(supported);
  });
});

/** When the process stopped existing (polled every millisecond: the pool's own exit report waits for stderr). */
async function goneAt(pid: number | undefined): Promise<number> {
  for (let i = 0; i < 5000; i++) {
    if (!alive(pid)) return performance.now();
    await sleep(1);
  }
  throw new Error(`the cancelled worker ${pid} did not exit`);
}
