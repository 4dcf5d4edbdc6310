/**
 * Damaged and foreign project files: each is reported as a ProjectError a person can act on
 * (damaged, not a project, another application's, a newer version's), never a crash, and a file
 * that is refused is left exactly as it was — the file, the WAL and shared-memory files beside
 * it, and the folder listing (no journal created). Then a seeded batch of random damage (bit
 * flips, scribbled byte ranges, whole pages) where either the file is refused that way, or it
 * opens and every read either succeeds or fails with a 'damaged' ProjectError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { ProjectError, type ProjectErrorCode } from '../../../src/main/backend/store/errors';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/main/backend/store/migrations';
import { runOf } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { fingerprint, randomDataset, rng, scaled, tempDir, testBackend } from '../helpers';

const RANDOM_TRIALS = scaled(40);
const figures = { trials: 0, faults: 0, failures: 0, notes: [] as string[] };

let tmp: ReturnType<typeof tempDir>;
let base: string;
let good: Buffer;
let n = 0;

beforeAll(() => {
  tmp = tempDir('damage');
  base = join(tmp.dir, 'base.clusterscope');
  const store = ProjectStore.open(base, { create: true });
  for (let i = 0; i < 6; i++) {
    const ds = store.addDataset(randomDataset(`d${i}`, 300, 6, i + 1));
    for (let r = 0; r < 3; r++) store.addRun(runOf(i * 10 + r, ds.id));
  }
  store.setViewState('layout', { zoom: 2 });
  store.close();
  good = readFileSync(base);
});

afterAll(() => {
  tmp.remove();
  recordFigures({ suite: 'store: damaged and foreign files', file: __filename, ...figures });
});

/** Writes `bytes` (and optionally a WAL) as a fresh project file in its own folder. */
function project(bytes: Uint8Array, wal?: Uint8Array): string {
  const dir = join(tmp.dir, `case${n++}`);
  mkdirSync(dir);
  const path = join(dir, 'study.clusterscope');
  writeFileSync(path, bytes);
  if (wal) writeFileSync(`${path}-wal`, wal);
  return path;
}

/**
 * A crash image: the project after `change` was committed to the WAL but before any checkpoint
 * (the main file and the -wal copied while the writer still had them open).
 */
