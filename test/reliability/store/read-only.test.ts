/**
 * A read-only project is opened read-only, with the notice the renderer shows
 * (`ProjectSummary.readOnly`), and every way of changing it is refused with a clear message;
 * the file keeps every byte.
 *
 * How the file is made read-only depends on who runs the tests. CI runs as root, and root
 * ignores file permissions (chmod 444 does not stop its writes), so:
 * - the explicit read-only mode of the store is tested everywhere;
 * - a read-only bind mount of the project's folder is used when this process may mount (root
 *   with CAP_SYS_ADMIN): the kernel then refuses every write, root or not, and SQLite cannot even
 *   create its -wal/-shm files beside the project;
 * - chmod (file 444, folder 555) is used when the tests do not run as root.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { ProjectError } from '../../../src/main/backend/store/errors';
import { MIGRATIONS } from '../../../src/main/backend/store/migrations';
import { runOf } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { canMount, mount, randomDataset, sha256, tempDir, testBackend, unmount } from '../helpers';

const figures = { trials: 0, faults: 0, writesChecked: 0, dataLost: 0, notes: [] as string[] };
afterAll(() => recordFigures({ suite: 'store: read-only projects', file: __filename, ...figures }));

function makeProject(path: string): { datasetId: string; runId: string } {
  const store = ProjectStore.open(path, { create: true });
  const ds = store.addDataset(randomDataset('iris-like', 150, 4, 3));
  const run = store.addRun(runOf(1, ds.id));
  store.setViewState('layout', { zoom: 1 });
  store.close();
  return { datasetId: ds.id, runId: run.id };
}

function expectReadOnlyError(fn: () => unknown): ProjectError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProjectError);
    expect((e as ProjectError).code).toBe('read-only');
    return e as ProjectError;
  }
  throw new Error('the change was not refused');
}

describe('the store opened read-only', () => {
  it('reads everything and refuses every change, leaving the file as it was', () => {
    const tmp = tempDir('ro-store');
    try {
      const path = join(tmp.dir, 'shared.clusterscope');
      const ids = makeProject(path);
      const before = sha256(readFileSync(path));
      const store = ProjectStore.open(path, { readOnly: true });
      figures.trials++;
      try {
        expect(store.readOnly).toBe(true);
        expect(store.listDatasets()).toHaveLength(1);
        expect(store.getRun(ids.runId).labels.length).toBeGreaterThan(0);
        expect(store.getViewState('layout')).toEqual({ zoom: 1 });
        const attempts: [string, () => unknown][] = [
          ['addDataset', () => store.addDataset(randomDataset('more', 5, 4))],
          ['addRun', () => store.addRun(runOf(2, ids.datasetId))],
          ['removeRun', () => store.removeRun(ids.runId)],
          ['setViewState', () => store.setViewState('layout', { zoom: 3 })],
        ];
        for (const [what, attempt] of attempts) {
          const e = expectReadOnlyError(attempt);
          expect(e.message, what).toBe('shared.clusterscope is open read-only: changes cannot be saved');
          figures.faults++;
        }
      } finally {
        store.close();
      }
      expect(sha256(readFileSync(path))).toBe(before);
    } finally {
      tmp.remove();
    }
  });

  it('refuses read-only a project that would need an upgrade, untouched', () => {
    const tmp = tempDir('ro-upgrade');
    try {
      const path = join(tmp.dir, 'old.clusterscope');
      makeProject(path);
      const before = sha256(readFileSync(path));
      const next = [...MIGRATIONS, 'ALTER TABLE runs ADD COLUMN note TEXT;'];
      figures.trials++;
      const e = expectReadOnlyError(() => ProjectStore.open(path, { readOnly: true, migrations: next }));
      expect(e.message).toBe('old.clusterscope is from an older version and is read-only, so it cannot be upgraded');
      expect(sha256(readFileSync(path))).toBe(before);
    } finally {
      tmp.remove();
    }
  });
});

/**
 * Makes `folder` read-only by the means this machine allows; returns the path to open the
 * project through and an undo, or null (with the reason) when there is no means.
 */
async function readOnlyFolder(folder: string, name: string): Promise<{ path: string; undo: () => Promise<void>; how: string } | string> {
  if (canMount()) {
    const view = `${folder}-ro`;
    mkdirSync(view);
    mount(['--bind', folder, view]);
    mount(['-o', 'remount,bind,ro', view]);
    return { path: join(view, name), undo: () => unmount(view), how: 'read-only bind mount' };
  }
  if (process.getuid?.() !== 0) {
    chmodSync(join(folder, name), 0o444);
    chmodSync(folder, 0o555);
    return {
      path: join(folder, name),
      undo: async () => {
        chmodSync(folder, 0o755);
        chmodSync(join(folder, name), 0o644);
      },
      how: 'chmod 444 (file) and 555 (folder)',
    };
  }
  return 'running as root without permission to mount: file permissions do not bind root, and no read-only file system can be made';
}

describe('a project in a read-only folder, through the backend', () => {
  it('opens read-only with the notice, refuses runs and changes with a clear message, and can be saved elsewhere', async (ctx) => {
    const tmp = tempDir('ro-backend');
    const folder = join(tmp.dir, 'usb-stick');
    mkdirSync(folder);
    const ids = makeProject(join(folder, 'survey.clusterscope'));
    const original = join(folder, 'survey.clusterscope');
    const before = sha256(readFileSync(original));
    const ro = await readOnlyFolder(folder, 'survey.clusterscope');
    if (typeof ro === 'string') {
      tmp.remove();
      figures.notes.push(`backend read-only check skipped: ${ro}`);
      ctx.skip(ro);
      return;
    }
    figures.notes.push(`backend opened a project made read-only by ${ro.how}`);
    const backend = testBackend(join(tmp.dir, 'data'));
    try {
      const summary = await backend.project.open(ro.path);
      figures.trials++;
      expect(summary).toMatchObject({ readOnly: true, datasetCount: 1, runCount: 1, name: 'survey' });
      expect(await backend.project.current()).toMatchObject({ readOnly: true });
      expect((await backend.runs.get(ids.runId)).labels.length).toBeGreaterThan(0);

      await expect(backend.jobs.start({ kind: 'fit', datasetId: ids.datasetId, algorithm: 'kmeans', params: { nClusters: 3 }, metrics: [] })).rejects.toMatchObject({
        code: 'read-only',
        message: 'This project is open read-only: results cannot be saved; use Save As first',
      });
      await expect(backend.runs.remove(ids.runId)).rejects.toMatchObject({ code: 'read-only', message: 'survey.clusterscope is open read-only: changes cannot be saved' });
      // View state (zoom, chosen columns) of a read-only project lives for the session only.
      await expect(backend.project.setViewState('layout', { zoom: 5 })).resolves.toBeUndefined();
      expect(await backend.jobs.list()).toEqual([]);
      figures.faults += 3;

      // Save As copies it (through the backup API) to a writable project that accepts changes.
      const copy = await backend.project.saveAs(join(tmp.dir, 'survey copy.clusterscope'));
      expect(copy).toMatchObject({ readOnly: false, datasetCount: 1, runCount: 1 });
      await backend.project.setViewState('layout', { zoom: 5 });
      expect(await backend.project.getViewState('layout')).toEqual({ zoom: 5 });
      figures.writesChecked += 3;
    } finally {
      backend.dispose();
      await ro.undo();
      const after = sha256(readFileSync(original));
      if (after !== before) figures.dataLost++;
      tmp.remove();
      expect(after, 'the read-only project changed').toBe(before);
    }
  });
});
