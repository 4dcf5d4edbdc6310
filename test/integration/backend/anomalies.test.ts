/**
 * Anomaly review through the backend. First the chapter's Olivetti exercise on a real project
 * file: 10 bad faces (rotated, flipped, darkened) injected as a new dataset, then PCA (99 % of the
 * variance) and a 40-component mixture learned from the real faces rank all 10 above every real
 * face, by reconstruction error and by density. Then the analyses as jobs in a real worker
 * process (detectors, reconstructions, generated samples, bad parameters) and the decisions CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DensityDetector, ReconstructionDetector, validationReport } from '../../../src/core/anomalies';
import { PCA } from '../../../src/core/decomposition';
import { takeRows } from '../../../src/core/math/matrix';
import { readMat } from '../../../src/main/backend/importers/mat';
import { encodeLabels } from '../../../src/main/backend/labels';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { addItems, itemNames, thumbnails } from '../../../src/main/backend/store/items-repo';
import { injectIntoDataset } from '../../../src/main/backend/anomalies';
import { Backend } from '../../../src/main/backend/backend';
import { WorkerPool } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import type { ApiEvents } from '../../../src/shared/api';
import type { DatasetSummary, JobInfo } from '../../../src/shared/dto';
import type { JobSpec } from '../../../src/shared/jobs';
import type { AnalysisKind } from '../../../src/shared/analyses';
import type { DetectResult, GenerateResult, ReconstructResult } from '../../../src/shared/analyses/anomalies';
import { SHARED, expected } from '../../unit/core/reference';

const ROOT = resolve(__dirname, '../../..');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const DIGITS_PCA95: number = expected('pca_digits.json')['X_digits_full_var0.95'].n_components;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-anomalies-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The 400 faces of the MATLAB file as scikit-learn loads them: 64×64, row-major, scaled to [0, 1], float32. */
function olivetti(): { X: Float32Array; names: string[]; people: string[] } {
  const faces = readMat(readFileSync(join(SHARED, 'data/faces/olivettifaces.mat')), 'olivettifaces.mat').get('faces')!;
  const n = 400, d = 4096;
  let max = 0;
  for (const v of faces.data) max = Math.max(max, v);
  const X = new Float32Array(n * d);
  // The file stores each image column-major (MATLAB): pixel (r, c) of face i is at c·64 + r.
  for (let i = 0; i < n; i++) for (let r = 0; r < 64; r++) for (let c = 0; c < 64; c++) X[i * d + r * 64 + c] = faces.data[i * d + c * 64 + r] / max;
  const names = Array.from({ length: n }, (_, i) => `p${String(Math.floor(i / 10)).padStart(2, '0')}_${i % 10}.png`);
  return { X, names, people: names.map((_, i) => String(Math.floor(i / 10))) };
}

