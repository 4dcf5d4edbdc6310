/**
 * The backend's part of the desktop shell, on real files and real worker processes: preferences
 * (validated, stored in the settings file, applied), `.npy` import, dropped paths, the last
 * failed save that the quit guard and the page's unload prompt ask about, and resizing the
 * worker pool.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { Backend, type BackendOptions } from '../../../src/main/backend/backend';
import { WorkerPool, type WorkerProcess, type WorkerSpawner } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import { pendingSaveFailure } from '../../../src/main/electron/quit-guard';
import type { ProjectStore } from '../../../src/main/backend/store/project-store';
import type { ApiEvents } from '../../../src/shared/api';
import type { FitResult, WorkerTask } from '../../../src/shared/jobs';
import { DEFAULT_PREFERENCES } from '../../../src/shared/prefs';

const ROOT = resolve(__dirname, '../../..');
const NPY = join(ROOT, 'test/fixtures/files/npy');
const CSV = join(ROOT, 'test/fixtures/files/csv');

/** Worker processes that speak the real protocol and do what a task's `behaviour` says. */
const scripted = childProcessSpawner({ workerPath: join(ROOT, 'test/fixtures/workers/scripted-worker.ts'), execArgv: ['--import', 'tsx'] });

/** A spawner that remembers every process it started and which of them have exited. */
function trackingSpawner(inner: WorkerSpawner): { spawn: WorkerSpawner; started: WorkerProcess[]; exited: Set<WorkerProcess> } {
  const started: WorkerProcess[] = [];
  const exited = new Set<WorkerProcess>();
  const spawn: WorkerSpawner = () => {
    const p = inner();
    started.push(p);
    p.onExit(() => exited.add(p));
    return p;
  };
  return { spawn, started, exited };
}

const task = (behaviour: string, extra: Record<string, unknown> = {}): WorkerTask => ({
  kind: 'fit',
  algorithm: 'kmeans',
  params: { behaviour, ...extra },
  metrics: [],
  X: { rows: 0, cols: 0, data: new Float64Array(0) },
  y: null,
});

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Harness {
  dir: string;
  backend: Backend;
  pool: WorkerPool;
  events: Array<{ name: keyof ApiEvents; payload: unknown }>;
}

const harnesses: Harness[] = [];

function harness(opts: Partial<BackendOptions> & { dir?: string; pool?: WorkerPool } = {}): Harness {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'cs-shell-'));
  const pool = opts.pool ?? new WorkerPool(scripted, 1);
  const events: Harness['events'] = [];
  const backend = new Backend({
    dataDir: dir,
    resourcesDir: join(ROOT, 'resources'),
    pool,
    emit: (name, payload) => events.push({ name, payload }),
    host: 'browser',
    version: 'test',
    ...opts,
  });
  const h = { dir, backend, pool, events };
  harnesses.push(h);
  return h;
}

function dispose(h: Harness, removeDir = true): void {
  h.backend.dispose();
  h.pool.dispose();
  if (removeDir) rmSync(h.dir, { recursive: true, force: true });
  harnesses.splice(harnesses.indexOf(h), 1);
}

afterAll(() => {
  for (const h of [...harnesses]) dispose(h);
});

