/**
 * The geometry analyses through the backend, with a real worker process and project file:
 * decision-region grids against the estimators' own predictions, mixture densities and their
 * levels, DBSCAN's k-distances against brute force and scikit-learn's core counts, the K-Means
 * step-through against KMeans, the covariance-type comparison against scikit-learn's BICs, and
 * images (decode, download through the app's downloader with its checksum, segmentation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { Backend } from '../../../src/main/backend/backend';
import { ImageLibrary } from '../../../src/main/backend/images';
import { WorkerPool } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import type { ApiEvents } from '../../../src/shared/api';
import type { DatasetSummary, JobInfo } from '../../../src/shared/dto';
import type { JobSpec } from '../../../src/shared/jobs';
import type {
  BoundariesResult,
  DensityResult,
  Extent,
  GridSpec,
  KDistanceResult,
  KMeansStepsResult,
  MixtureCompareResult,
  Plane,
  SegmentResult,
} from '../../../src/shared/analyses/geometry';
import { KMeans } from '../../../src/core/cluster/kmeans';
import { GaussianMixture } from '../../../src/core/cluster/mixture';
import { DBSCAN, dbscanPredict } from '../../../src/core/cluster/dbscan';
import { matrix, type Matrix } from '../../../src/core/math/matrix';
import { logspace, nllLevels } from '../../../src/renderer/src/lib/geometry/levels';
import { dataset, expectClose, expected, REFERENCE, SHARED } from '../../unit/core/reference';

const ROOT = resolve(__dirname, '../../..');
const LADYBUG = join(SHARED, 'data/images/ladybug.png');
let dir: string;
let backend: Backend;
let pool: WorkerPool;
let server: Server;
let serverUrl: string;
const hits: Record<string, number> = {};
const ended = new Map<string, JobInfo>();
const waiters = new Map<string, (j: JobInfo) => void>();

function emit<E extends keyof ApiEvents>(name: E, payload: ApiEvents[E]): void {
  if (name !== 'job:done' && name !== 'job:failed' && name !== 'job:cancelled') return;
  const job = payload as JobInfo;
  ended.set(job.id, job);
  waiters.get(job.id)?.(job);
}

async function run(spec: JobSpec): Promise<JobInfo> {
  const job = await backend.jobs.start(spec);
  return ended.get(job.id) ?? new Promise((ok) => waiters.set(job.id, ok));
}

async function fit(datasetId: string, algorithm: string, params: Record<string, unknown>): Promise<string> {
  const end = await run({ kind: 'fit', datasetId, algorithm: algorithm as never, params, metrics: [] });
  expect(end.state, end.error ?? '').toBe('done');
  return end.runId!;
}

async function analysis<R>(datasetId: string, kind: string, params: Record<string, unknown>, runId?: string): Promise<R> {
  const end = await run({ kind: 'analysis', analysis: kind as never, datasetId, runId, params });
  expect(end.state, end.error ?? '').toBe('done');
  return (await backend.analyses.get(end.analysisId!)).result as R;
}

async function failure(datasetId: string, kind: string, params: Record<string, unknown>, runId?: string): Promise<string> {
  const end = await run({ kind: 'analysis', analysis: kind as never, datasetId, runId, params });
  expect(end.state).toBe('failed');
  return end.error ?? '';
}

async function importReference(file: string): Promise<DatasetSummary> {
  const path = join(REFERENCE, 'datasets', file);
  backend.grantPath(path);
  return backend.data.importCsv({ file: { kind: 'path', path }, columns: [0, 1], labelColumn: 2 });
}

const XY: Plane = { origin: [0, 0], axes: [[1, 0], [0, 1]] };

/** The chapter's extent: the data's range widened by 0.1 on each side. */
function chapterExtent(X: Matrix): Extent {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < X.rows; i++) {
    x0 = Math.min(x0, X.data[2 * i]);
    x1 = Math.max(x1, X.data[2 * i]);
    y0 = Math.min(y0, X.data[2 * i + 1]);
    y1 = Math.max(y1, X.data[2 * i + 1]);
  }
  return { x0: x0 - 0.1, x1: x1 + 0.1, y0: y0 - 0.1, y1: y1 + 0.1 };
}

