/**
 * A full disk: the write that does not fit fails with the store's 'disk-full' ProjectError and
 * its message, the project keeps its previous state (every earlier write, none of the failed
 * one) after reopening, and writing works again once there is room.
 *
 * Two ways to fill the disk:
 * - a real 2 MiB tmpfs, when this process may mount (root with CAP_SYS_ADMIN, as on CI): the
 *   kernel answers ENOSPC and SQLite turns it into SQLITE_FULL;
 * - everywhere, SQLite's own `PRAGMA max_page_count` on the store's connection: the page
 *   allocator then fails with SQLITE_FULL exactly where a full disk would make it fail, without
 *   root and without touching the machine's disks. (The pragma is per connection and not
 *   saved, so reopening lifts it, as freeing space would.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { ProjectError } from '../../../src/main/backend/store/errors';
import { WorkerPool, type WorkerProcess } from '../../../src/main/backend/jobs/pool';
import type { FromWorker, ToWorker } from '../../../src/shared/jobs';
import type { JobInfo } from '../../../src/shared/dto';
import { runLabels, runOf } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { canMount, mount, randomDataset, tempDir, testBackend, unmount } from '../helpers';

const figures = { trials: 0, faults: 0, writesChecked: 0, dataLost: 0, notes: [] as string[] };
afterAll(() => recordFigures({ suite: 'store: disk full', file: __filename, ...figures }));

const DISK_FULL = /^The disk is full: the last change to \S+\.clusterscope was not saved \(the project is as it was before\)$/;

/** The store's connection. Private in the app; a test reaches it to set max_page_count. */
const connectionOf = (store: ProjectStore): Database.Database => (store as unknown as { db: Database.Database }).db;

/** Adds runs until the store refuses one; returns the seqs of the runs that were saved and the error. */
function fillUp(store: ProjectStore, datasetId: string, firstSeq: number, limit = 10_000): { saved: number[]; error: ProjectError } {
  const saved: number[] = [];
  for (let seq = firstSeq; seq < firstSeq + limit; seq++) {
    try {
      store.addRun(runOf(seq, datasetId));
      saved.push(seq);
    } catch (e) {
      if (!(e instanceof ProjectError)) throw e;
      return { saved, error: e };
    }
  }
  throw new Error(`${limit} runs fit: the disk never filled`);
}

/** Every saved run is there, exactly; the refused one is not. */
function checkRuns(path: string, saved: number[], refused: number[]): void {
  const store = ProjectStore.open(path);
  try {
    expect(store.integrityCheck()).toBe('ok');
    const bySeq = new Map<number, string>();
    for (const ds of store.listDatasets()) for (const r of store.listRuns(ds.id)) bySeq.set(r.params.seq as number, r.id);
    let lost = 0;
    for (const seq of saved) {
      const id = bySeq.get(seq);
      if (id === undefined || !Buffer.from(store.getRun(id).labels.buffer).equals(Buffer.from(runLabels(seq).buffer))) lost++;
    }
    figures.writesChecked += saved.length;
    figures.dataLost += lost;
    expect(lost, 'saved runs missing or changed').toBe(0);
    for (const seq of refused) expect(bySeq.has(seq), `refused run ${seq} is there`).toBe(false);
  } finally {
    store.close();
  }
}