describe('preferences', () => {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  afterAll(() => dispose(h));

  it('start as the defaults and are stored in the settings file when changed', async () => {
    expect(await h.backend.prefs.get()).toEqual(DEFAULT_PREFERENCES);
    const next = await h.backend.prefs.set({ theme: 'dark', defaultSeed: 42, memoryBudgetMiB: 512, tourDismissed: true });
    expect(next).toMatchObject({ theme: 'dark', defaultSeed: 42, memoryBudgetMiB: 512, tourDismissed: true, workerCount: null });
    const file = JSON.parse(readFileSync(join(h.dir, 'settings.json'), 'utf8')) as { preferences: Record<string, unknown> };
    expect(file.preferences).toMatchObject({ theme: 'dark', defaultSeed: 42, memoryBudgetMiB: 512, tourDismissed: true });
    expect(h.events.filter((e) => e.name === 'prefs:changed').at(-1)?.payload).toEqual(next);
  });

  it('are read back by a later start of the app', async () => {
    const later = harness({ dir: h.dir });
    try {
      expect(await later.backend.prefs.get()).toMatchObject({ theme: 'dark', defaultSeed: 42, memoryBudgetMiB: 512, tourDismissed: true });
    } finally {
      dispose(later, false);
    }
  });

  it('refuse invalid values with a message naming the rule, and keep the stored ones', async () => {
    const before = await h.backend.prefs.get();
    await expect(h.backend.prefs.set({ theme: 'sepia' as never })).rejects.toThrow(/theme must be one of system, light, dark/);
    await expect(h.backend.prefs.set({ memoryBudgetMiB: 10 })).rejects.toThrow(/memory budget \(MiB\) must be between 64 and/);
    await expect(h.backend.prefs.set({ defaultSeed: -1 })).rejects.toThrow(/default seed must be between 0 and 4,294,967,295/);
    await expect(h.backend.prefs.set({ defaultSeed: 1.5 })).rejects.toThrow(/default seed must be a whole number/);
    await expect(h.backend.prefs.set({ workerCount: availableParallelism() + 1 })).rejects.toThrow(/worker count must be between 1 and/);
    await expect(h.backend.prefs.set({ downloadDir: 'relative/folder' })).rejects.toThrow(/full path/);
    await expect(h.backend.prefs.set({ colour: 'red' } as never)).rejects.toThrow(/'colour' is not a preference/);
    // One bad field refuses the whole change.
    await expect(h.backend.prefs.set({ theme: 'light', defaultSeed: 'x' as never })).rejects.toThrow(/default seed/);
    expect(await h.backend.prefs.get()).toEqual(before);
  });

  it('create the download folder, and refuse one that cannot be a folder', async () => {
    const target = join(h.dir, 'my downloads', 'datasets');
    expect((await h.backend.prefs.set({ downloadDir: target })).downloadDir).toBe(target);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(h.backend.preferences.downloadDir()).toBe(target);
    const aFile = join(h.dir, 'not-a-folder');
    writeFileSync(aFile, 'x');
    await expect(h.backend.prefs.set({ downloadDir: aFile })).rejects.toThrow(/not-a-folder/);
    expect((await h.backend.prefs.set({ downloadDir: null })).downloadDir).toBeNull();
    expect(h.backend.preferences.downloadDir()).toBe(join(h.dir, 'downloads'));
  });

  it('a damaged value in the settings file falls back to its default without losing the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-shell-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ preferences: { theme: 'neon', defaultSeed: 7, memoryBudgetMiB: 'lots' } }));
    const damaged = harness({ dir });
    try {
      expect(await damaged.backend.prefs.get()).toEqual({ ...DEFAULT_PREFERENCES, defaultSeed: 7 });
    } finally {
      dispose(damaged);
    }
  });
});

