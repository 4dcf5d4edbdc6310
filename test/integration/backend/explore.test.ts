/**
 * The exploration analyses through the backend, with a real worker process and project file:
 * the PCA projection of a wide dataset and the silhouette diagram of a run, against scikit-learn
 * 1.2.1's numbers (deterministic quantities, rel 1e-9 as the reference README suggests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Backend } from '../../../src/main/backend/backend';
import { WorkerPool } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import type { ApiEvents } from '../../../src/shared/api';
import type { DatasetSummary, JobInfo } from '../../../src/shared/dto';
import type { JobSpec } from '../../../src/shared/jobs';
import type { ProjectionResult, SilhouetteResult } from '../../../src/shared/analyses/explore';
import { silhouetteScore } from '../../../src/core/metrics';
import { takeRows } from '../../../src/core/math/matrix';
import { dataset, expectClose, expected, REFERENCE } from '../../unit/core/reference';

const ROOT = resolve(__dirname, '../../..');
let dir: string;
let backend: Backend;
let pool: WorkerPool;
const ended = new Map<string, JobInfo>();
const waiters = new Map<string, (j: JobInfo) => void>();

function emit<E extends keyof ApiEvents>(name: E, payload: ApiEvents[E]): void {
  if (name !== 'job:done' && name !== 'job:failed' && name !== 'job:cancelled') return;
  const job = payload as JobInfo;
  ended.set(job.id, job);
  waiters.get(job.id)?.(job);
}

/** Starts a job and waits for its end. */
async function run(spec: JobSpec): Promise<JobInfo> {
  const job = await backend.jobs.start(spec);
  return ended.get(job.id) ?? new Promise((ok) => waiters.set(job.id, ok));
}

async function analysis<R>(spec: JobSpec): Promise<R> {
  const end = await run(spec);
  expect(end.state, end.error ?? '').toBe('done');
  return (await backend.analyses.get(end.analysisId!)).result as R;
}

