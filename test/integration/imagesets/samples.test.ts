/**
 * The image samples through the backend with a real worker: the Olivetti faces downloaded from a
 * local server standing in for figshare (CLUSTERSCOPE_DOWNLOAD_BASE) into the downloads folder,
 * built as scikit-learn builds them; the bundled digits; and a download that cannot happen
 * failing the job with the offline message, nothing saved.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../src/main/backend/backend';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import { WorkerPool } from '../../../src/main/backend/jobs/pool';
import { readMat } from '../../../src/main/backend/importers/mat';
import type { ApiEvents } from '../../../src/shared/api';
import type { JobInfo } from '../../../src/shared/dto';
import { decodeGrayPng } from '../../unit/backend/importers/png';

const ROOT = resolve(__dirname, '../../..');
const DATA = resolve(ROOT, '../shared/data');
let dir: string;
let backend: Backend;
let pool: WorkerPool;
let server: Server;
let base: string;
const ended = new Map<string, JobInfo>();
const waiting = new Map<string, (j: JobInfo) => void>();
const progress = new Map<string, string[]>();

function emit<E extends keyof ApiEvents>(name: E, payload: ApiEvents[E]): void {
  if (name === 'job:progress') {
    const p = payload as ApiEvents['job:progress'];
    progress.set(p.jobId, [...(progress.get(p.jobId) ?? []), p.message ?? '']);
  }
  if (name === 'job:done' || name === 'job:failed' || name === 'job:cancelled') {
    const j = payload as JobInfo;
    ended.set(j.id, j);
    waiting.get(j.id)?.(j);
  }
}

const finished = (id: string): Promise<JobInfo> => new Promise((ok) => (ended.has(id) ? ok(ended.get(id)!) : waiting.set(id, ok)));

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = join(DATA, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(DATA) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  dir = mkdtempSync(join(tmpdir(), 'cs-samples-'));
  pool = new WorkerPool(childProcessSpawner({ workerPath: join(ROOT, 'src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] }), 1);
  backend = new Backend({ dataDir: dir, resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'test' });
});

afterAll(() => {
  delete process.env.CLUSTERSCOPE_DOWNLOAD_BASE;
  backend?.dispose();
  pool?.dispose();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('image samples', () => {
  it('lists the samples with what each has to download', async () => {
    const samples = await backend.imagesets.samples();
    expect(samples.map((s) => [s.id, s.shape, s.downloadBytes])).toEqual([
      ['olivetti', [400, 4096], 1_432_511],
      ['mnist', [70_000, 784], 9_912_422 + 28_881 + 1_648_877 + 4_542],
      ['digits', [1797, 64], 0],
    ]);
  });

  it('downloads the Olivetti faces on first use into a new project, as scikit-learn builds them, with thumbnails', async () => {
    process.env.CLUSTERSCOPE_DOWNLOAD_BASE = base;
    expect(await backend.project.current()).toBeNull();
    const job = await backend.imagesets.openSample('olivetti');
    const end = await finished(job.id);
    expect(end.state, end.error ?? '').toBe('done');
    expect(progress.get(job.id)?.some((m) => /^downloading olivettifaces\.mat/.test(m))).toBe(true);
    expect(readdirSync(join(dir, 'downloads'))).toEqual(['olivettifaces.mat']);
    expect((await backend.imagesets.samples())[0].downloadBytes).toBe(0);
    const report = (await backend.imagesets.report(job.id))!;
    expect(report.dataset).toMatchObject({ name: 'Olivetti faces', source: 'sample:olivetti', nSamples: 400, nFeatures: 4096, dtype: 'float32', labelName: 'person' });
    expect(report.scale).toEqual({ min: 0, max: 242 });
    const { X, labels } = await backendData(report.dataset.id);
    expect(Array.from(labels!.subarray(0, 12))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const faces = readMat(new Uint8Array(readFileSync(join(DATA, 'faces/olivettifaces.mat'))), 'o.mat').get('faces')!;
    // faces.T.reshape(400, 64, 64).transpose(0, 2, 1) / 242: face 123, pixel (y = 10, x = 40).
    expect(X.data[123 * 4096 + 10 * 64 + 40]).toBe(Math.fround(faces.data[40 * 64 + 10 + 4096 * 123] / 242));
    const png = decodeGrayPng((await backend.data.thumbnails(report.dataset.id, [0]))[0]!);
    expect(png.pixels).toEqual(decodeGrayPng(readFileSync(join(DATA, 'faces/olivetti/p00_0.png'))).pixels);
    expect((await backend.data.items(report.dataset.id))!.slice(0, 2)).toEqual(['olivetti_000', 'olivetti_001']);
  });

  it('builds the bundled digits (values 0..16 kept, as load_digits) without downloading', async () => {
    const job = await backend.imagesets.openSample('digits');
    expect((await finished(job.id)).state).toBe('done');
    const report = (await backend.imagesets.report(job.id))!;
    expect(report.dataset).toMatchObject({ nSamples: 1797, nFeatures: 64, dtype: 'float64', labelClasses: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    expect(report.scale).toBeNull();
    const { X } = await backendData(report.dataset.id);
    expect(Math.max(...X.data)).toBe(16);
    expect(decodeGrayPng((await backend.data.thumbnails(report.dataset.id, [0]))[0]!).width).toBe(64);
  });

  it('fails the job with the offline message when the download cannot happen, saving nothing', async () => {
    const down = createServer();
    await new Promise<void>((ok) => down.listen(0, '127.0.0.1', ok));
    process.env.CLUSTERSCOPE_DOWNLOAD_BASE = `http://127.0.0.1:${(down.address() as AddressInfo).port}/`;
    await new Promise<void>((ok) => down.close(() => ok()));
    const before = (await backend.data.list()).length;
    const job = await backend.imagesets.openSample('mnist');
    const end = await finished(job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) to download train-images-idx3-ubyte\.gz: this computer seems to be offline/);
    expect(await backend.imagesets.report(job.id)).toBeNull();
    expect((await backend.data.list()).length).toBe(before);
    expect(readdirSync(join(dir, 'downloads'))).toEqual(['olivettifaces.mat']);
  });

  it('refuses an unknown sample', async () => {
    await expect(backend.imagesets.openSample('cifar' as never)).rejects.toThrow(/unknown sample 'cifar'; choose one of olivetti, mnist, digits/);
  });
});

/** The stored matrix and labels of a dataset, read the way the worker tasks get them. */
async function backendData(id: string): Promise<{ X: { data: Float32Array | Float64Array }; labels: Int32Array | null }> {
  const store = (backend as unknown as { store: { getDatasetData(id: string): { X: { data: Float32Array | Float64Array }; labels: Int32Array | null } } }).store;
  return store.getDatasetData(id);
}