describe('the worker count preference', () => {
  it('resizes the pool at once, and back to the host default when automatic', async () => {
    if (availableParallelism() < 2) return void console.warn('one core: the pool cannot grow here; skipped');
    const h = harness();
    await h.backend.project.create();
    expect((await h.backend.app.info()).workerCount).toBe(1);
    await h.backend.prefs.set({ workerCount: 2 });
    expect((await h.backend.app.info()).workerCount).toBe(2);
    expect(h.pool.pids()).toHaveLength(2);
    await h.backend.prefs.set({ workerCount: null });
    expect((await h.backend.app.info()).workerCount).toBe(1);
    expect(h.pool.pids()).toHaveLength(1);
    dispose(h);
  });

  it('is applied when the app starts again', async () => {
    if (availableParallelism() < 2) return void console.warn('one core: the pool cannot grow here; skipped');
    const dir = mkdtempSync(join(tmpdir(), 'cs-shell-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ firstRunDone: true, preferences: { workerCount: 2 } }));
    const h = harness({ dir });
    await h.backend.init();
    expect(h.pool.size).toBe(2);
    expect(h.pool.pids()).toHaveLength(2);
    dispose(h);
  });
});

describe('WorkerPool.resize', () => {
  let pool: WorkerPool | null = null;
  afterEach(() => {
    pool?.dispose();
    pool = null;
  });

  it('growing starts workers that take the queued jobs', async () => {
    const t = trackingSpawner(scripted);
    pool = new WorkerPool(t.spawn, 1);
    const jobs = [1, 2, 3].map((i) => pool!.run(`j${i}`, task('slow', { ms: 600 })));
    expect(pool.queuedCount).toBe(2);
    pool.resize(3);
    expect(pool.size).toBe(3);
    expect(pool.queuedCount).toBe(0);
    expect(pool.busyCount).toBe(3);
    await Promise.all(jobs);
    expect(t.started).toHaveLength(3);
  });

  it('shrinking stops idle workers at once and lets busy ones finish their job first', async () => {
    const t = trackingSpawner(scripted);
    pool = new WorkerPool(t.spawn, 3);
    const busy = pool.run('busy', task('slow', { ms: 800 }));
    const busyPid = pool.pidOf('busy');
    pool.resize(1);
    expect(pool.size).toBe(1);
    // The two idle workers go; the busy one is the one kept.
    await until(() => t.exited.size === 2, 'the idle workers exit');
    expect(pool.pids()).toEqual([busyPid]);
    await expect(busy).resolves.toBeDefined();
    const next = (await pool.run('next', task('echo', { value: 5 }))) as FitResult;
    expect(next.metrics.pid).toBe(busyPid);
  });

  it('a busy surplus worker stops after its job instead of taking the next one', async () => {
    const t = trackingSpawner(scripted);
    pool = new WorkerPool(t.spawn, 2);
    const a = pool.run('a', task('slow', { ms: 500 }));
    const b = pool.run('b', task('slow', { ms: 900 }));
    pool.resize(1);
    const c = pool.run('c', task('echo', { value: 1 }));
    const results = (await Promise.all([a, b, c])) as FitResult[];
    await until(() => t.exited.size === 1, 'the surplus worker exits');
    // Both jobs finished; the next one ran on the worker that stays, which no new process joined.
    expect(results).toHaveLength(3);
    expect(pool.pids()).toHaveLength(1);
    expect(t.started).toHaveLength(2);
    const stopped = [...t.exited][0].pid;
    expect(results[2].metrics.pid).toBe(pool.pids()[0]);
    expect(results[2].metrics.pid).not.toBe(stopped);
  });

  it('growing again takes back a worker that was finishing its job', async () => {
    const t = trackingSpawner(scripted);
    pool = new WorkerPool(t.spawn, 2);
    const jobs = [pool.run('a', task('slow', { ms: 600 })), pool.run('b', task('slow', { ms: 600 }))];
    pool.resize(1);
    pool.resize(2);
    await Promise.all(jobs);
    // Both workers carry on: none stopped, none started.
    expect(pool.pids()).toHaveLength(2);
    expect(t.exited.size).toBe(0);
    expect(t.started).toHaveLength(2);
    expect(pool.busyCount).toBe(0);
  });

  it('refuses a size below one or not whole', () => {
    pool = new WorkerPool(scripted, 1);
    expect(() => pool!.resize(0)).toThrow(/at least 1/);
    expect(() => pool!.resize(1.5)).toThrow(/whole number/);
  });
});

describe('importNpy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = harness();
    await h.backend.project.create();
  });
  afterAll(() => dispose(h));

  const upload = (file: string): { kind: 'upload'; id: string; name: string } => {
    const ref = h.backend.uploads.add(file, readFileSync(join(NPY, file)));
    return { kind: 'upload', ...ref };
  };

  it('imports a Fortran-order float64 matrix row-major and reports its dtype and shape', async () => {
    const r = await h.backend.data.importNpy({ file: upload('fortran-f8.npy') });
    expect(r).toMatchObject({ dtype: '<f8', shape: [3, 4], fortranOrder: true });
    expect(r.dataset).toMatchObject({ name: 'fortran-f8', source: 'npy:fortran-f8.npy', nSamples: 3, nFeatures: 4, dtype: 'float64', featureNames: ['x0', 'x1', 'x2', 'x3'] });
    // make_fixtures.py: m = np.arange(12).reshape(3, 4) / 4 - 1, saved in Fortran order.
    const cols = await h.backend.data.columns(r.dataset.id, [0, 3]);
    expect(Array.from(cols.x)).toEqual([0, 1, 2].map((i) => (4 * i) / 4 - 1));
    expect(Array.from(cols.y)).toEqual([0, 1, 2].map((i) => (4 * i + 3) / 4 - 1));
  });

  it('keeps float32 data as float32, and names the dataset as asked', async () => {
    const r = await h.backend.data.importNpy({ file: upload('f4.npy'), name: 'Single precision' });
    expect(r).toMatchObject({ dtype: '<f4', shape: [3, 4] });
    expect(r.dataset).toMatchObject({ name: 'Single precision', dtype: 'float32' });
  });

  it('reads a 1-D array as one column', async () => {
    const r = await h.backend.data.importNpy({ file: upload('1d-f8.npy') });
    expect(r).toMatchObject({ shape: [3], dataset: { nSamples: 3, nFeatures: 1 } });
  });

  it("refuses what the strict reader refuses, with the reader's reason, and adds nothing", async () => {
    const before = (await h.backend.data.list()).length;
    await expect(h.backend.data.importNpy({ file: upload('3d.npy') })).rejects.toThrow(/3d\.npy: a 3-D array of shape \(2, 3, 4\) cannot be read as a table/);
    await expect(h.backend.data.importNpy({ file: upload('object.npy') })).rejects.toThrow(/^object\.npy: /);
    await expect(h.backend.data.importNpy({ file: upload('truncated.npy') })).rejects.toThrow(/truncated\.npy: .*only/);
    await expect(h.backend.data.importNpy({ file: { kind: 'path', path: join(NPY, 'f8.npy') } })).rejects.toThrow(/Choose the file/);
    expect(await h.backend.data.list()).toHaveLength(before);
  });

  it('checks the file against the memory budget of the preferences', async () => {
    // A valid (64, 131073) float64 .npy of just over 64 MiB, as a sparse file: cheap to make.
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (64, 131073), }";
    const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const path = join(h.dir, 'big.npy');
    const fd = openSync(path, 'w');
    const pre = Buffer.alloc(10);
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(pre);
    pre.writeUInt16LE(padded.length, 8);
    writeSync(fd, pre);
    writeSync(fd, padded);
    ftruncateSync(fd, 10 + padded.length + 64 * 131073 * 8);
    closeSync(fd);
    h.backend.grantPath(path);
    await h.backend.prefs.set({ memoryBudgetMiB: 64 });
    await expect(h.backend.data.importNpy({ file: { kind: 'path', path } })).rejects.toThrow(/^big\.npy: reading it needs 64\.0 MiB of memory, more than the budget of 64\.0 MiB$/);
    await h.backend.prefs.set({ memoryBudgetMiB: 2048 });
  });
});

