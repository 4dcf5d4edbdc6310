/**
 * Jobs split across real worker processes: a K-Means fit's n_init runs and a sweep's points give
 * exactly the serial result, whatever the number of workers; large arrays travel as files that
 * are gone when the job ends.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fitClustering } from '../../../src/core/cluster/registry';
import { sweepK } from '../../../src/core/cluster/sweep';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import { fitKMeansInParallel, runOnPool, splitsAcrossPool, sweepInParallel } from '../../../src/main/backend/jobs/parallel';
import { WorkerPool } from '../../../src/main/backend/jobs/pool';
import type { AnalysisTask, FitResult, FitTask } from '../../../src/shared/jobs';
import { dataset } from '../../unit/core/reference';

const spawner = childProcessSpawner({ workerPath: resolve(__dirname, '../../../src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] });
const digits = dataset('digits.csv').X;
const jobsDir = join(tmpdir(), `clusterscope-jobs-${process.pid}`);

let pools: WorkerPool[] = [];
afterEach(() => {
  for (const p of pools) p.dispose();
  pools = [];
});
function pool(size: number): WorkerPool {
  const p = new WorkerPool(spawner, size);
  pools.push(p);
  return p;
}

const fitTask = (X = digits): FitTask => ({
  kind: 'fit',
  algorithm: 'kmeans',
  params: { nClusters: 6, nInit: 4, randomState: 5 },
  metrics: ['silhouette'],
  X,
  y: null,
});

describe('jobs split across the worker pool', () => {
  it('splits K-Means fits with several runs and sweeps, only when the pool has several workers', () => {
    const sweep = { kind: 'analysis', analysis: 'sweep', params: { algorithm: 'kmeans', ks: [2, 3] } } as unknown as AnalysisTask;
    // 1,797 × 64 × 50 multiply-adds per pass: worth splitting; with k = 6 it is not (SPLIT_MIN_WORK).
    const big = { ...fitTask(), params: { nClusters: 50, nInit: 4 } };
    expect(splitsAcrossPool(pool(1), big)).toBe(false);
    const two = pool(2);
    expect(splitsAcrossPool(two, big)).toBe(true);
    expect(splitsAcrossPool(two, fitTask())).toBe(false);
    expect(splitsAcrossPool(two, { ...big, params: { nClusters: 50, nInit: 1 } })).toBe(false);
    expect(splitsAcrossPool(two, { ...big, algorithm: 'dbscan' })).toBe(false);
    expect(splitsAcrossPool(two, sweep)).toBe(true);
  });

  it("gives a K-Means fit exactly the serial fit's labels, centres, inertia, model and metrics with 2 or 3 workers", async () => {
    const serial = fitClustering('kmeans', fitTask().params, digits);
    for (const size of [2, 3]) {
      const r = (await fitKMeansInParallel(pool(size), `fit${size}`, fitTask(), () => {}).result) as FitResult;
      expect(r.labels).toEqual(serial.labels);
      expect(r.centers!.data).toEqual(serial.centers!.data);
      expect(r.metrics.inertia).toBe(serial.scalars.inertia);
      expect(r.metrics.nIter).toBe(serial.scalars.nIter);
      expect(r.model).toEqual(serial.model);
      expect(r.metrics.silhouette).toBeGreaterThan(0);
    }
  }, 60_000);

  it("gives a sweep exactly sweepK's result", async () => {
    const params = { algorithm: 'kmeans' as const, ks: [2, 3, 4, 5], params: { nInit: 2 }, randomState: 9 };
    const task = { kind: 'analysis', analysis: 'sweep', params, X: digits, y: null, labelClasses: null, featureNames: [], run: null, itemNames: null } as unknown as AnalysisTask;
    const r = await sweepInParallel(pool(2), 'sweep', task, () => {}).result;
    expect(r.result).toEqual(sweepK('kmeans', digits, params.ks, { params: params.params, randomState: 9 }));
  }, 60_000);

  it('sends a large matrix as a file, removed when the job is done', async () => {
    // 2,000 × 700 float64: 11 MB, above the 8 MB threshold.
    const n = 2000, d = 700;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = ((i % 3) * 10 + Math.sin(i * 7 + t)) * (t < 3 ? 1 : 0.01);
    const X = { rows: n, cols: d, data };
    const task = { ...fitTask(X), params: { nClusters: 3, nInit: 2, randomState: 1 }, metrics: [] };
    const job = runOnPool(pool(2), 'big', task, () => {});
    const r = (await job.result) as FitResult;
    expect(r.labels).toEqual(fitClustering('kmeans', task.params, X).labels);
    expect(existsSync(jobsDir) ? readdirSync(jobsDir) : []).toEqual([]);
    const single = (await pool(1).run('one', task)) as FitResult;
    expect(single.labels).toEqual(r.labels);
    expect(existsSync(jobsDir) ? readdirSync(jobsDir) : []).toEqual([]);
  }, 60_000);
});
