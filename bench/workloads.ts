/**
 * The benchmark's workloads: each one runs the core the way the app and the CLI do (the public
 * estimators and functions, no bench-only path), describes the same computation for
 * bench/sklearn_bench.py, and says how the two results are compared before anything is timed.
 */
import { createHash } from 'node:crypto';
import { KMeans, MiniBatchKMeans } from '../src/core/cluster/kmeans';
import { DBSCAN } from '../src/core/cluster/dbscan';
import { GaussianMixture } from '../src/core/cluster/mixture';
import { sweepK } from '../src/core/cluster/sweep';
import { silhouetteScore } from '../src/core/metrics';
import { columnMeans, columnVariances, type Matrix } from '../src/core/math/matrix';
import { isBig, labels as loadLabels, prefix, rowsOf } from './data';

export type Group = 'kmeans' | 'minibatch' | 'silhouette' | 'dbscan' | 'gmm' | 'sweep';
export type Summary = Record<string, unknown>;

/** What bench/sklearn_bench.py needs to run a workload (its `w`). */
export interface PySpec {
  kind: 'kmeans' | 'ninit' | 'minibatch' | 'silhouette' | 'dbscan' | 'gmm' | 'sweep';
  data: string;
  n?: number;
  labels?: string;
  initRows?: number[];
  params: Record<string, unknown>;
}

export interface Workload {
  id: string;
  group: Group;
  /** For the table: what runs, in scikit-learn's words. */
  title: string;
  /** Dataset names it loads (the big ones are regenerated when missing). */
  data: string[];
  /** In `--quick` runs. */
  quick: boolean;
  /** Only in `--all` runs (minutes per run on each side). */
  heavy?: boolean;
  /** Timed runs (best of) and untimed warm-up runs before them, ours and scikit-learn's. */
  repeats: number;
  warmup: number;
  /** Rows of init_rows.json (or RandomState(0).choice) the workload starts from: [key, n, k]. */
  initKey?: [string, number, number];
  /** Builds the runnable workload once the initial rows are known. */
  make: (initRows: number[] | undefined) => { ours: () => Summary; py: PySpec; mlKMeans?: MlKMeansSpec };
  /** null when the results agree, else why not. */
  compare: (ours: Summary, theirs: Summary) => string | null;
}

/** What ml-kmeans runs for a K-Means workload: the same data, initial centres and iteration count. */
export interface MlKMeansSpec {
  key: string;
  X: Matrix;
  init: number[][];
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function digest(a: Int32Array): string {
  return createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 16);
}

function sizes(labels: Int32Array, k: number): number[] {
  const out = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) out[labels[i]]++;
  return out;
}

/** Row counts, known before the data is loaded. */
const ROWS: Record<string, number> = { blobs5: 2000, blobs100k: 100_000, digits: 1797, mix784_f64: 70_000, mix784_f32: 70_000, faces: 280 };

const KMEANS_DATA: Array<{ data: string; title: string; quick: boolean; ks: number[]; rowsKey: string }> = [
  { data: 'blobs5', title: 'blobs5 2,000×2', quick: true, ks: [8, 50], rowsKey: 'blobs5' },
  { data: 'blobs100k', title: 'blobs100k 100,000×2', quick: true, ks: [8, 50], rowsKey: 'blobs100k' },
  { data: 'digits', title: 'digits 1,797×64', quick: true, ks: [8, 50], rowsKey: 'digits' },
  { data: 'mix784_f64', title: 'mix784 70,000×784 f64', quick: false, ks: [8, 50], rowsKey: 'mix784' },
  { data: 'mix784_f32', title: 'mix784 70,000×784 f32', quick: false, ks: [8, 50], rowsKey: 'mix784' },
];