describe('dropped files (desktop app)', () => {
  it('grant exactly the dropped paths, and say which are folders', async () => {
    const h = harness({ host: 'electron' });
    await h.backend.project.create();
    const file = join(CSV, 'tab.tsv');
    await expect(h.backend.data.inspectCsv({ kind: 'path', path: file })).rejects.toThrow(/Choose the file/);
    const items = await h.backend.files.dropped([file, NPY, join(CSV, 'no-such-file.csv')]);
    expect(items).toEqual([
      { ref: { kind: 'path', path: file }, name: 'tab.tsv', isDirectory: false },
      { ref: { kind: 'path', path: NPY }, name: 'npy', isDirectory: true },
    ]);
    expect((await h.backend.data.inspectCsv({ kind: 'path', path: file })).columns.map((c) => c.name)).toEqual(['p', 'q']);
    // A sibling that was not dropped stays out of reach.
    await expect(h.backend.data.inspectCsv({ kind: 'path', path: join(CSV, 'quoted.csv') })).rejects.toThrow(/Choose the file/);
    await expect(h.backend.files.dropped(['relative.csv'])).rejects.toThrow(/absolute/);
    await expect(h.backend.files.dropped('not a list' as never)).rejects.toThrow(/list/);
    dispose(h);
  });

  it('are refused by the browser host, which uploads dropped files', async () => {
    const h = harness({ host: 'browser' });
    await expect(h.backend.files.dropped([join(CSV, 'tab.tsv')])).rejects.toThrow(/uploaded/);
    dispose(h);
  });
});

