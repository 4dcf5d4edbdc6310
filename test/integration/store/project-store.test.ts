import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { ProjectError } from '../../../src/main/backend/store/errors';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/main/backend/store/migrations';
import { fromRows } from '../../../src/core/math/matrix';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

function sampleDataset(store: ProjectStore) {
  return store.addDataset({
    name: 'tiny',
    source: 'test',
    X: fromRows([
      [0, 1],
      [2, 3],
      [4, 5],
    ]),
    featureNames: ['a', 'b'],
    labelName: 'y',
    labelClasses: ['no', 'yes'],
    labels: Int32Array.of(0, 1, 1),
  });
}

function expectProjectError(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ProjectError);
  expect((caught as ProjectError).code).toBe(code);
}

describe('project store', () => {
  it('creates a marked, versioned WAL database with synchronous=FULL', () => {
    const path = join(dir, 'a.clusterscope');
    const store = ProjectStore.open(path, { create: true });
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps datasets, runs and view state across close and reopen, exactly', () => {
    const path = join(dir, 'b.clusterscope');
    let store = ProjectStore.open(path, { create: true });
    expect(store.name).toBe('b');
    const ds = sampleDataset(store);
    const run = store.addRun({
      datasetId: ds.id,
      algorithm: 'kmeans',
      params: { nClusters: 2, randomState: 42 },
      randomState: 42,
      status: 'done',
      durationMs: 12.5,
      nClusters: 2,
      metrics: { inertia: 1.25, silhouette: NaN },
      labels: Int32Array.of(0, 1, 1),
      centers: fromRows([
        [0, 1],
        [3, 4],
      ]),
      model: { estimator: 'KMeans' },
      error: null,
    });
    store.setViewState('skeleton', { runId: run.id, columns: [0, 1] });
    store.close();

    store = ProjectStore.open(path);
    expect(store.listDatasets()).toEqual([ds]);
    const data = store.getDatasetData(ds.id);
    expect(Array.from(data.X.data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(data.labels!)).toEqual([0, 1, 1]);
    const back = store.getRun(run.id);
    expect(back.params).toEqual({ nClusters: 2, randomState: 42 });
    expect(back.metrics.inertia).toBe(1.25);
    expect(back.metrics.silhouette).toBeNaN();
    expect(Array.from(back.labels)).toEqual([0, 1, 1]);
    expect(back.centers).toEqual({ rows: 2, cols: 2, data: Float64Array.of(0, 1, 3, 4) });
    expect(store.getRunModel(run.id)).toEqual({ estimator: 'KMeans' });
    expect(store.getViewState('skeleton')).toEqual({ runId: run.id, columns: [0, 1] });
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });

  it('keeps float32 datasets as float32', () => {
    const store = ProjectStore.open(join(dir, 'f.clusterscope'), { create: true });
    const ds = store.addDataset({
      name: 'f32',
      source: 'test',
      X: { rows: 2, cols: 1, data: Float32Array.of(0.1, 0.2) },
      featureNames: ['v'],
      labelName: null,
      labelClasses: null,
      labels: null,
    });
    expect(ds.dtype).toBe('float32');
    const X = store.getDatasetData(ds.id).X;
    expect(X.data).toBeInstanceOf(Float32Array);
    expect(X.data[0]).toBe(Math.fround(0.1));
    store.close();
  });

  it('refuses a file of another application without changing a byte', () => {
    const path = join(dir, 'other.clusterscope');
    const db = new Database(path);
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1);');
    db.pragma('application_id = 1234');
    db.close();
    const before = sha(path);
    expectProjectError(() => ProjectStore.open(path), 'foreign-app');
    expect(sha(path)).toBe(before);
  });

  it('refuses a plain SQLite database with no application id, unchanged', () => {
    const path = join(dir, 'plain.clusterscope');
    const db = new Database(path);
    db.exec('CREATE TABLE t(x);');
    db.close();
    const before = sha(path);
    expectProjectError(() => ProjectStore.open(path), 'foreign-app');
    expect(sha(path)).toBe(before);
  });

  it('refuses a project from a newer version without changing a byte', () => {
    const path = join(dir, 'newer.clusterscope');
    ProjectStore.open(path, { create: true }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = sha(path);
    expectProjectError(() => ProjectStore.open(path), 'newer-version');
    expect(sha(path)).toBe(before);
  });

  it('reports a file that is not a database, and a blank header, as not a project / damaged', () => {
    const text = join(dir, 'notes.clusterscope');
    writeFileSync(text, 'hello, this is text\n'.repeat(20));
    expectProjectError(() => ProjectStore.open(text), 'not-a-project');

    const path = join(dir, 'zeroed.clusterscope');
    const s = ProjectStore.open(path, { create: true });
    sampleDataset(s);
    s.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(100), 0, 100, 0);
    closeSync(fd);
    expectProjectError(() => ProjectStore.open(path), 'damaged');
  });

  it('reports a damaged page as a damaged project, never a crash', () => {
    const path = join(dir, 'pages.clusterscope');
    const s = ProjectStore.open(path, { create: true });
    for (let i = 0; i < 20; i++) sampleDataset(s);
    s.close();
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(4096 * 3);
    const fd = openSync(path, 'r+');
    // Scribble over the second page (the first table's b-tree root).
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096);
    closeSync(fd);
    expectProjectError(() => {
      const st = ProjectStore.open(path);
      try {
        st.listDatasets();
      } finally {
        st.close();
      }
    }, 'damaged');
  });

  it('opens a read-only file read-only and refuses changes with a clear error', () => {
    const path = join(dir, 'ro.clusterscope');
    const s = ProjectStore.open(path, { create: true });
    sampleDataset(s);
    s.close();
    chmodSync(path, 0o444);
    const before = sha(path);
    if (process.getuid?.() === 0) {
      // root ignores file permissions; the explicit read-only mode is still checked.
      const ro = ProjectStore.open(path, { readOnly: true });
      expect(ro.readOnly).toBe(true);
      expect(ro.listDatasets()).toHaveLength(1);
      expectProjectError(() => ro.setViewState('k', 1), 'read-only');
      ro.close();
    } else {
      const ro = ProjectStore.open(path);
      expect(ro.readOnly).toBe(true);
      expectProjectError(() => sampleDataset(ro), 'read-only');
      ro.close();
    }
    expect(sha(path)).toBe(before);
  });

  it('tells a second process that the project is open elsewhere', async () => {
    const path = join(dir, 'shared.clusterscope');
    const store = ProjectStore.open(path, { create: true });
    sampleDataset(store);
    const root = resolve(__dirname, '../../..');
    const script = `
      import { ProjectStore } from ${JSON.stringify(join(root, 'src/main/backend/store/project-store.ts'))};
      try { ProjectStore.open(${JSON.stringify(path)}); console.log('opened'); }
      catch (e) { console.log(e.code + ': ' + e.message); }
    `;
    const out = await new Promise<string>((ok) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
      let s = '';
      child.stdout.on('data', (b) => (s += b));
      child.stderr.on('data', (b) => (s += b));
      child.on('exit', () => ok(s));
    });
    expect(out).toMatch(/^locked: shared.clusterscope is open in another Clusterscope window or process/m);
    // Still ours, still writable.
    expect(store.listDatasets()).toHaveLength(1);
    sampleDataset(store);
    store.close();
  });

  it('saves a copy through the backup API that opens as an equal project', async () => {
    const path = join(dir, 'orig.clusterscope');
    const store = ProjectStore.open(path, { create: true });
    const ds = sampleDataset(store);
    const copy = join(dir, 'copy.clusterscope');
    await store.backupTo(copy);
    store.close();
    const other = ProjectStore.open(copy);
    expect(other.listDatasets()).toEqual([ds]);
    expect(other.integrityCheck()).toBe('ok');
    other.close();
  });

  it('turns an empty file into a new project', () => {
    const path = join(dir, 'empty.clusterscope');
    writeFileSync(path, '');
    const s = ProjectStore.open(path);
    expect(s.listDatasets()).toEqual([]);
    s.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });
});
