/**
 * kill -9 in the middle of saves: a child process writes runs, view state, run removals and
 * datasets through the real ProjectStore and acknowledges each write after it returns; the test
 * kills it with SIGKILL at a random moment (usually while it writes, sometimes while it is still
 * opening the project and replaying the previous crash's WAL), then reopens the project as the app
 * would and checks `PRAGMA integrity_check` and that every acknowledged write is there, exactly,
 * and nothing else (a write in flight at the kill may be there or not, but whole).
 *
 * 100 trials in CI (two lanes of 50, each on its own project file, a fresh file every 25 trials);
 * RELIABILITY_SOAK multiplies them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/main/backend/store/project-store';
import { datasetOf, runLabels, viewValue } from '../../fixtures/reliability/writes';
import { recordFigures } from '../figures';
import { bundleChild, removeBundles, rng, scaled, sleep, spawnLines, tempDir } from '../helpers';

const TRIALS = scaled(100);
const LANES = 2;
const TRIALS_PER_FILE = 25;

type Presence = 'present' | 'absent' | 'maybe';

/** What the project must hold, from the acknowledgements seen so far. */
class Expected {
  readonly runs = new Map<number, Presence>();
  readonly datasets = new Map<number, Presence>();
  /** Per view key: the last acknowledged value's seq, and later writes that may have landed. */
  readonly views = new Map<string, { acked: number | null; maybe: number[] }>();
  private pending: { seq: number; kind: string; arg: string } | null = null;
  acks = 0;

  line(line: string): void {
    const [word, seqText, kind, arg] = line.split(' ');
    if (word === 'begin') this.pending = { seq: Number(seqText), kind, arg };
    else if (word === 'ack') {
      const p = this.pending;
      if (!p || p.seq !== Number(seqText)) throw new Error(`ack ${seqText} without its begin`);
      this.apply(p, 'present');
      this.pending = null;
      this.acks++;
    }
  }

  /** The child is dead: its unacknowledged write may or may not have been committed. */
  killed(): void {
    if (this.pending) this.apply(this.pending, 'maybe');
    this.pending = null;
  }

  private apply(p: { seq: number; kind: string; arg: string }, how: 'present' | 'maybe'): void {
    switch (p.kind) {
      case 'run':
        this.runs.set(p.seq, how);
        break;
      case 'dataset':
        this.datasets.set(p.seq, how);
        break;
      case 'remove': {
        const victim = Number(p.arg);
        if (how === 'present') this.runs.set(victim, 'absent');
        else if (this.runs.get(victim) === 'present') this.runs.set(victim, 'maybe');
        break;
      }
      case 'view': {
        const v = this.views.get(p.arg) ?? { acked: null, maybe: [] };
        if (how === 'present') this.views.set(p.arg, { acked: p.seq, maybe: [] });
        else this.views.set(p.arg, { acked: v.acked, maybe: [...v.maybe, p.seq] });
        break;
      }
    }
  }

  /**
   * Compares the reopened project with what was acknowledged; returns the problems (lost
   * acknowledged writes counted apart) and settles every 'maybe' to what the file holds.
   */
  check(store: ProjectStore): { lost: string[]; other: string[] } {
    const lost: string[] = [], other: string[] = [];
    const datasetBySeq = new Map<number, string>();
    const runsBySeq = new Map<number, string>();
    for (const ds of store.listDatasets()) {
      const seq = Number(ds.name.slice(3));
      datasetBySeq.set(seq, ds.id);
      for (const r of store.listRuns(ds.id)) runsBySeq.set(r.params.seq as number, r.id);
    }
    for (const [seq, how] of this.datasets) {
      const id = datasetBySeq.get(seq);
      if (id === undefined) {
        if (how === 'present') lost.push(`acknowledged dataset ${seq} is missing`);
        else this.datasets.delete(seq);
        continue;
      }
      const X = store.getDatasetData(id).X;
      if (!Buffer.from(X.data.buffer).equals(Buffer.from(datasetOf(seq).X.data.buffer))) (how === 'present' ? lost : other).push(`dataset ${seq} holds other values`);
      this.datasets.set(seq, 'present');
    }
    for (const seq of datasetBySeq.keys()) if (!this.datasets.has(seq)) other.push(`dataset ${seq} was never written`);
    for (const [seq, how] of this.runs) {
      const id = runsBySeq.get(seq);
      if (id === undefined) {
        if (how === 'present') lost.push(`acknowledged run ${seq} is missing`);
        else this.runs.set(seq, 'absent');
        continue;
      }
      if (how === 'absent') {
        other.push(`run ${seq} is back after its removal was acknowledged`);
        continue;
      }
      const run = store.getRun(id);
      const labels = runLabels(seq);
      const same =
        Buffer.from(run.labels.buffer, run.labels.byteOffset, run.labels.byteLength).equals(Buffer.from(labels.buffer)) &&
        run.metrics.inertia === seq * 1.5 &&
        run.centers?.data[3] === seq + 3 &&
        (store.getRunModel(id) as { seq: number }).seq === seq;
      if (!same) (how === 'present' ? lost : other).push(`run ${seq} holds other values`);
      this.runs.set(seq, 'present');
    }
    for (const seq of runsBySeq.keys()) if (!this.runs.has(seq)) other.push(`run ${seq} was never written`);
    for (const [key, v] of this.views) {
      const stored = store.getViewState(key) as { seq: number } | null;
      if (stored === null) {
        if (v.acked !== null) lost.push(`acknowledged view state ${key} is missing`);
        continue;
      }
      const allowed = [v.acked, ...v.maybe.filter((s) => v.acked === null || s > v.acked)];
      if (!allowed.includes(stored.seq)) (v.acked !== null && stored.seq < v.acked ? lost : other).push(`view state ${key} holds write ${stored.seq}, expected one of ${allowed.join(', ')}`);
      else if (JSON.stringify(stored) !== JSON.stringify(viewValue(stored.seq))) other.push(`view state ${key} holds other values`);
      this.views.set(key, { acked: stored.seq, maybe: [] });
    }
    return { lost, other };
  }
}

