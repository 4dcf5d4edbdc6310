/**
 * A migration killed half-way: a child process opens a project with one extra, slow migration
 * injected through `ProjectStore.open`'s test-only `migrations` option, and is killed with
 * SIGKILL while the migration runs (its WAL already holds megabytes of uncommitted pages). The
 * file must reopen at its old version with its old contents, none of the new schema, and
 * `integrity_check` ok; and the migration must then run to the end on that same file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { SCHEMA_VERSION } from '../../../src/main/backend/store/migrations';
import { runLabels, runOf } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { bundleChild, randomDataset, removeBundles, rng, scaled, sleep, spawnLines, tempDir } from '../helpers';

const TRIALS = scaled(6);
const ROWS = 400_000;
const figures = { trials: 0, faults: 0, writesChecked: 0, dataLost: 0, failures: 0, notes: [] as string[] };
afterAll(() => {
  removeBundles();
  recordFigures({ suite: 'store: migration killed half-way', file: __filename, ...figures });
});

function schemaOf(path: string): { version: number; tables: string[]; runColumns: string[]; integrity: string } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      tables: (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name),
      runColumns: (db.prepare('SELECT name FROM pragma_table_info(?)').all('runs') as { name: string }[]).map((r) => r.name),
      integrity: String(db.pragma('integrity_check', { simple: true })),
    };
  } finally {
    db.close();
  }
}

describe('a migration killed half-way', () => {
  it(`leaves the project at its old version, intact, over ${TRIALS} kills, and migrates it afterwards`, { timeout: 30_000 + TRIALS * 5_000 }, async () => {
    const tmp = tempDir('migrate');
    try {
      const child = bundleChild('slow-migration.ts');
      const template = join(tmp.dir, 'template.clusterscope');
      const seedStore = ProjectStore.open(template, { create: true });
      const ds = seedStore.addDataset(randomDataset('kept', 500, 6));
      for (let i = 0; i < 5; i++) seedStore.addRun(runOf(i, ds.id));
      seedStore.setViewState('layout', { zoom: 4 });
      seedStore.close();
      const oldSchema = schemaOf(template);
      expect(oldSchema.version).toBe(SCHEMA_VERSION);

      // How long the whole migration takes here, on a copy, to place the kills inside it.
      const timed = join(tmp.dir, 'timed.clusterscope');
      copyFileSync(template, timed);
      const run = spawnLines(child, [timed, String(ROWS)]);
      await run.waitFor((l) => l === 'migrating');
      const t0 = performance.now();
      await run.waitFor((l) => l.startsWith('migrated'));
      const migrationMs = performance.now() - t0;
      expect((await run.exited).code).toBe(0);
      expect(schemaOf(timed)).toMatchObject({ version: SCHEMA_VERSION + 1, integrity: 'ok' });
      expect(schemaOf(timed).tables).toContain('sample_labels');

      const random = rng(4242);
      const walSizes: number[] = [];
      let halfWay = 0, afterCommit = 0, lastHalfWay = '';
      for (let t = 0; t < TRIALS; t++) {
        const path = join(tmp.dir, `trial${t}.clusterscope`);
        copyFileSync(template, path);
        const victim = spawnLines(child, [path, String(ROWS)]);
        await victim.waitFor((l) => l === 'migrating');
        // Between 5 % and 50 % of the whole open: inside the migration's transaction (the
        // checkpoint after the commit takes the rest).
        await sleep(migrationMs * (0.05 + 0.45 * random()));
        const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
        victim.child.kill('SIGKILL');
        const exit = await victim.exited;
        figures.trials++;
        if (exit.signal !== 'SIGKILL' || victim.lines.some((l) => l.startsWith('migrated'))) {
          figures.failures++;
          throw new Error(`trial ${t}: the migration finished before the kill (${exit.signal ?? exit.code})`);
        }
        figures.faults++;

        const after = schemaOf(path);
        expect(after.integrity).toBe('ok');
        if (after.version === SCHEMA_VERSION + 1) {
          // Killed after the commit, during the checkpoint: migrated, and completely.
          afterCommit++;
          expect(after.runColumns).toContain('note');
          const db = new Database(path, { readonly: true });
          expect((db.prepare('SELECT count(*) AS n FROM sample_labels').get() as { n: number }).n).toBe(ROWS);
          db.close();
          continue;
        }
        halfWay++;
        lastHalfWay = path;
        walSizes.push(wal);
        expect(after).toEqual(oldSchema);
        expect(after.tables).not.toContain('sample_labels');
        expect(after.runColumns).not.toContain('note');

        // Reopened as the app would (shipped migrations): the old version, all of it.
        const store = ProjectStore.open(path);
        try {
          expect(store.listDatasets().map((d) => d.name)).toEqual(['kept']);
          const runs = store.listRuns(ds.id);
          expect(runs.map((r) => r.params.seq)).toEqual([0, 1, 2, 3, 4]);
          let lost = 0;
          for (const r of runs) if (!Buffer.from(store.getRun(r.id).labels.buffer).equals(Buffer.from(runLabels(r.params.seq as number).buffer))) lost++;
          expect(store.getViewState('layout')).toEqual({ zoom: 4 });
          figures.writesChecked += runs.length + 2;
          figures.dataLost += lost;
          expect(lost).toBe(0);
        } finally {
          store.close();
        }
        expect(schemaOf(path)).toEqual(oldSchema);
      }
      // Most kills must land inside the transaction, with part of the migration already written.
      expect(halfWay).toBeGreaterThanOrEqual(Math.ceil(TRIALS / 2));
      expect(walSizes.some((s) => s > 1 << 20)).toBe(true);

      // The same file, killed mid-migration, migrates completely the next time.
      const last = lastHalfWay;
      const finish = spawnLines(child, [last, String(ROWS)]);
      expect((await finish.exited).code).toBe(0);
      const migrated = schemaOf(last);
      expect(migrated).toMatchObject({ version: SCHEMA_VERSION + 1, integrity: 'ok' });
      expect(migrated.runColumns).toContain('note');
      const db = new Database(last, { readonly: true });
      expect((db.prepare('SELECT count(*) AS n FROM sample_labels').get() as { n: number }).n).toBe(ROWS);
      db.close();
      figures.notes.push(
        `migration of ${ROWS.toLocaleString('en-US')} rows takes ${(migrationMs / 1000).toFixed(2)} s here; ${halfWay} kills inside it (with ${walSizes
          .map((s) => `${(s / 2 ** 20).toFixed(1)}`)
          .join(', ')} MiB of it in the WAL), ${afterCommit} after its commit (found complete)`,
      );
    } finally {
      tmp.remove();
    }
  });
});
