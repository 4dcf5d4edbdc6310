/**
 * Two app instances on one project: the second (a second backend in the same process, as a
 * second window would be, and the real backend in another process) is told the project is open
 * elsewhere, and writes nothing: the project, its WAL and the folder are byte for byte as they
 * were, and the second instance did not even add it to its recent list. Once the first instance
 * closes it, the second opens it and writes, and the first sees that write when it reopens.
 *
 * The in-process attempt comes first on purpose: POSIX locks belong to the process and closing
 * any descriptor on the file drops them all, so an attempt that merely read the header here
 * used to leave the project unlocked for the next process. (The fingerprints are taken by
 * another process for the same reason.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { runOf } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { bundleChild, fingerprintOutside, randomDataset, removeBundles, spawnLines, tempDir, testBackend } from '../helpers';

const figures = { trials: 0, faults: 0, writesChecked: 0, dataLost: 0, notes: [] as string[] };
afterAll(() => {
  removeBundles();
  recordFigures({ suite: 'store: two instances', file: __filename, ...figures });
});

const LOCKED = 'survey.clusterscope is open in another Clusterscope window or process; close it there first';

async function secondInstance(path: string, dataDir: string, mode: 'open' | 'write'): Promise<Record<string, any>> {
  const child = spawnLines(bundleChild('second-instance.ts'), [path, dataDir, mode]);
  const line = await child.waitFor((l) => l.startsWith('result '));
  const exit = await child.exited;
  expect(exit.code, exit.stderr).toBe(0);
  return JSON.parse(line.slice('result '.length));
}

describe('two instances on one project', () => {
  it('tells the second it is open elsewhere, and the second writes nothing', async () => {
    const tmp = tempDir('two');
    const first = testBackend(join(tmp.dir, 'first'));
    try {
      mkdirSync(join(tmp.dir, 'projects'));
      const path = join(tmp.dir, 'projects', 'survey.clusterscope');
      const seed = ProjectStore.open(path, { create: true });
      const ds = seed.addDataset(randomDataset('survey', 400, 5));
      seed.addRun(runOf(1, ds.id));
      seed.close();
      await first.project.open(path);
      await first.project.setViewState('written-by', 'the first instance');
      const before = fingerprintOutside(path);

      // Another backend in this process (a second window would have its own connection).
      const window2 = testBackend(join(tmp.dir, 'window2'));
      try {
        figures.trials++;
        figures.faults++;
        await expect(window2.project.open(path)).rejects.toMatchObject({
          code: 'locked',
          message: 'survey.clusterscope is already open in Clusterscope; switch to it, or close it first',
        });
        expect(await window2.project.current()).toBeNull();
        expect((await window2.project.recent()).map((r) => r.path)).not.toContain(path);
      } finally {
        window2.dispose();
      }

      // Another process.
      const other = await secondInstance(path, join(tmp.dir, 'second'), 'open');
      figures.trials++;
      figures.faults++;
      expect(other.open).toEqual({ ok: false, name: 'ProjectError', code: 'locked', message: LOCKED });
      expect(other.readOnly).toMatchObject({ ok: false, code: 'locked', message: LOCKED });
      expect(other.recent).toEqual([]);
      expect(fingerprintOutside(path)).toEqual(before);

      // The first still owns it and writes on.
      await first.project.setViewState('still-mine', true);
      expect(await first.project.getViewState('still-mine')).toBe(true);
      await first.project.close();

      // Closed there: the second instance opens and writes.
      const later = await secondInstance(path, join(tmp.dir, 'second'), 'write');
      expect(later.open).toMatchObject({ ok: true, summary: { name: 'survey', readOnly: false, datasetCount: 1, runCount: 1 } });
      expect(later.recent).toMatchObject([{ path, name: 'survey' }]);

      await first.project.open(path);
      expect(await first.project.getViewState('still-mine')).toBe(true);
      expect(await first.project.getViewState('written-by')).toBe('the second instance');
      expect(await first.project.current()).toMatchObject({ runCount: 1, datasetCount: 1 });
      figures.writesChecked += 4;
    } finally {
      first.dispose();
      tmp.remove();
    }
  });
});