function pendingWal(change: (db: Database.Database) => void): { main: Buffer; wal: Buffer } {
  const dir = join(tmp.dir, `wal${n++}`);
  mkdirSync(dir);
  const path = join(dir, 'w.clusterscope');
  copyFileSync(base, path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  change(db);
  const image = { main: readFileSync(path), wal: readFileSync(`${path}-wal`) };
  db.close();
  return image;
}

function refusal(path: string): ProjectError {
  try {
    ProjectStore.open(path).close();
  } catch (e) {
    if (e instanceof ProjectError) return e;
    throw new Error(`threw ${(e as Error).name} instead of a ProjectError: ${(e as Error).message}`, { cause: e });
  }
  throw new Error('the file was opened');
}

/** Opens `path` expecting a refusal with `code`, and checks that nothing at all was written. */
function expectRefused(path: string, code: ProjectErrorCode, message: RegExp): ProjectError {
  const before = fingerprint(path);
  figures.trials++;
  figures.faults++;
  const e = refusal(path);
  expect(e.code, e.message).toBe(code);
  expect(e.message).toMatch(/^study\.clusterscope /);
  expect(e.message).toMatch(message);
  expect(e.message, 'one sentence, no SQLite report').not.toMatch(/\n/);
  expect(fingerprint(path)).toEqual(before);
  return e;
}

describe('damaged project files', () => {
  it('reports a zeroed header or first page as damaged, untouched', () => {
    const header = Buffer.from(good);
    header.fill(0, 0, 100);
    expectRefused(project(header), 'damaged', /damaged: its header is blank/);
    const page = Buffer.from(good);
    page.fill(0, 0, 4096);
    expectRefused(project(page), 'damaged', /damaged/);
  });

  it('reports a file truncated anywhere as damaged, untouched', () => {
    const size = good.length;
    expect(size).toBeGreaterThan(4096 * 20);
    for (const cut of [1, 15, 50, 99, 100, 101, 1000, 4095, 4096, 4097, 8192, 3 * 4096 + 17, Math.floor(size / 2), size - 4096, size - 100, size - 1]) {
      const e = expectRefused(project(good.subarray(0, cut)), 'damaged', /damaged/);
      expect(e.message, `cut at ${cut}`).toMatch(/open a backup|ends inside its header/);
    }
  });

  it('reports scribbled b-tree pages as damaged, untouched', () => {
    const pages = good.length / 4096;
    for (const page of [1, 2, 3, 5, Math.floor(pages / 2), pages - 1]) {
      for (const fill of [0x00, 0xa5, -1]) {
        const bytes = Buffer.from(good);
        const r = rng(page * 31 + fill);
        for (let i = page * 4096; i < (page + 1) * 4096; i++) bytes[i] = fill >= 0 ? fill : Math.floor(r() * 256);
        const path = project(bytes);
        const before = fingerprint(path);
        figures.trials++;
        figures.faults++;
        // A page holding only blob bytes (an overflow page) is not structure: SQLite has no
        // page checksums, so its damage shows only where the structure breaks. Every outcome
        // must still be a refusal or a project that reads.
        const outcome = openAndReadAll(path);
        if (outcome.refused) {
          expect(outcome.refused.code, outcome.refused.message).toBe('damaged');
          expect(fingerprint(path)).toEqual(before);
        }
        expect(outcome.problems, `page ${page} filled with ${fill}`).toEqual([]);
      }
    }
  });

  it('reports random bytes as not a project, and random bytes after a good header as damaged', () => {
    const r = rng(77);
    const noise = Buffer.alloc(good.length);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(r() * 256);
    expectRefused(project(noise), 'not-a-project', /not a Clusterscope project/);
    const text = Buffer.from('id,name\n1,"not a database"\n'.repeat(200));
    expectRefused(project(text), 'not-a-project', /not a Clusterscope project/);
    const tail = Buffer.concat([good.subarray(0, 100), noise.subarray(100)]);
    expectRefused(project(tail), 'damaged', /damaged/);
  });

  it('turns a damaged project into a clear error at the backend too, and keeps running', async () => {
    const dir = tempDir('damage-backend');
    const backend = testBackend(dir.dir);
    try {
      const bytes = Buffer.from(good);
      bytes.fill(0xa5, 4096, 8192);
      const path = project(bytes);
      const before = fingerprint(path);
      await expect(backend.project.open(path)).rejects.toMatchObject({ name: 'ProjectError', code: 'damaged', message: expect.stringMatching(/^study\.clusterscope is damaged .*open a backup/) });
      expect(fingerprint(path)).toEqual(before);
      expect(await backend.project.current()).toBeNull();
      // Still working: a healthy project opens next.
      const healthy = project(good);
      await expect(backend.project.open(healthy)).resolves.toMatchObject({ datasetCount: 6, runCount: 18, readOnly: false });
    } finally {
      backend.dispose();
      dir.remove();
    }
  });
});

describe('files of another application or a newer version', () => {
  it('refuses a newer user_version, in the header or only in a pending WAL, without a byte changed', () => {
    const newer = Buffer.from(good);
    newer.writeUInt32BE(SCHEMA_VERSION + 1, 60);
    expectRefused(project(newer), 'newer-version', /newer Clusterscope \(schema \d+.*left untouched/);
    // A newer version migrated the project and crashed before its checkpoint: the new version
    // number is only in the WAL. Opening the database to look would checkpoint it on close.
    const image = pendingWal((db) => db.pragma(`user_version = ${SCHEMA_VERSION + 5}`));
    expect(image.main.readUInt32BE(60)).toBe(SCHEMA_VERSION);
    expectRefused(project(image.main, image.wal), 'newer-version', /left untouched/);
  });

  it('refuses another application id, in the header or only in a pending WAL, without a byte changed', () => {
    const foreign = Buffer.from(good);
    foreign.writeUInt32BE(0x12345678, 68);
    expectRefused(project(foreign), 'foreign-app', /another application.*left untouched/);
    const image = pendingWal((db) => {
      db.pragma('application_id = 42');
      db.exec('CREATE TABLE their_data (x); INSERT INTO their_data VALUES (1);');
    });
    expect(image.main.readUInt32BE(68)).toBe(APPLICATION_ID);
    expectRefused(project(image.main, image.wal), 'foreign-app', /another application/);
  });

  it('refuses another program’s SQLite database whose header only lives in its WAL', () => {
    const dir = join(tmp.dir, `other${n++}`);
    mkdirSync(dir);
    const path = join(dir, 'theirs.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'keep me\');');
    db.pragma('application_id = 7');
    const main = readFileSync(path), wal = readFileSync(`${path}-wal`);
    db.close();
    expect(main.readUInt32BE(68)).toBe(0);
    expectRefused(project(main, wal), 'foreign-app', /another application/);
  });

  it('still opens its own project that crashed before its first checkpoint, with the WAL replayed', () => {
    const image = pendingWal((db) => db.prepare('INSERT INTO view_state (key, value, updated_at) VALUES (?, ?, ?)').run('after-crash', '"kept"', 'now'));
    const path = project(image.main, image.wal);
    const store = ProjectStore.open(path);
    try {
      expect(store.getViewState('after-crash')).toBe('kept');
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('ignores a torn last WAL frame, as SQLite does, and opens the last committed state', () => {
    const image = pendingWal((db) => {
      db.prepare('INSERT INTO view_state (key, value, updated_at) VALUES (?, ?, ?)').run('first', '1', 'now');
      db.prepare('INSERT INTO view_state (key, value, updated_at) VALUES (?, ?, ?)').run('second', '2', 'now');
    });
    // Cut the WAL inside its last frame: the second commit is lost as a power cut would lose
    // it, the first stays.
    const frame = 24 + 4096;
    const frames = (image.wal.length - 32) / frame;
    expect(Number.isInteger(frames)).toBe(true);
    const path = project(image.main, image.wal.subarray(0, image.wal.length - 100));
    const store = ProjectStore.open(path);
    try {
      expect(store.getViewState('first')).toBe(1);
      expect(store.getViewState('second')).toBeNull();
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('reports a folder named like a project as not a project', () => {
    const dir = join(tmp.dir, 'folder.clusterscope');
    mkdirSync(dir);
    figures.trials++;
    expect(refusal(dir)).toMatchObject({ code: 'not-a-project', message: 'folder.clusterscope is a folder, not a project file' });
    expect(statSync(dir).isDirectory()).toBe(true);
  });
});

interface Outcome {
  refused: ProjectError | null;
  problems: string[];
}

/** Opens a possibly damaged project and reads everything in it. */
function openAndReadAll(path: string): Outcome {
  const problems: string[] = [];
  let store: ProjectStore;
  try {
    store = ProjectStore.open(path);
  } catch (e) {
    if (e instanceof ProjectError) return { refused: e, problems };
    return { refused: null, problems: [`open threw ${(e as Error).name}: ${(e as Error).message}`] };
  }
  const attempt = (what: string, fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ProjectError && e.code === 'damaged')) problems.push(`${what} threw ${(e as Error).name}: ${(e as Error).message}`);
    }
  };
  try {
    attempt('listDatasets', () => {
      for (const ds of store.listDatasets()) {
        attempt('getDatasetData', () => store.getDatasetData(ds.id));
        attempt('listRuns', () => {
          for (const run of store.listRuns(ds.id)) attempt('getRun', () => store.getRun(run.id));
        });
      }
    });
    attempt('getViewState', () => store.getViewState('layout'));
    attempt('integrityCheck', () => store.integrityCheck());
  } finally {
    store.close();
  }
  return { refused: null, problems };
}

describe('random damage', () => {
  it(`is refused untouched or read without a crash, over ${RANDOM_TRIALS} seeded cases`, () => {
    const r = rng(20_240_601);
    const counts = { refused: 0, opened: 0 };
    const problems: string[] = [];
    for (let t = 0; t < RANDOM_TRIALS; t++) {
      const bytes = Buffer.from(good);
      const kind = t % 3;
      if (kind === 0) {
        for (let k = 0; k < 1 + Math.floor(r() * 8); k++) bytes[Math.floor(r() * bytes.length)] ^= 1 << Math.floor(r() * 8);
      } else if (kind === 1) {
        const at = Math.floor(r() * bytes.length), len = 1 + Math.floor(r() * 64);
        for (let i = at; i < Math.min(bytes.length, at + len); i++) bytes[i] = Math.floor(r() * 256);
      } else {
        const page = Math.floor(r() * (bytes.length / 4096));
        bytes.copy(bytes, page * 4096, Math.floor(r() * (bytes.length / 4096)) * 4096, (page + 1) * 4096);
      }
      const path = project(bytes);
      const before = fingerprint(path);
      const outcome = openAndReadAll(path);
      figures.trials++;
      figures.faults++;
      if (outcome.refused) {
        counts.refused++;
        if (!['damaged', 'not-a-project', 'foreign-app', 'newer-version'].includes(outcome.refused.code)) problems.push(`case ${t}: refused with ${outcome.refused.code}`);
        if (JSON.stringify(fingerprint(path)) !== JSON.stringify(before)) problems.push(`case ${t}: refused but changed`);
      } else counts.opened++;
      problems.push(...outcome.problems.map((p) => `case ${t}: ${p}`));
    }
    figures.failures += problems.length;
    figures.notes.push(`${RANDOM_TRIALS} random damages: ${counts.refused} refused untouched, ${counts.opened} opened and read without a crash`);
    expect(problems).toEqual([]);
  });
});
