/**
 * "Save As" and backups go through SQLite's online backup API, never a copy of the live file,
 * and stay consistent while the project is being written: the backup runs in steps between
 * turns of the event loop, and writes made in between (a job's result being saved) land in the
 * copy too, because SQLite updates the destination of a backup when its own connection changes
 * the source. The copy is a sound project holding exactly a prefix of the writes, and through
 * the backend, exactly the runs of the jobs that finished before Save As returned.
 *
 * For contrast, a plain file copy of the live project misses what is still in its WAL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { WorkerPool, type WorkerProcess } from '../../../src/main/backend/jobs/pool';
import type { FromWorker, ToWorker } from '../../../src/shared/jobs';
import type { JobInfo } from '../../../src/shared/dto';
import { runLabels, runOf } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { randomDataset, scaled, tempDir, testBackend } from '../helpers';

const ROUNDS = scaled(2);
const figures = { trials: 0, faults: 0, writesChecked: 0, dataLost: 0, notes: [] as string[] };
afterAll(() => recordFigures({ suite: 'store: backups while writing', file: __filename, ...figures }));

/** The run seqs in a project file, and whether it passes integrity_check. */
function contents(path: string): { seqs: number[]; integrity: string; intact: boolean } {
  const store = ProjectStore.open(path);
  try {
    const seqs: number[] = [];
    let intact = true;
    for (const ds of store.listDatasets()) {
      for (const r of store.listRuns(ds.id)) {
        const seq = r.params.seq as number;
        seqs.push(seq);
        const labels = store.getRun(r.id).labels;
        if (!Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength).equals(Buffer.from(runLabels(seq).buffer))) intact = false;
      }
    }
    return { seqs: seqs.sort((a, b) => a - b), integrity: store.integrityCheck(), intact };
  } finally {
    store.close();
  }
}

describe('backups of a project being written', () => {
  it(`hold a consistent prefix of the writes made during the backup, over ${ROUNDS} rounds`, async () => {
    const tmp = tempDir('backup');
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const path = join(tmp.dir, `live${round}.clusterscope`);
        const store = ProjectStore.open(path, { create: true });
        // About 2 MB: the backup takes a few dozen steps of 100 pages.
        const ds = store.addDataset(randomDataset('big', 2000, 128, round + 1));
        let seq = 0;
        for (; seq < 5; seq++) store.addRun(runOf(seq, ds.id));
        const before = seq;

        const copy = join(tmp.dir, `copy${round}.clusterscope`);
        let done = false;
        const backup = store.backupTo(copy).then(() => (done = true));
        let during = 0;
        while (!done) {
          store.addRun(runOf(seq++, ds.id));
          during++;
          await new Promise((r) => setImmediate(r));
        }
        await backup;
        const written = seq;
        // A plain copy of the live file, for contrast.
        const naive = join(tmp.dir, `naive${round}.clusterscope`);
        copyFileSync(path, naive);
        store.close();

        const c = contents(copy);
        figures.trials++;
        figures.writesChecked += c.seqs.length;
        expect(c.integrity).toBe('ok');
        expect(c.intact).toBe(true);
        // A prefix 0..m-1 of the writes: nothing skipped, nothing half there.
        expect(c.seqs).toEqual(Array.from({ length: c.seqs.length }, (_, i) => i));
        expect(c.seqs.length).toBeGreaterThanOrEqual(before);
        expect(c.seqs.length).toBeLessThanOrEqual(written);
        // Writes made while the backup ran are in it: it was not a snapshot of its start.
        expect(c.seqs.length).toBeGreaterThan(before);
        expect(during).toBeGreaterThan(1);

        const n = contents(naive);
        expect(n.seqs.length, 'a plain copy of the live file holds every write').toBeLessThan(written);
        figures.notes.push(`round ${round}: ${during} runs saved while the backup ran, ${c.seqs.length - before} of them in the copy; a plain file copy held ${n.seqs.length} of ${written}`);
        const original = contents(path);
        expect(original.seqs.length).toBe(written);
      }
    } finally {
      tmp.remove();
    }
  });

  it('Save As while jobs are saving their runs: the new project holds every run finished before Save As returned, whole', async () => {
    const tmp = tempDir('saveas');
    const events: { name: string; job: JobInfo }[] = [];
    const backend = testBackend(join(tmp.dir, 'data'), tickingPool(), (name, payload) => {
      if (name === 'job:done' || name === 'job:failed' || name === 'job:cancelled') events.push({ name, job: payload as JobInfo });
    });
    try {
      const path = join(tmp.dir, 'study.clusterscope');
      const seed = ProjectStore.open(path, { create: true });
      const ds = seed.addDataset(randomDataset('big', 2000, 128, 9));
      seed.close();
      await backend.project.open(path);
      for (let i = 0; i < 60; i++) await backend.jobs.start({ kind: 'fit', datasetId: ds.id, algorithm: 'kmeans', params: { nClusters: 3, i }, metrics: [] });
      const saved = await backend.project.saveAs(join(tmp.dir, 'study copy.clusterscope'));
      const doneBefore = events.filter((e) => e.name === 'job:done').map((e) => e.job.runId);
      expect(saved).toMatchObject({ name: 'study copy', readOnly: false });
      await backend.project.close();

      const copy = ProjectStore.open(saved.path);
      try {
        expect(copy.integrityCheck()).toBe('ok');
        const runs = copy.listRuns(ds.id);
        expect(runs.map((r) => r.id).sort()).toEqual([...doneBefore].sort());
        for (const r of runs) expect(copy.getRun(r.id).labels.length).toBe(2000);
        figures.trials++;
        figures.writesChecked += runs.length;
        figures.notes.push(`Save As with jobs saving: the ${doneBefore.length} runs finished before it returned are all in the copy (${60 - doneBefore.length} jobs had not finished)`);
      } finally {
        copy.close();
      }
      // Some runs were saved while the backup ran (more than before it started).
      expect(doneBefore.length).toBeGreaterThan(0);
    } finally {
      backend.dispose();
      tmp.remove();
    }
  });
});

/** A pool of one fake worker that answers each fit on the next timer tick with a whole result. */
function tickingPool(): WorkerPool {
  const spawn = (): WorkerProcess => {
    const listeners: ((m: FromWorker) => void)[] = [];
    return {
      pid: undefined,
      send(msg: ToWorker) {
        if (msg.task.kind !== 'fit') throw new Error(`the ticking pool only fits, not ${msg.task.kind}`);
        const n = msg.task.X.rows;
        const labels = new Int32Array(n).map((_, i) => i % 3);
        const reply: FromWorker = { type: 'result', jobId: msg.jobId, result: { kind: 'fit', labels, centers: null, nClusters: 3, randomState: 0, metrics: { inertia: 1 }, model: null } };
        setTimeout(() => listeners.forEach((l) => l(reply)), 1);
      },
      onMessage: (l) => listeners.push(l),
      onExit: () => {},
      kill: () => {},
    };
  };
  return new WorkerPool(spawn, 1);
}