describe("the chapter's bad faces", () => {
  it('are a new dataset of 410 rows whose 10 copies both detectors rank above every real face', () => {
    const store = ProjectStore.open(join(dir, 'faces.clusterscope'), { create: true });
    try {
      const faces = olivetti();
      const enc = encodeLabels(faces.people);
      const source = store.addDataset({
        name: 'Olivetti faces',
        source: 'test',
        X: { rows: 400, cols: 4096, data: faces.X },
        featureNames: Array.from({ length: 4096 }, (_, i) => `p${i}`),
        labelName: 'person',
        labelClasses: enc.classes,
        labels: enc.codes,
      });
      addItems(store, source.id, faces.names.map((name) => ({ name, thumbnail: null })));

      const made = injectIntoDataset(store, source.id, { rotated: 4, flipped: 3, darkened: 3, randomState: 42 });
      const ds = made.dataset;
      expect(ds).toMatchObject({ nSamples: 410, nFeatures: 4096, dtype: 'float32', name: 'Olivetti faces + 10 injected' });
      expect(made.injectedRows).toEqual(Array.from({ length: 10 }, (_, j) => 400 + j));
      expect(made.kinds).toEqual(['rotated', 'rotated', 'rotated', 'rotated', 'flipped', 'flipped', 'flipped', 'darkened', 'darkened', 'darkened']);
      expect(store.getDataset(source.id).nSamples).toBe(400);

      const names = itemNames(store, ds.id)!;
      made.sourceRows.forEach((src, j) => expect(names[400 + j]).toBe(`${faces.names[src]} (${made.kinds[j]})`));
      const { X, labels } = store.getDatasetData(ds.id);
      made.sourceRows.forEach((src, j) => expect(labels![400 + j]).toBe(labels![src]));
      // The first copy is its source transposed (the chapter's "rotated"); a darkened copy is × 0.3.
      const src0 = made.sourceRows[0], at = (row: number, r: number, c: number) => X.data[row * 4096 + r * 64 + c];
      for (const [r, c] of [[0, 5], [17, 40], [63, 1]]) expect(at(400, r, c)).toBe(at(src0, c, r));
      const src9 = made.sourceRows[9];
      expect(at(409, 30, 30)).toBe(Math.fround(at(src9, 30, 30) * 0.3));
      const thumbs = thumbnails(store, ds.id, [0, 405]);
      expect(thumbs[0]).toBeNull();
      expect(Array.from(thumbs[1]!.subarray(0, 4))).toEqual(PNG_SIGNATURE);

      // As in the chapter, the models learn the real faces; the copies are only scored.
      const real = Array.from({ length: 400 }, (_, i) => i);
      const pca = new PCA({ nComponents: 0.99 }).fit(takeRows(X, real));
      const byError = new ReconstructionDetector({ variance: 0.99 }).fit(X, null, { fitRows: real, reduction: pca });
      const byDensity = new DensityDetector({ nComponents: 40, randomState: 42, pcaVariance: 0.99 }).fit(X, null, { fitRows: real, reduction: pca });
      for (const det of [byError, byDensity]) {
        const report = validationReport(det.scores_!, det.threshold_, made.injectedRows);
        expect(report).toMatchObject({ injected: 10, injectedFlagged: 10, injectedInTop: 10, separated: true, worstInjectedRank: 10 });
        expect(Array.from(det.flagged_!.slice(0, 10)).sort((a, b) => a - b)).toEqual(made.injectedRows);
      }
      // The chapter's scores are orders of magnitude apart: log densities near +1,100 for real
      // faces and −1e7 or lower for the bad ones.
      const density = validationReport(byDensity.scores_!, byDensity.threshold_, made.injectedRows);
      expect(density.highestRealScore).toBeLessThan(0);
      expect(density.lowestInjectedScore).toBeGreaterThan(1e6);
    } finally {
      store.close();
    }
  });

  it('refuses what cannot be injected, with the reason', () => {
    const store = ProjectStore.open(join(dir, 'refusals.clusterscope'), { create: true });
    try {
      const table = store.addDataset({
        name: 'wide',
        source: 'test',
        X: { rows: 3, cols: 6, data: new Float64Array(18) },
        featureNames: ['a', 'b', 'c', 'd', 'e', 'f'],
        labelName: null,
        labelClasses: null,
        labels: null,
      });
      expect(() => injectIntoDataset(store, table.id, { rotated: 1 })).toThrow(/does not say its image size/);
      expect(() => injectIntoDataset(store, table.id, { rotated: 1, image: { width: 4, height: 2, channels: 1 } })).toThrow(/4×2×1 has 8 values, the rows have 6/);
      expect(() => injectIntoDataset(store, table.id, {})).toThrow(/at least one/);
      expect(() => injectIntoDataset(store, table.id, { flipped: 4, image: { width: 3, height: 2, channels: 1 } })).toThrow(/flipped must be a whole number of copies in 0..3/);
      const made = injectIntoDataset(store, table.id, { flipped: 2, image: { width: 3, height: 2, channels: 1 } });
      expect(itemNames(store, made.dataset.id)!.slice(3)).toEqual(made.sourceRows.map((r) => `row ${r} (flipped)`));
      // Copies of a validation dataset are not copied again.
      const again = injectIntoDataset(store, made.dataset.id, { darkened: 3, image: { width: 3, height: 2, channels: 1 } });
      for (const r of again.sourceRows) expect(r).toBeLessThan(3);
      expect(() => injectIntoDataset(store, made.dataset.id, { darkened: 4, image: { width: 3, height: 2, channels: 1 } })).toThrow(/only 3 real rows/);
    } finally {
      store.close();
    }
  });
});