interface LaneResult {
  trials: number;
  kills: number;
  killsWhileWriting: number;
  acks: number;
  lost: string[];
  other: string[];
}

async function lane(laneNo: number, trials: number, dir: string, writer: string): Promise<LaneResult> {
  const random = rng(9001 + laneNo);
  const result: LaneResult = { trials: 0, kills: 0, killsWhileWriting: 0, acks: 0, lost: [], other: [] };
  let expected = new Expected();
  let path = '';
  for (let t = 0; t < trials; t++) {
    if (t % TRIALS_PER_FILE === 0) {
      path = join(dir, `lane${laneNo}-${t}.clusterscope`);
      expected = new Expected();
    }
    const acksBefore = expected.acks;
    const firstSeq = (laneNo * 1_000_000 + t * 1000) | 0;
    const child = spawnLines(writer, [path, String(firstSeq), String(Math.floor(random() * 2 ** 31))], { onLine: (l) => expected.line(l) });
    // Mostly while writing; one trial in six early, while the child starts, opens the project
    // and replays the WAL the previous kill left.
    const early = random() < 1 / 6;
    if (early) await sleep(random() * 250);
    else {
      await child.waitFor((l) => l === 'ready');
      await sleep(random() * 120);
    }
    child.child.kill('SIGKILL');
    const exit = await child.exited;
    expected.killed();
    result.trials++;
    if (exit.signal === 'SIGKILL') result.kills++;
    else result.other.push(`trial ${t}: the writer ended by itself (${exit.code}): ${exit.stderr.slice(-500)}`);
    if (child.lines.some((l) => l.startsWith('begin'))) result.killsWhileWriting++;
    result.acks += expected.acks - acksBefore;

    const store = ProjectStore.open(path, { create: true });
    try {
      const integrity = store.integrityCheck();
      if (integrity !== 'ok') result.other.push(`trial ${t}: integrity_check says ${integrity}`);
      const { lost, other } = expected.check(store);
      result.lost.push(...lost.map((m) => `lane ${laneNo} trial ${t}: ${m}`));
      result.other.push(...other.map((m) => `lane ${laneNo} trial ${t}: ${m}`));
    } finally {
      store.close();
    }
  }
  return result;
}

const figures = { trials: 0, faults: 0, writesChecked: 0, dataLost: 0, failures: 0, notes: [] as string[] };

afterAll(() => {
  removeBundles();
  recordFigures({ suite: 'store: kill -9 during saves', file: __filename, ...figures });
});

describe('kill -9 of the writing process', () => {
  // A second and a half per trial at most, even on a loaded machine (about 0.2 s is typical).
  it(`loses no acknowledged write and leaves a sound file, over ${TRIALS} random kills`, { timeout: TRIALS * 1500 }, async () => {
    const tmp = tempDir('kill');
    try {
      const writer = bundleChild('store-writer.ts');
      const t0 = performance.now();
      const perLane = Math.ceil(TRIALS / LANES);
      const results = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i, perLane, tmp.dir, writer)));
      const total = results.reduce((a, r) => ({
        trials: a.trials + r.trials,
        kills: a.kills + r.kills,
        killsWhileWriting: a.killsWhileWriting + r.killsWhileWriting,
        acks: a.acks + r.acks,
        lost: [...a.lost, ...r.lost],
        other: [...a.other, ...r.other],
      }));
      Object.assign(figures, {
        trials: total.trials,
        faults: total.kills,
        writesChecked: total.acks,
        dataLost: total.lost.length,
        failures: total.other.length,
      });
      figures.notes.push(
        `${total.kills} SIGKILLs (${total.killsWhileWriting} while writing), ${total.acks} acknowledged writes, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      expect({ lost: total.lost, other: total.other }, 'acknowledged writes lost, other problems').toEqual({ lost: [], other: [] });
      expect(total.trials).toBe(perLane * LANES);
      expect(total.kills).toBe(total.trials);
      // The kills must really land among the writes, not only before the first one.
      expect(total.killsWhileWriting).toBeGreaterThan(total.trials / 2);
      expect(total.acks).toBeGreaterThan(total.trials);
    } finally {
      tmp.remove();
    }
  });
});
