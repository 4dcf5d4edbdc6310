/**
 * The worker pool against scikit-learn's threads: jobs made of independent pieces run as the app
 * runs them — a job on the backend's WorkerPool, its n_init runs or sweep points split across
 * workers by src/main/backend/jobs/parallel.ts — with one worker, and with one worker per core,
 * against scikit-learn doing the same work with one thread and with its default threads.
 *
 * The timing of ours starts when the job is handed to the pool (workers already started and
 * warmed up, as in the app) and ends when its result is back in the backend, so the transfer of
 * the data to the workers and of the result back is included. Our generator is not NumPy's, so
 * the results are compared on quality, not exactly: a fit with ten k-means++ runs must reach
 * scikit-learn's inertia within 1 % (or better it), a sweep as compareSweeps.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { Matrix } from '../src/core/math/matrix';
import { childProcessSpawner } from '../src/main/backend/jobs/child-process';
import { runOnPool } from '../src/main/backend/jobs/parallel';
import { WorkerPool } from '../src/main/backend/jobs/pool';
import type { AnalysisTask, FitResult, FitTask, WorkerResult, WorkerTask } from '../src/shared/jobs';
import { prefix } from './data';
import type { SklearnProcess } from './sklearn';
import { compareSweeps, type PySpec, type Summary } from './workloads';

export interface ParallelRow {
  title: string;
  check: string;
  ours: number | null;
  skSingle: number | null;
  skDefault: number | null;
  note: string;
}

interface PoolWorkload {
  id: string;
  title: string;
  quick: boolean;
  repeats: number;
  task: (X: Matrix) => WorkerTask;
  summary: (r: WorkerResult) => Summary;
  py: PySpec;
  compare: (ours: Summary, theirs: Summary) => string | null;
  data: string;
}

const KS = [2, 3, 4, 5, 6, 7, 8, 9, 10];

function ninit(data: string, title: string, quick: boolean, nInit = 10, repeats = 3): PoolWorkload {
  return {
    id: `parallel/${data}/ninit${nInit}`,
    title: `KMeans(k=8, n_init=${nInit}, k-means++) as a job, ${title}`,
    quick,
    repeats,
    data,
    task: (X) => ({ kind: 'fit', algorithm: 'kmeans', params: { nClusters: 8, nInit, randomState: 42 }, metrics: [], X, y: null }) satisfies FitTask,
    summary: (r) => ({ inertia: (r as FitResult).metrics.inertia }),
    py: { kind: 'ninit', data, params: { k: 8, nInit, seed: 42 } },
    // Quality, one-sided: ours may find a better optimum than scikit-learn's seed, not a worse one.
    compare: (a, b) => {
      const e = ((a.inertia as number) - (b.inertia as number)) / (b.inertia as number);
      return e <= 0.01 ? null : `inertia ${a.inertia} vs ${b.inertia} (rel +${e.toFixed(3)})`;
    },
  };
}

function sweep(data: string, title: string, quick: boolean): PoolWorkload {
  return {
    id: `parallel/${data}/sweep`,
    title: `sweep k=2..10 (KMeans n_init=10 + silhouette + CH + DB per k) as a job, ${title}`,
    quick,
    repeats: 2,
    data,
    task: (X) =>
      ({
        kind: 'analysis',
        analysis: 'sweep',
        datasetId: 'bench',
        params: { algorithm: 'kmeans', ks: KS, params: { nInit: 10 }, randomState: 42 },
        X,
        y: null,
        labelClasses: null,
        featureNames: [],
        run: null,
        itemNames: null,
      }) as unknown as AnalysisTask,
    summary: (r) => ({ points: ((r as { result: { points: unknown[] } }).result as { points: unknown[] }).points }),
    py: { kind: 'sweep', data, params: { kMin: 2, kMax: 10, nInit: 10, seed: 42 } },
    compare: compareSweeps,
  };
}

const WORKLOADS: PoolWorkload[] = [
  // Digits is below SPLIT_MIN_WORK: the pool runs it on one worker whatever its size.
  ninit('digits', 'digits 1,797×64', true),
  ninit('blobs100k', 'blobs100k 100,000×2', true),
  // Half a minute per run and side: four runs (two per worker), timed once.
  ninit('mix784_f32', 'mix784 70,000×784 f32', false, 4, 1),
  sweep('digits', 'digits 1,797×64', true),
  sweep('blobs5', 'blobs5 2,000×2', true),
];

/** The worker as the app ships it (out/main, after `npm run build`), else its source through tsx. */
function spawner(): ReturnType<typeof childProcessSpawner> {
  const built = resolve(import.meta.dirname, '../out/main/cluster-worker.js');
  if (existsSync(built)) return childProcessSpawner({ workerPath: built });
  return childProcessSpawner({ workerPath: resolve(import.meta.dirname, '../src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] });
}

async function timeJob(pool: WorkerPool, task: WorkerTask, repeats: number): Promise<{ best: number; result: WorkerResult }> {
  let best = Infinity;
  let result: WorkerResult | null = null;
  // One untimed run first: the workers load the core and compile its WebAssembly.
  for (let i = 0; i <= repeats; i++) {
    const t0 = performance.now();
    const r = await runOnPool(pool, `bench-${i}`, task, () => {}).result;
    const s = (performance.now() - t0) / 1000;
    if (i > 0) best = Math.min(best, s);
    result = r;
  }
  return { best, result: result! };
}

async function sklearnTime(py: SklearnProcess | null, w: PoolWorkload): Promise<{ best: number | null; result: Summary | null; error?: string }> {
  if (!py) return { best: null, result: null };
  const a = await py.request({ op: 'run', w: w.py, repeats: w.repeats, warmup: 1 });
  if (!a.ok) return { best: null, result: null, error: String(a.error) };
  const wall = a.wall as number[];
  return { best: wall.length ? Math.min(...wall) : null, result: a.result as Summary };
}

export async function runParallelBench(o: { quick: boolean; sklearn: SklearnProcess | null; threaded: SklearnProcess | null; log: (s: string) => void }): Promise<ParallelRow[]> {
  const cores = cpus().length;
  const rows: ParallelRow[] = [];
  const one = new WorkerPool(spawner(), 1);
  const all = new WorkerPool(spawner(), cores);
  try {
    for (const w of WORKLOADS.filter((x) => !o.quick || x.quick)) {
      o.log(`— ${w.id}`);
      const X = prefix(w.data);
      const task = w.task(X);
      const single = await timeJob(one, task, w.repeats);
      const pooled = await timeJob(all, task, w.repeats);
      const ours = w.summary(pooled.result);
      // The split job gives exactly the serial result (test/integration/jobs/parallel.test.ts).
      const same = JSON.stringify(w.summary(single.result)) === JSON.stringify(ours);
      const skSingle = await sklearnTime(o.sklearn, w);
      const skDefault = await sklearnTime(o.threaded, w);
      const theirs = skSingle.result ?? skDefault.result;
      const differs = theirs ? w.compare(ours, theirs) : null;
      const check = !same ? 'DISAGREE: pool and one worker differ' : differs ? `DISAGREE: ${differs}` : theirs ? 'agree' : 'ours only';
      const note = `one worker ${single.best.toPrecision(3)} s → ${cores} workers ${pooled.best.toPrecision(3)} s (×${(single.best / pooled.best).toFixed(2)})`;
      rows.push({ title: `${w.title}, ${cores} workers`, check, ours: pooled.best, skSingle: skSingle.best, skDefault: skDefault.best, note });
      o.log(`  ${check}; ${note}; sklearn 1 thread ${skSingle.best?.toPrecision(3) ?? '—'} s, default threads ${skDefault.best?.toPrecision(3) ?? '—'} s${skSingle.error ? ` (${skSingle.error})` : ''}`);
    }
  } finally {
    one.dispose();
    all.dispose();
  }
  return rows;
}