function kmeansWorkloads(): Workload[] {
  const out: Workload[] = [];
  for (const ds of KMEANS_DATA) {
    for (const k of ds.ks) {
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        const big = isBig(ds.data);
        const f32 = ds.data.endsWith('f32');
        out.push({
          id: `kmeans/${ds.data}/k${k}/${algorithm}`,
          group: 'kmeans',
          title: `KMeans ${algorithm} k=${k}, ${ds.title}, fixed init`,
          data: [ds.data],
          quick: ds.quick && k === 8,
          // k = 50 on 70,000 × 784 takes minutes per run on each side: only in --all runs.
          heavy: big && k === 50,
          repeats: big ? 1 : 5,
          warmup: big ? 0 : 2,
          initKey: [`${ds.rowsKey}_k${k}`, ROWS[ds.data], k],
          make: (rows) => {
            const X = prefix(ds.data);
            const init = rowsOf(X, rows!);
            return {
              ours: () => {
                const km = new KMeans({ nClusters: k, init, nInit: 1, algorithm }).fit(X);
                return { nIter: km.nIter_, inertia: km.inertia_, sizes: sizes(km.labels_, k), centers: km.clusterCenters_ };
              },
              py: { kind: 'kmeans', data: ds.data, initRows: rows, params: { k, algorithm } },
              mlKMeans: { key: `${ds.data}/k${k}`, X, init },
            };
          },
          compare: (a, b) => {
            if (a.nIter !== b.nIter) return `n_iter ${a.nIter} vs ${b.nIter}`;
            // float32: scikit-learn sums in float32, we in float64 (see the parity tests).
            const tol = f32 ? 1e-5 : 1e-9;
            const e = relErr(a.inertia as number, b.inertia as number);
            if (!(e <= tol)) return `inertia ${a.inertia} vs ${b.inertia} (rel ${e.toExponential(1)} > ${tol})`;
            if (!sameJSON(a.sizes, b.sizes)) return 'cluster sizes differ';
            return null;
          },
        });
      }
    }
  }
  return out;
}

function otherWorkloads(): Workload[] {
  const out: Workload[] = [];

  for (const [data, title, quick] of [
    ['blobs100k', 'blobs100k 100,000×2', true],
    ['mix784_f32', 'mix784 70,000×784 f32', false],
  ] as const) {
    out.push({
      id: `minibatch/${data}/k8`,
      group: 'minibatch',
      title: `MiniBatchKMeans k=8, batch 1024, 100 epochs max, ${title}, fixed init`,
      data: [data],
      quick,
      repeats: isBig(data) ? 2 : 5,
      warmup: 1,
      initKey: [`${data === 'blobs100k' ? 'blobs100k' : 'mix784'}_k8`, ROWS[data], 8],
      make: (rows) => {
        const X = prefix(data);
        const init = rowsOf(X, rows!);
        const params = { k: 8, batchSize: 1024, maxIter: 100, seed: 0 };
        return {
          ours: () => {
            const mb = new MiniBatchKMeans({ nClusters: 8, init, nInit: 1, batchSize: 1024, maxIter: 100, randomState: 0 }).fit(X);
            return { inertia: -mb.score(X), nSteps: mb.nSteps_ };
          },
          py: { kind: 'minibatch', data, initRows: rows, params },
        };
      },
      // The mini-batches are drawn by different generators (ours vs NumPy's), and early stopping
      // depends on them: compare the quality, ours no worse than 1 % above scikit-learn's inertia.
      compare: (a, b) =>
        (a.inertia as number) <= (b.inertia as number) * 1.01 ? null : `inertia ${a.inertia} vs ${b.inertia} (more than 1 % worse)`,
    });
  }

  for (const [data, labels, dims] of [
    ['blobs100k', 'blobs100k_labels', '2-D'],
    ['mix64', 'mix64_labels', '64-D'],
  ] as const) {
    for (const n of [2000, 10000, 20000]) {
      out.push({
        id: `silhouette/${data}/${n}`,
        group: 'silhouette',
        title: `silhouette_score, ${n.toLocaleString('en')} samples ${dims} (${data} prefix, true labels)`,
        data: [data],
        quick: n <= 10000,
        repeats: n >= 20000 ? 2 : 3,
        warmup: n >= 20000 ? 0 : 1,
        make: () => {
          const X = prefix(data, n);
          const y = loadLabels(labels, n);
          return { ours: () => ({ score: silhouetteScore(X, y) }), py: { kind: 'silhouette', data, n, labels, params: {} } };
        },
        compare: (a, b) => {
          const e = relErr(a.score as number, b.score as number);
          return e <= 1e-9 ? null : `score ${a.score} vs ${b.score} (rel ${e.toExponential(1)})`;
        },
      });
    }
  }

  out.push({
    id: 'dbscan/moons100k',
    group: 'dbscan',
    title: 'DBSCAN eps=0.05 min_samples=5, moons100k 100,000×2',
    data: ['moons100k'],
    quick: true,
    repeats: 5,
    warmup: 2,
    make: () => {
      const X = prefix('moons100k');
      return {
        ours: () => {
          const db = new DBSCAN({ eps: 0.05, minSamples: 5 }).fit(X);
          const labels = db.labels_!;
          let noise = 0, max = -1;
          for (let i = 0; i < labels.length; i++) {
            if (labels[i] < 0) noise++;
            if (labels[i] > max) max = labels[i];
          }
          return { nClusters: max + 1, nNoise: noise, nCore: db.coreSampleIndices_!.length, labels: digest(labels), core: digest(Int32Array.from(db.coreSampleIndices_!)) };
        },
        py: { kind: 'dbscan', data: 'moons100k', params: { eps: 0.05, minSamples: 5 } },
      };
    },
    compare: (a, b) => (sameJSON(a, b) ? null : `labels/core samples differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`),
  });

  for (const [data, title, quick] of [
    ['blobs100k', 'blobs100k 100,000×2', true],
    ['faces', 'faces 280×199', true],
  ] as const) {
    out.push({
      id: `gmm/${data}/full/k10`,
      group: 'gmm',
      title: `GaussianMixture full k=10, ${title}, fixed init (means = init rows)`,
      data: [data],
      quick,
      repeats: 3,
      warmup: 1,
      initKey: [`${data}_k10`, ROWS[data], 10],
      make: (rows) => {
        const X = prefix(data);
        const d = X.cols, k = 10;
        const vars = columnVariances(X, columnMeans(X));
        let mv = 0;
        for (const v of vars) mv += v / d;
        const precision = 1 / mv;
        const eye = Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => (r === c ? precision : 0)));
        const params = {
          nComponents: k,
          covarianceType: 'full' as const,
          initParams: 'random' as const,
          randomState: 0,
          weightsInit: new Array<number>(k).fill(1 / k),
          meansInit: rowsOf(X, rows!),
          precisionsInit: Array.from({ length: k }, () => eye),
        };
        return {
          ours: () => {
            const gm = new GaussianMixture(params).fit(X);
            return { nIter: gm.nIter_, lowerBound: gm.lowerBound_, converged: gm.converged_, sizes: sizes(gm.predict(X), k) };
          },
          py: { kind: 'gmm', data, initRows: rows, params: { k, precision } },
        };
      },
      compare: (a, b) => {
        if (a.nIter !== b.nIter) return `n_iter ${a.nIter} vs ${b.nIter}`;
        const e = relErr(a.lowerBound as number, b.lowerBound as number);
        if (!(e <= 1e-6)) return `lower bound ${a.lowerBound} vs ${b.lowerBound} (rel ${e.toExponential(1)})`;
        if (!sameJSON(a.sizes, b.sizes)) return `component sizes differ: ${JSON.stringify(a.sizes)} vs ${JSON.stringify(b.sizes)}`;
        return null;
      },
    });
  }

  for (const [data, title, quick] of [
    ['blobs5', 'blobs5 2,000×2', true],
    ['digits', 'digits 1,797×64', true],
  ] as const) {
    out.push({
      id: `sweep/${data}/k2-10`,
      group: 'sweep',
      title: `sweep k=2..10: KMeans(n_init=10, k-means++) + silhouette + CH + DB per k, ${title}`,
      data: [data],
      quick,
      repeats: 3,
      warmup: 1,
      make: () => {
        const X = prefix(data);
        const ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];
        return {
          ours: () => ({ points: sweepK('kmeans', X, ks, { params: { nInit: 10 }, randomState: 42 }).points }),
          py: { kind: 'sweep', data, params: { kMin: 2, kMax: 10, nInit: 10, seed: 42 } },
        };
      },
      compare: compareSweeps,
    });
  }
  return out;
}