describe('a full disk (SQLite max_page_count)', () => {
  it('refuses the write that does not fit with disk-full, keeps everything before it, and recovers', () => {
    const tmp = tempDir('full-pages');
    try {
      const path = join(tmp.dir, 'study.clusterscope');
      const store = ProjectStore.open(path, { create: true });
      const ds = store.addDataset(randomDataset('base', 200, 5));
      store.addRun(runOf(1, ds.id));
      const early = [1];
      const pages = connectionOf(store).pragma('page_count', { simple: true }) as number;
      connectionOf(store).pragma(`max_page_count = ${pages + 40}`);
      const { saved, error } = fillUp(store, ds.id, 100);
      figures.trials++;
      figures.faults++;
      expect(error.code).toBe('disk-full');
      expect(error.message).toMatch(DISK_FULL);
      expect(saved.length).toBeGreaterThan(0);
      // Every further change is refused the same way, and reading still works.
      expect(() => store.setViewState('big', 'x'.repeat(400_000))).toThrow(DISK_FULL);
      expect(store.listRuns(ds.id)).toHaveLength(1 + saved.length);
      store.close();
      const refused = 100 + saved.length;
      checkRuns(path, [...early, ...saved], [refused]);

      // Reopened (room again): the refused change can be made now.
      const again = ProjectStore.open(path);
      again.addRun(runOf(refused, ds.id));
      again.close();
      checkRuns(path, [...early, ...saved, refused], []);
    } finally {
      tmp.remove();
    }
  });

  it('fails a job whose result does not fit, saving nothing of it, with the reason', async () => {
    const tmp = tempDir('full-job');
    const events: { name: string; job: JobInfo }[] = [];
    const backend = testBackend(join(tmp.dir, 'data'), instantPool(), (name, payload) => events.push({ name, job: payload as JobInfo }));
    try {
      const path = join(tmp.dir, 'jobs.clusterscope');
      const seed = ProjectStore.open(path, { create: true });
      const ds = seed.addDataset(randomDataset('base', 2000, 4));
      seed.close();
      await backend.project.open(path);
      // The backend's store, reached the same way, with no room left for a run.
      const store = (backend as unknown as { store: ProjectStore }).store;
      const db = connectionOf(store);
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const job = await backend.jobs.start({ kind: 'fit', datasetId: ds.id, algorithm: 'kmeans', params: { nClusters: 3 }, metrics: [] });
      for (let i = 0; i < 200 && !events.some((e) => e.job.id === job.id && e.name !== 'job:started' && e.name !== 'job:progress'); i++) await new Promise((r) => setTimeout(r, 5));
      const end = events.find((e) => e.job.id === job.id && (e.name === 'job:done' || e.name === 'job:failed'));
      figures.trials++;
      figures.faults++;
      expect(end?.name).toBe('job:failed');
      expect(end?.job.error).toMatch(/^the result could not be saved: The disk is full: the last change to jobs\.clusterscope was not saved/);
      expect(await backend.runs.list(ds.id)).toEqual([]);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      backend.dispose();
      tmp.remove();
    }
  });
});

describe('a full disk (a real 2 MiB tmpfs)', () => {
  it('refuses the write that does not fit with disk-full, keeps everything before it, and recovers when space is freed', async (ctx) => {
    if (!canMount()) {
      figures.notes.push('tmpfs variant skipped: this process may not mount (the max_page_count variant ran)');
      ctx.skip('mounting a tmpfs needs root with CAP_SYS_ADMIN');
      return;
    }
    const tmp = tempDir('full-tmpfs');
    const disk = join(tmp.dir, 'disk');
    mkdirSync(disk);
    mount(['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk]);
    try {
      const path = join(disk, 'study.clusterscope');
      const store = ProjectStore.open(path, { create: true });
      const ds = store.addDataset(randomDataset('base', 300, 4));
      // Leave about 300 KB: a few runs fit, then the disk is full.
      const { bavail, bsize } = statfsSync(disk);
      const filler = join(disk, 'other-files.bin');
      writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 300 * 1024)));
      const { saved, error } = fillUp(store, ds.id, 1000);
      figures.trials++;
      figures.faults++;
      expect(error.code).toBe('disk-full');
      expect(error.message).toMatch(DISK_FULL);
      expect(saved.length).toBeGreaterThan(0);
      expect(() => store.setViewState('after', { x: 'y'.repeat(300_000) })).toThrow(ProjectError);
      store.close();
      const refused = 1000 + saved.length;
      checkRuns(path, saved, [refused]);

      // Space freed: the same change now goes through.
      rmSync(filler);
      const again = ProjectStore.open(path);
      again.addRun(runOf(refused, ds.id));
      again.close();
      checkRuns(path, [...saved, refused], []);
      figures.notes.push(`tmpfs: ${saved.length} runs saved, the next one refused with disk-full, all kept`);
    } finally {
      await unmount(disk);
      tmp.remove();
    }
  });
});

/** A pool whose worker answers every fit at once with a small result (the test is about saving it). */
function instantPool(): WorkerPool {
  const spawn = (): WorkerProcess => {
    const listeners: ((m: FromWorker) => void)[] = [];
    return {
      pid: undefined,
      send(msg: ToWorker) {
        const n = (msg.task as { X: { rows: number } }).X.rows;
        const result: FromWorker = {
          type: 'result',
          jobId: msg.jobId,
          result: { kind: 'fit', labels: new Int32Array(n), centers: null, nClusters: 1, randomState: 0, metrics: {}, model: { labels: Array.from({ length: n }, () => 0) } },
        };
        setImmediate(() => listeners.forEach((l) => l(result)));
      },
      onMessage: (l) => listeners.push(l),
      onExit: () => {},
      kill: () => {},
    };
  };
  return new WorkerPool(spawn, 1);
}