/** Every cell centre of a grid, row-major, as a (nx·ny, 2) matrix. */
function cellCenters(g: GridSpec): Matrix<Float64Array> {
  const { x0, x1, y0, y1 } = g.extent;
  const out = new Float64Array(g.nx * g.ny * 2);
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      out[2 * (j * g.nx + i)] = x0 + ((i + 0.5) * (x1 - x0)) / g.nx;
      out[2 * (j * g.nx + i) + 1] = y0 + ((j + 0.5) * (y1 - y0)) / g.ny;
    }
  }
  return matrix(g.nx * g.ny, 2, out);
}

let blobs5: DatasetSummary, gm3: DatasetSummary, moons: DatasetSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-geometry-'));
  const bytes = readFileSync(LADYBUG);
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    // Laid out like ../shared/data, as a download base (mirror) is.
    if (path === '/images/ladybug.png') res.writeHead(200, { 'content-type': 'image/png' }).end(bytes);
    else if (path === '/corrupt/images/ladybug.png') res.writeHead(200, { 'content-type': 'image/png' }).end(bytes.subarray(0, 1000));
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The app's download base: files are fetched from here instead of their public addresses.
  process.env.CLUSTERSCOPE_DOWNLOAD_BASE = `${serverUrl}/`;

  pool = new WorkerPool(childProcessSpawner({ workerPath: join(ROOT, 'src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] }), 1);
  backend = new Backend({ dataDir: dir, resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'test' });
  await backend.project.create();
  blobs5 = await importReference('blobs5.csv');
  gm3 = await importReference('gm3.csv');
  moons = await importReference('moons.csv');
});

afterAll(async () => {
  delete process.env.CLUSTERSCOPE_DOWNLOAD_BASE;
  backend?.dispose();
  pool?.dispose();
  await new Promise((ok) => server?.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

describe('decision regions on a grid', () => {
  it('are K-Means’ nearest centroid at every cell', async () => {
    const runId = await fit(blobs5.id, 'kmeans', { nClusters: 5, nInit: 2, randomState: 0 });
    const { centers } = await backend.runs.get(runId);
    const grid: GridSpec = { extent: chapterExtent(dataset('blobs5.csv').X), nx: 60, ny: 40 };
    const r = await analysis<BoundariesResult>(blobs5.id, 'boundaries', { plane: XY, grid }, runId);
    expect(r.labels).toBeInstanceOf(Int32Array);
    expect(r.labels).toHaveLength(60 * 40);
    expect(r.present).toEqual([0, 1, 2, 3, 4]);
    expect(r.predictor).toMatch(/nearest centroid/);
    const P = cellCenters(grid);
    for (let c = 0; c < P.rows; c++) {
      let best = -1, bd = Infinity;
      for (let k = 0; k < 5; k++) {
        const d = (P.data[2 * c] - centers!.data[2 * k]) ** 2 + (P.data[2 * c + 1] - centers!.data[2 * k + 1]) ** 2;
        if (d < bd) [best, bd] = [k, d];
      }
      expect(r.labels[c], `cell ${c}`).toBe(best);
    }
  });

  it('are the Gaussian mixture’s predict at every cell', async () => {
    const runId = await fit(gm3.id, 'gmm', { nComponents: 3, nInit: 1, randomState: 42 });
    const { X } = dataset('gm3.csv');
    const gm = new GaussianMixture({ nComponents: 3, nInit: 1, randomState: 42 }).fit(X);
    const grid: GridSpec = { extent: chapterExtent(X), nx: 50, ny: 50 };
    const r = await analysis<BoundariesResult>(gm3.id, 'boundaries', { plane: XY, grid }, runId);
    expect(Array.from(r.labels)).toEqual(Array.from(gm.predict(cellCenters(grid))));
  });

  it('are DBSCAN’s kNN vote of the core samples with eps as the anomaly cut (dbscanPredict)', async () => {
    const runId = await fit(moons.id, 'dbscan', { eps: 0.2, minSamples: 5 });
    const { X } = dataset('moons.csv');
    const grid: GridSpec = { extent: chapterExtent(X), nx: 40, ny: 30 };
    const r = await analysis<BoundariesResult>(moons.id, 'boundaries', { plane: XY, grid }, runId);
    const want = dbscanPredict(new DBSCAN({ eps: 0.2, minSamples: 5 }).fit(X), cellCenters(grid)).labels;
    expect(Array.from(r.labels)).toEqual(Array.from(want));
    expect(r.present).toEqual([-1, 0, 1]);
    const noCut = await analysis<BoundariesResult>(moons.id, 'boundaries', { plane: XY, grid, anomalies: false }, runId);
    expect(noCut.present).toEqual([0, 1]);
  });

  it('label agglomerative clusters by the nearest training sample or the nearest cluster mean, as asked', async () => {
    const runId = await fit(moons.id, 'agglomerative', { nClusters: 2, linkage: 'single' });
    const { labels } = await backend.runs.get(runId);
    const { X } = dataset('moons.csv');
    const grid: GridSpec = { extent: chapterExtent(X), nx: 30, ny: 20 };
    const P = cellCenters(grid);
    const byPoint = await analysis<BoundariesResult>(moons.id, 'boundaries', { plane: XY, grid, rule: 'nearest-point' }, runId);
    const byMean = await analysis<BoundariesResult>(moons.id, 'boundaries', { plane: XY, grid, rule: 'nearest-mean' }, runId);
    expect(byPoint.predictor).toMatch(/nearest training sample/);
    expect(byMean.predictor).toMatch(/nearest cluster mean/);
    const means = [0, 1].map((l) => {
      let sx = 0, sy = 0, n = 0;
      for (let i = 0; i < X.rows; i++) if (labels[i] === l) [sx, sy, n] = [sx + X.data[2 * i], sy + X.data[2 * i + 1], n + 1];
      return [sx / n, sy / n];
    });
    for (let c = 0; c < P.rows; c++) {
      const [px, py] = [P.data[2 * c], P.data[2 * c + 1]];
      let nearest = 0, nd = Infinity;
      for (let i = 0; i < X.rows; i++) {
        const d = (px - X.data[2 * i]) ** 2 + (py - X.data[2 * i + 1]) ** 2;
        if (d < nd) [nearest, nd] = [i, d];
      }
      expect(byPoint.labels[c]).toBe(labels[nearest]);
      const dm = means.map(([mx, my]) => (px - mx) ** 2 + (py - my) ** 2);
      expect(byMean.labels[c]).toBe(dm[0] <= dm[1] ? 0 : 1);
    }
  });

  it('lift the grid from a projection plane to the feature space', async () => {
    const runId = await fit(blobs5.id, 'kmeans', { nClusters: 3, nInit: 1, randomState: 1 });
    const { centers } = await backend.runs.get(runId);
    // A rotated plane through (1, 2): the grid point (u, v) is (1, 2) + u·a + v·b.
    const s = Math.SQRT1_2;
    const plane: Plane = { origin: [1, 2], axes: [[s, s], [-s, s]] };
    const grid: GridSpec = { extent: { x0: -3, x1: 3, y0: -3, y1: 3 }, nx: 20, ny: 20 };
    const r = await analysis<BoundariesResult>(blobs5.id, 'boundaries', { plane, grid }, runId);
    const P = cellCenters(grid);
    const lifted = matrix(P.rows, 2, new Float64Array(P.rows * 2));
    for (let c = 0; c < P.rows; c++) {
      const [u, v] = [P.data[2 * c], P.data[2 * c + 1]];
      lifted.data[2 * c] = 1 + u * s - v * s;
      lifted.data[2 * c + 1] = 2 + u * s + v * s;
    }
    const km = KMeans.fromJSON({ estimator: 'KMeans', version: 1, params: { nClusters: 3 }, fitted: null });
    km.clusterCenters_ = matrix(3, 2, Float64Array.from(centers!.data));
    expect(Array.from(r.labels)).toEqual(Array.from(km.predict(lifted)));
  });

  it('refuse a missing run, a plane that is not orthonormal and an oversized grid, saying why', async () => {
    const grid: GridSpec = { extent: { x0: 0, x1: 1, y0: 0, y1: 1 }, nx: 10, ny: 10 };
    await expect(backend.jobs.start({ kind: 'analysis', analysis: 'boundaries', datasetId: blobs5.id, params: { plane: XY, grid } })).rejects.toThrow(/choose a run first/);
    const runId = (await backend.runs.list(blobs5.id))[0].id;
    expect(await failure(blobs5.id, 'boundaries', { plane: { origin: [0, 0], axes: [[2, 0], [0, 1]] }, grid }, runId)).toMatch(/orthonormal/);
    expect(await failure(blobs5.id, 'boundaries', { plane: XY, grid: { ...grid, nx: 5000 } }, runId)).toMatch(/grid nx must be in \[2, 1000\]/);
    expect(await failure(blobs5.id, 'boundaries', { plane: XY, grid: { ...grid, extent: { x0: 1, x1: 0, y0: 0, y1: 1 } } }, runId)).toMatch(/x1 > x0/);
  });

  it('prints the time of a 500 × 500 grid for K-Means with k = 20 (measured, not asserted)', async () => {
    const runId = await fit(blobs5.id, 'kmeans', { nClusters: 20, nInit: 1, randomState: 0 });
    const grid: GridSpec = { extent: chapterExtent(dataset('blobs5.csv').X), nx: 500, ny: 500 };
    const r = await analysis<BoundariesResult>(blobs5.id, 'boundaries', { plane: XY, grid }, runId);
    expect(r.labels).toHaveLength(250_000);
    console.log(`boundaries: 500 × 500 grid, K-Means k = 20: ${r.computeMs.toFixed(1)} ms in the worker`);
  });
});

describe('mixture densities', () => {
  it('give −score_samples and predict at every cell, and the chapter’s log-spaced levels on its three blobs', async () => {
    const runId = await fit(gm3.id, 'gmm', { nComponents: 3, nInit: 2, randomState: 42 });
    const { X } = dataset('gm3.csv');
    const gm = new GaussianMixture({ nComponents: 3, nInit: 2, randomState: 42 }).fit(X);
    const grid: GridSpec = { extent: chapterExtent(X), nx: 80, ny: 60 };
    const d = await analysis<DensityResult>(gm3.id, 'density', { plane: XY, grid }, runId);
    const P = cellCenters(grid);
    const score = gm.scoreSamples(P);
    for (let c = 0; c < P.rows; c++) expectClose(d.nll[c], -score[c], 1e-12);
    expect(Array.from(d.labels)).toEqual(Array.from(gm.predict(P)));
    expect(d.min).toBe(Math.min(...d.nll));
    expect(d.max).toBe(Math.max(...d.nll));
    Array.from(gm.weights_).forEach((w, k) => expectClose(d.weights[k], w, 1e-12));
    Array.from(gm.means_.data).forEach((m, i) => expectClose(d.means[i], m, 1e-12));
    // plot_gaussian_mixture: levels = np.logspace(0, 2, 12) — what our rule gives on this grid
    // (its NLL spans 1.6..32 here: the upper levels are defined but cut nothing).
    expect(d.min).toBeGreaterThan(1);
    expect(d.min).toBeLessThan(10);
    const chapter = logspace(0, 2, 12);
    nllLevels(d.min, d.max).forEach((v, i) => expectClose(v, chapter[i], 1e-12));
  });

  it('refuse a run that is not a mixture', async () => {
    const runId = (await backend.runs.list(blobs5.id))[0].id;
    expect(await failure(blobs5.id, 'density', { plane: XY, grid: { extent: { x0: 0, x1: 1, y0: 0, y1: 1 }, nx: 4, ny: 4 } }, runId)).toMatch(/needs a Gaussian mixture run/);
  });

  it('compare the four covariance types in the chapter’s order, each as good as scikit-learn’s by BIC', async () => {
    const ref = expected('gmm_gm3.json');
    const { X } = dataset('gm3.csv');
    const n = X.rows;
    const grid: GridSpec = { extent: chapterExtent(X), nx: 30, ny: 20 };
    const r = await analysis<MixtureCompareResult>(gm3.id, 'mixture-compare', { plane: XY, grid, nComponents: 3, nInit: 10, randomState: 42 });
    expect(r.panels.map((p) => p.covarianceType)).toEqual(['full', 'tied', 'spherical', 'diag']);
    for (const p of r.panels) {
      // seed_independent: mean log-likelihood ≥ the best of 50 scikit-learn seeds − 1e-3, i.e. a BIC at
      // most 2·n·1e-3 above that best fit's; 'diag' stops on its known plateau 2e-3 lower (see the
      // core's GaussianMixture tests), so it gets 2.5e-3.
      const best = ref[p.covarianceType].seed_independent_best_n_init50;
      const tol = p.covarianceType === 'diag' ? 2.5e-3 : 1e-3;
      expect(p.bic, p.covarianceType).toBeLessThanOrEqual(best.bic + 2 * n * tol);
      expect(p.converged).toBe(true);
      expect(p.nll).toHaveLength(600);
      expect(p.labels).toHaveLength(600);
      expect(p.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    }
    // full fits these sheared blobs best, as the chapter's BIC search finds.
    expect(Math.min(...r.panels.map((p) => p.bic))).toBe(r.panels[0].bic);
  });
});

describe('k-distances for DBSCAN', () => {
  it('are the sorted distances to the 5th nearest sample (itself first), equal to brute force, with scikit-learn’s core counts', async () => {
    const ref = expected('dbscan_moons.json');
    const { X } = dataset('moons.csv');
    const r = await analysis<KDistanceResult>(moons.id, 'kdistance', { k: 5 });
    const n = X.rows;
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const dx = X.data[2 * i] - X.data[2 * j], dy = X.data[2 * i + 1] - X.data[2 * j + 1];
        row[j] = dx * dx + dy * dy;
      }
      expect(r.squared[i]).toBe(row.sort()[4]);
    }
    const sorted = Float64Array.from(r.squared, Math.sqrt).sort();
    expect(Array.from(r.sorted)).toEqual(Array.from(sorted));
    for (let i = 1; i < n; i++) expect(r.sorted[i]).toBeGreaterThanOrEqual(r.sorted[i - 1]);
    for (const eps of [0.05, 0.2]) {
      const core = r.squared.filter((s) => s <= eps * eps).length;
      expect(core).toBe(ref[`eps${eps}_min_samples5`].n_core);
    }
  });

  it('refuse k larger than the dataset', async () => {
    expect(await failure(moons.id, 'kdistance', { k: 1001 })).toMatch(/k must be in \[1, 1000\]/);
  });
});

describe('K-Means step by step', () => {
  it('alternates assign and update with a non-increasing inertia, and ends where KMeans with the same seed ends', async () => {
    const { X } = dataset('blobs5.csv');
    const r = await analysis<KMeansStepsResult>(blobs5.id, 'kmeans-steps', { nClusters: 5, init: 'random', seeds: [11, 19] });
    expect(r).toMatchObject({ nClusters: 5, nFeatures: 2, nSamples: 2000 });
    expect(r.runs.map((t) => t.seed)).toEqual([11, 19]);
    for (const t of r.runs) {
      expect(t.complete).toBe(true);
      expect(t.phase[0]).toBe(0);
      for (let s = 1; s < t.nSteps; s++) {
        expect(t.inertia[s]).toBeLessThanOrEqual(t.inertia[s - 1] * (1 + 1e-12));
        if (t.phase[s] === 1) expect(t.phase[s - 1]).toBe(0);
      }
      // The first step's centres are the chosen rows.
      for (let c = 0; c < 5; c++) for (let f = 0; f < 2; f++) expect(t.centers[c * 2 + f]).toBe(X.data[t.initialRows[c] * 2 + f]);
      expect(t.labels).toHaveLength((t.labelRow[t.nSteps - 1] + 1) * 2000);
      const km = new KMeans({ nClusters: 5, init: 'random', nInit: 1, randomState: t.seed }).fit(X);
      expectClose(t.finalInertia, km.inertia_, 1e-9);
      expect(t.nIter).toBe(km.nIter_);
      const last = t.labels.subarray(t.labelRow[t.nSteps - 1] * 2000, (t.labelRow[t.nSteps - 1] + 1) * 2000);
      expect(Array.from(last)).toEqual(Array.from(km.labels_));
    }
  });

  it('keeps no more steps than asked and says the run was cut', async () => {
    const r = await analysis<KMeansStepsResult>(blobs5.id, 'kmeans-steps', { nClusters: 5, init: 'random', seeds: [11], maxIter: 1 });
    const [t] = r.runs;
    expect(Array.from(t.phase)).toEqual([0, 1, 0]);
    expect(t.nIter).toBe(1);
  });
});

describe('images', () => {
  let small: string;

  beforeAll(async () => {
    small = join(dir, 'ladybug-small.png');
    writeFileSync(small, await sharp(LADYBUG).resize(80, 53).png().toBuffer());
    backend.grantPath(small);
  });

  it('become datasets of pixels whose bytes come back unchanged', async () => {
    const ds = await backend.images.open({ kind: 'path', path: small });
    expect(ds).toMatchObject({ nSamples: 80 * 53, nFeatures: 3, featureNames: ['red', 'green', 'blue'], source: 'image:80x53:ladybug-small.png', dtype: 'float32' });
    const px = await backend.images.pixels(ds.id);
    const raw = await sharp(small).removeAlpha().raw().toBuffer();
    expect(px.width).toBe(80);
    expect(px.height).toBe(53);
    expect(Buffer.from(px.rgb).equals(raw)).toBe(true);
    await expect(backend.images.pixels(blobs5.id)).rejects.toThrow(/is not an image/);
  });

  it('are segmented into k colours, each pixel taking its nearest colour, the inertia summed over all pixels', async () => {
    const ds = (await backend.data.list()).find((d) => d.source === 'image:80x53:ladybug-small.png')!;
    const { X } = { X: (await backend.images.pixels(ds.id)).rgb };
    const r = await analysis<SegmentResult>(ds.id, 'segment', { ks: [4, 2], nInit: 2, randomState: 42 });
    expect(r).toMatchObject({ nPixels: 4240, fittedOn: 4240 });
    expect(r.segments.map((s) => s.k)).toEqual([4, 2]);
    for (const s of r.segments) {
      expect(s.palette).toHaveLength(s.k * 3);
      expect(s.labels).toBeInstanceOf(Uint8Array);
      let inertia = 0;
      for (let p = 0; p < 4240; p++) {
        const d = Array.from({ length: s.k }, (_, c) => [0, 1, 2].reduce((t, ch) => t + (Math.fround(X[3 * p + ch] / 255) - s.palette[3 * c + ch]) ** 2, 0));
        expect(d[s.labels[p]]).toBeCloseTo(Math.min(...d), 12);
        inertia += d[s.labels[p]];
      }
      expectClose(s.inertia, inertia, 1e-9);
    }
    const sampled = await analysis<SegmentResult>(ds.id, 'segment', { ks: [3], nInit: 1, sampleSize: 500 });
    expect(sampled.fittedOn).toBe(500);
    expect(await failure(blobs5.id, 'segment', { ks: [2] })).toMatch(/must have 3 columns/);
    expect(await failure(ds.id, 'segment', { ks: [300] })).toMatch(/k must be in \[1, 255\]/);
  });

  it('are refused when they are not PNG or JPEG, or too large', async () => {
    const bad = join(dir, 'not-an-image.png');
    writeFileSync(bad, 'hello');
    backend.grantPath(bad);
    await expect(backend.images.open({ kind: 'path', path: bad })).rejects.toThrow(/not an image sharp can read/);
    const lib = new ImageLibrary(() => join(dir, 'downloads-limit'), { maxPixels: 1000 });
    const store = ProjectStore.open(join(dir, 'limit.clusterscope'), { create: true });
    try {
      await expect(lib.importFile(store, small, 'ladybug-small.png')).rejects.toThrow(/80 × 53 = 0.0 megapixels, over the 0.0-megapixel limit: resize it first/);
    } finally {
      store.close();
    }
  });

  it('download the chapter’s ladybug once, checked against its checksum, from the download base', async () => {
    const before = hits['/images/ladybug.png'] ?? 0;
    const sources = await backend.images.sources();
    expect(sources).toEqual([expect.objectContaining({ id: 'ladybug', url: `${serverUrl}/images/ladybug.png`, downloaded: false })]);
    const ds = await backend.images.download('ladybug');
    expect(ds).toMatchObject({ nSamples: 800 * 533, nFeatures: 3, source: 'image:800x533:ladybug.png' });
    expect(existsSync(join(dir, 'downloads', 'ladybug.png'))).toBe(true);
    expect((await backend.images.sources())[0].downloaded).toBe(true);
    await backend.images.download('ladybug');
    expect(hits['/images/ladybug.png']).toBe(before + 1);
    await expect(backend.images.download('mona-lisa')).rejects.toThrow(/no downloadable image 'mona-lisa'/);
  });

  it('say clearly when the download is offline, refused or not the expected file, and keep nothing', async () => {
    const at = (base: string): ImageLibrary => new ImageLibrary(() => join(dir, 'downloads-bad'), { env: { CLUSTERSCOPE_DOWNLOAD_BASE: base }, idleTimeoutMs: 5000 });
    const store = ProjectStore.open(join(dir, 'bad.clusterscope'), { create: true });
    try {
      // A port nobody listens on any more.
      const closed = createServer();
      await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((ok) => closed.close(ok));
      await expect(at(`http://127.0.0.1:${port}/`).download(store, 'ladybug')).rejects.toThrow(/Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\).*offline.* Or open an image file of your own instead\./);
      await expect(at(`${serverUrl}/missing/`).download(store, 'ladybug')).rejects.toThrow(/answered 404/);
      await expect(at(`${serverUrl}/corrupt/`).download(store, 'ladybug')).rejects.toThrow(/did not send the expected ladybug\.png.*Nothing was kept/);
      expect(existsSync(join(dir, 'downloads-bad', 'ladybug.png'))).toBe(false);
      expect(readdirSync(join(dir, 'downloads-bad')).filter((f) => f.includes('ladybug'))).toEqual([]);
    } finally {
      store.close();
    }
  });
});