async function importReference(file: string, columns: number[], labelColumn: number): Promise<DatasetSummary> {
  const path = join(REFERENCE, 'datasets', file);
  backend.grantPath(path);
  return backend.data.importCsv({ file: { kind: 'path', path }, columns, labelColumn });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

let blobs5: DatasetSummary;
let moons: DatasetSummary;
let digits: DatasetSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-explore-'));
  pool = new WorkerPool(childProcessSpawner({ workerPath: join(ROOT, 'src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] }), 1);
  backend = new Backend({ dataDir: dir, resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'test' });
  await backend.init();
  blobs5 = await importReference('blobs5.csv', [0, 1], 2);
  moons = await importReference('moons.csv', [0, 1], 2);
  digits = await importReference('digits.csv', range(64), 64);
});

afterAll(() => {
  backend?.dispose();
  pool?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('projection', () => {
  it('projects digits on PC1 and PC2 with scikit-learn’s explained-variance ratios', async () => {
    const ref = expected('pca_digits.json');
    const want = ref.X_digits_full_all_components_explained_variance_ratio as number[];
    const full = ref['X_digits_full_var0.95'];
    const p = await analysis<ProjectionResult>({ kind: 'analysis', analysis: 'projection', datasetId: digits.id, params: { method: 'pca' } });
    expect(p.x).toBeInstanceOf(Float64Array);
    expect(p.x).toHaveLength(1797);
    expectClose(p.explainedVarianceRatio[0], want[0], 1e-9);
    expectClose(p.explainedVarianceRatio[1], want[1], 1e-9);
    // The coordinates are the projections: their variance (ddof 1) is the component's variance.
    const variance = (v: Float64Array): number => {
      const m = v.reduce((s, t) => s + t, 0) / v.length;
      return v.reduce((s, t) => s + (t - m) ** 2, 0) / (v.length - 1);
    };
    expectClose(variance(p.x), full.explained_variance[0], 1e-9);
    expectClose(variance(p.y), full.explained_variance[1], 1e-9);
    expect(p.components).toMatchObject({ rows: 2, cols: 64 });
    (full.mean as number[]).forEach((m, f) => expectClose(p.mean[f], m, 1e-9));
  });

  it('refuses an unknown method with the reason', async () => {
    const end = await run({ kind: 'analysis', analysis: 'projection', datasetId: digits.id, params: { method: 'tsne' } });
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/method must be one of 'pca'/);
  });
});

describe('silhouette diagram', () => {
  it('gives scikit-learn’s coefficients, per-cluster sizes and means, and the silhouette score, for the chapter’s K-Means on blobs5', async () => {
    const ref = expected('kmeans_blobs5.json');
    const good = ref.kmeans_good_init;
    const summary = ref.kmeans_k5_random_state42_n_init10.silhouette_samples_summary;
    const fit = await run({ kind: 'fit', datasetId: blobs5.id, algorithm: 'kmeans', params: { nClusters: 5, init: good.init, nInit: 1 }, metrics: [] });
    expect(fit.state, fit.error ?? '').toBe('done');
    const runDetail = await backend.runs.get(fit.runId!);
    expect(Array.from(runDetail.labels)).toEqual(good.labels_in_init_order);

    const s = await analysis<SilhouetteResult>({ kind: 'analysis', analysis: 'silhouette', datasetId: blobs5.id, runId: fit.runId, params: {} });
    expect(s.rows).toBeNull();
    expect(s.nNoise).toBe(0);
    expect(s.sampleSize).toBeNull();
    expectClose(s.mean, ref.kmeans_k5_random_state42_n_init10.silhouette_score, 1e-9);
    const { X } = dataset('blobs5.csv');
    expectClose(s.mean, silhouetteScore(X, runDetail.labels), 1e-12);
    (ref.kmeans_k5_random_state42_n_init10.silhouette_samples as number[]).forEach((v, i) => expectClose(s.values[i], v, 1e-9));
    expect(Math.min(...s.values)).toBeCloseTo(summary.min, 12);

    // Our clusters are in init order; the reference's are canonical (sorted by centre).
    const canonical = ref.kmeans_k5_random_state42_n_init10.centers_canonical as number[][];
    const toCanonical = (good.centers_in_init_order as number[][]).map((c) => canonical.findIndex((d) => Math.hypot(c[0] - d[0], c[1] - d[1]) < 1e-9));
    expect(s.clusters.map((c) => c.label)).toEqual([0, 1, 2, 3, 4]);
    for (const c of s.clusters) {
      const k = toCanonical[c.label];
      expect(c.size).toBe(summary.per_cluster_size_canonical[k]);
      expectClose(c.mean, summary.per_cluster_mean_canonical[k], 1e-9);
      expectClose(c.min, summary.per_cluster_min_canonical[k], 1e-9);
    }
    // Each band is the cluster's members, ascending.
    for (const c of s.clusters) {
      const part = Array.from(s.order.subarray(c.start, c.start + c.size));
      expect(part.every((i) => runDetail.labels[i] === c.label)).toBe(true);
      for (let j = 1; j < part.length; j++) expect(s.values[part[j]]).toBeGreaterThanOrEqual(s.values[part[j - 1]]);
      expect(c.negative).toBe(part.filter((i) => s.values[i] < 0).length);
    }
    expect(s.nNegative).toBe(s.clusters.reduce((t, c) => t + c.negative, 0));
    expect(s.nNegative).toBeGreaterThan(0); // the reference's minima include negative coefficients
  });

  it('leaves DBSCAN’s noise out and scores the clustered samples among themselves', async () => {
    const ref = expected('dbscan_moons.json')['eps0.05_min_samples5'];
    const fit = await run({ kind: 'fit', datasetId: moons.id, algorithm: 'dbscan', params: { eps: 0.05, minSamples: 5 }, metrics: [] });
    expect(fit.state, fit.error ?? '').toBe('done');
    const runDetail = await backend.runs.get(fit.runId!);
    expect(Array.from(runDetail.labels)).toEqual(ref.labels);
    const s = await analysis<SilhouetteResult>({ kind: 'analysis', analysis: 'silhouette', datasetId: moons.id, runId: fit.runId, params: {} });
    expect(s.nNoise).toBe(ref.n_noise);
    expect(s.rows).toHaveLength(1000 - ref.n_noise);
    expect(s.clusters.map((c) => c.size)).toEqual(ref.cluster_sizes);
    const { X } = dataset('moons.csv');
    const kept = s.rows!;
    expectClose(s.mean, silhouetteScore(takeRows(X, kept), Int32Array.from(kept, (r) => runDetail.labels[r])), 1e-12);
  });

  it('scores a seeded sample when asked, and says so', async () => {
    const [kmRun] = (await backend.runs.list(blobs5.id)).filter((r) => r.algorithm === 'kmeans');
    const params = { sampleSize: 300, randomState: 3 };
    const a = await analysis<SilhouetteResult>({ kind: 'analysis', analysis: 'silhouette', datasetId: blobs5.id, runId: kmRun.id, params });
    const b = await analysis<SilhouetteResult>({ kind: 'analysis', analysis: 'silhouette', datasetId: blobs5.id, runId: kmRun.id, params });
    expect(a.sampleSize).toBe(300);
    expect(a.values).toHaveLength(300);
    expect(Array.from(a.rows!)).toEqual(Array.from(b.rows!));
    expect(a.clusters.reduce((t, c) => t + c.size, 0)).toBe(300);
    const labels = (await backend.runs.get(kmRun.id)).labels;
    expectClose(a.mean, silhouetteScore(takeRows(dataset('blobs5.csv').X, a.rows!), Int32Array.from(a.rows!, (r) => labels[r])), 1e-12);
  });

  it('needs a run, and a run with at least two clusters', async () => {
    await expect(backend.jobs.start({ kind: 'analysis', analysis: 'silhouette', datasetId: blobs5.id, params: {} })).rejects.toThrow(/choose a run first/);
    const fit = await run({ kind: 'fit', datasetId: blobs5.id, algorithm: 'kmeans', params: { nClusters: 1, nInit: 1, randomState: 0 }, metrics: [] });
    const end = await run({ kind: 'analysis', analysis: 'silhouette', datasetId: blobs5.id, runId: fit.runId, params: {} });
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/needs between 2 and .* clusters .* this run has 1/);
  });
});