describe('the last failed save', () => {
  let h: Harness;
  beforeAll(async () => {
    h = harness();
    await h.backend.project.create();
  });
  afterAll(() => dispose(h));

  /** The open project's SQLite connection (private in the app: a test sets max_page_count on it). */
  const connection = (): Database.Database => ((h.backend as unknown as { store: ProjectStore }).store as unknown as { db: Database.Database }).db;

  const saveEvents = (): Array<ApiEvents['save:status']> => h.events.filter((e) => e.name === 'save:status').map((e) => e.payload as ApiEvents['save:status']);

  it('is null while every write succeeds', async () => {
    await h.backend.project.setViewState('k', { a: 1 });
    expect(h.backend.lastSaveFailure()).toBeNull();
    expect(await h.backend.project.lastSaveFailure()).toBeNull();
    expect(pendingSaveFailure(h.backend)).toBeNull();
  });

  it('records a write refused for a full disk, for the quit guard and the page, until a later write succeeds', async () => {
    const db = connection();
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    await expect(h.backend.project.setViewState('big', 'x'.repeat(1 << 20))).rejects.toThrow(/The disk is full/);
    const failure = h.backend.lastSaveFailure();
    expect(failure).toMatchObject({ message: expect.stringMatching(/^The disk is full: the last change to Untitled.* was not saved/), path: (await h.backend.project.current())!.path });
    expect(await h.backend.project.lastSaveFailure()).toEqual(failure);
    expect(pendingSaveFailure(h.backend)).toMatchObject({ message: failure!.message });
    expect(saveEvents().at(-1)).toEqual({ failure });

    // Room again (the pragma is per connection): the next write succeeds and clears it.
    db.pragma('max_page_count = 1073741823');
    await h.backend.project.setViewState('small', 1);
    expect(h.backend.lastSaveFailure()).toBeNull();
    expect(pendingSaveFailure(h.backend)).toBeNull();
    expect(saveEvents().at(-1)).toEqual({ failure: null });
  });

  it('is not set by a refused request (bad input is not an unsaved change)', async () => {
    const before = saveEvents().length;
    const ds = await h.backend.data.importNpy({ file: { kind: 'upload', ...h.backend.uploads.add('f8.npy', readFileSync(join(NPY, 'f8.npy'))) } });
    await expect(h.backend.annotations.setLabels(ds.dataset.id, [{ row: 99, label: 'x' }])).rejects.toThrow();
    await expect(h.backend.runs.get('no-such-run')).rejects.toThrow();
    expect(h.backend.lastSaveFailure()).toBeNull();
    expect(saveEvents()).toHaveLength(before);
  });

  it('is forgotten when the project it belongs to is closed', async () => {
    const db = connection();
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    await expect(h.backend.project.setViewState('big', 'y'.repeat(1 << 20))).rejects.toThrow(/disk is full/);
    expect(h.backend.lastSaveFailure()).not.toBeNull();
    await h.backend.project.close();
    expect(h.backend.lastSaveFailure()).toBeNull();
    expect(saveEvents().at(-1)).toEqual({ failure: null });
  });
});