/**
 * Sweeps start from k-means++ draws of different generators (ours vs NumPy's), so they can only
 * agree in what a person reads off them: per k, our best-of-10 inertia within 5 % of scikit-learn's
 * (where several local minima are about as likely, each side may land in another), and the same k
 * of best silhouette.
 */
export function compareSweeps(a: Summary, b: Summary): string | null {
  const pa = a.points as Array<{ k: number; inertia: number; silhouette: number }>;
  const pb = b.points as Array<{ k: number; inertia: number; silhouette: number }>;
  for (let i = 0; i < pb.length; i++) {
    if (pa[i]?.k !== pb[i].k) return 'different k values';
    const e = relErr(pa[i].inertia, pb[i].inertia);
    if (!(e <= 0.05)) return `k=${pb[i].k}: inertia ${pa[i].inertia} vs ${pb[i].inertia} (rel ${e.toFixed(3)})`;
  }
  const bestK = (p: Array<{ k: number; silhouette: number }>): number => p.reduce((x, y) => (y.silhouette > x.silhouette ? y : x)).k;
  if (bestK(pa) !== bestK(pb)) return `best k by silhouette ${bestK(pa)} vs ${bestK(pb)}`;
  return null;
}

export function allWorkloads(): Workload[] {
  return [...kmeansWorkloads(), ...otherWorkloads()];
}