describe('anomaly analyses as jobs', () => {
  let backend: Backend;
  let pool: WorkerPool;
  const ended = new Map<string, JobInfo>();
  const waiters = new Map<string, (j: JobInfo) => void>();
  let digits: DatasetSummary;
  let validation: DatasetSummary;
  let injected: number[];

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

  async function analysis<R>(analysisName: AnalysisKind, datasetId: string, params: object): Promise<R> {
    const end = await run({ kind: 'analysis', analysis: analysisName, datasetId, params: params as Record<string, unknown> });
    expect(end.state, end.error ?? '').toBe('done');
    return (await backend.analyses.get(end.analysisId!)).result as R;
  }

  beforeAll(async () => {
    pool = new WorkerPool(childProcessSpawner({ workerPath: join(ROOT, 'src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] }), 1);
    backend = new Backend({ dataDir: join(dir, 'app'), resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'test' });
    await backend.init();
    digits = (await backend.data.list()).find((d) => d.source === 'sample:digits.csv')!;
    const made = await backend.anomalies.inject(digits.id, { rotated: 4, flipped: 3, darkened: 3 });
    validation = made.dataset;
    injected = made.injectedRows;
  });

  afterAll(() => {
    backend?.dispose();
    pool?.dispose();
  });

  it('runs a detector that learns without the injected rows and scores them all', async () => {
    expect(validation.nSamples).toBe(1807);
    const r = await analysis<DetectResult>('anomalies', validation.id, { method: 'pca', params: { variance: 0.95 }, excludeRows: injected });
    expect(r.scores).toBeInstanceOf(Float64Array);
    expect(r.scores.length).toBe(1807);
    expect(r).toMatchObject({ method: 'pca', thresholdSource: 'default', nFitted: 1797, labels: null, density: null });
    // Learned from the 1,797 real digits: scikit-learn keeps 29 components of them at 0.95.
    expect(r.summary.pcaComponents).toBe(DIGITS_PCA95);
    // The same detector in this process gives the same numbers (one implementation).
    const X = await dataOf(validation.id);
    const fitRows = Array.from({ length: 1797 }, (_, i) => i);
    const local = new ReconstructionDetector({ variance: 0.95 }).fit(X, null, { fitRows });
    expect(Array.from(r.scores)).toEqual(Array.from(local.scores_!));
    expect(Array.from(r.indices)).toEqual(Array.from(local.flagged_!));
    expect(r.threshold).toBe(local.threshold_);
    expect(r.projection!.x.length).toBe(1807);
    expect(r.featureMean.length).toBe(64);
  });

  it('reconstructs the rows under review and draws new samples from a mixture', async () => {
    const rows = [0, 1800, 1806];
    const rec = await analysis<ReconstructResult>('reconstruct', validation.id, { variance: 0.95, rows, excludeRows: injected });
    expect(rec.reconstructions).toMatchObject({ rows: 3, cols: 64 });
    expect(rec.reconstructions.data).toBeInstanceOf(Float32Array);
    expect(Array.from(rec.rows)).toEqual(rows);
    expect(rec.nComponents).toBe(DIGITS_PCA95);
    // A reconstruction is close to a real digit and far from a doctored one.
    expect(rec.errors[0]).toBeLessThan(rec.errors[1]);

    const gen = await analysis<GenerateResult>('generate', digits.id, { params: { nComponents: 10, covarianceType: 'diag', randomState: 0 }, nSamples: 12 });
    expect(gen.samples).toMatchObject({ rows: 12, cols: 64 });
    expect(gen.components.length).toBe(12);
    expect(gen).toMatchObject({ pcaComponents: null, randomState: 0, sampleSeed: 0 });
    const again = await analysis<GenerateResult>('generate', digits.id, { params: { nComponents: 10, covarianceType: 'diag', randomState: 0 }, nSamples: 12 });
    expect(Array.from(again.samples.data)).toEqual(Array.from(gen.samples.data));
  });

  it('fails a job with a clear reason on bad parameters', async () => {
    for (const [params, message] of [
      [{ method: 'svm', params: {} }, /method must be one of 'gmm', 'pca', 'dbscan'/],
      [{ method: 'gmm', params: { percentile: 140 } }, /percentile must be in \[0, 100\]/],
      [{ method: 'pca', params: { nClusters: 3 } }, /nClusters is not a parameter of the pca detector/],
      [{ method: 'dbscan', params: { eps: 0.5 }, excludeRows: [99999] }, /excludeRows: 99999 is not a row/],
    ] as const) {
      const end = await run({ kind: 'analysis', analysis: 'anomalies', datasetId: digits.id, params: params as unknown as Record<string, unknown> });
      expect(end.state).toBe('failed');
      expect(end.error).toMatch(message);
    }
    const bad = await run({ kind: 'analysis', analysis: 'reconstruct', datasetId: digits.id, params: { rows: [] } });
    expect(bad.error).toMatch(/rows must list 1 to 500 rows/);
  });

  it('exports the decisions with the file of each row', async () => {
    await backend.annotations.setDecisions(validation.id, [
      { row: injected[0], decision: 'confirmed', detector: 'pca', score: 12.5 },
      { row: 3, decision: 'dismissed', detector: 'pca', score: 0.25 },
    ]);
    const csv = await backend.annotations.exportDecisions(validation.id);
    const names = (await backend.data.items(validation.id))!;
    expect(names[injected[0]]).toMatch(/^row \d+ \(rotated\)$/);
    expect(csv.trim().split(/\r?\n/)).toEqual(['file,decision,detector,score', 'row 3,dismissed,pca,0.25', `${names[injected[0]]},confirmed,pca,12.5`]);
    // Without a native dialog (the browser host) there is nowhere to save: the view downloads instead.
    expect(await backend.anomalies.saveDecisions(validation.id)).toBeNull();
  });

  /** The dataset's matrix as the worker receives it. */
  async function dataOf(datasetId: string) {
    const n = (await backend.data.list()).find((d) => d.id === datasetId)!;
    const cols: number[] = Array.from({ length: n.nFeatures }, (_, i) => i);
    const data = new Float64Array(n.nSamples * n.nFeatures);
    for (let j = 0; j < cols.length; j += 2) {
      const pair = await backend.data.columns(datasetId, [j, Math.min(j + 1, n.nFeatures - 1)]);
      for (let i = 0; i < n.nSamples; i++) {
        data[i * n.nFeatures + j] = pair.x[i];
        if (j + 1 < n.nFeatures) data[i * n.nFeatures + j + 1] = pair.y[i];
      }
    }
    return { rows: n.nSamples, cols: n.nFeatures, data };
  }
});
