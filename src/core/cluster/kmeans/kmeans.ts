/**
 * K-Means clustering, scikit-learn 1.2's `KMeans`: Lloyd or Elkan iterations from k-means++,
 * random or explicit initial centers, the best of `nInit` runs by inertia.
 */
import {
  checkEstimatorJSON,
  decodeArray,
  decodeMatrix,
  encodeArray,
  encodeMatrix,
  type Estimator,
  type EstimatorJSON,
  type FitOptions,
} from '../../base';
import { DataError, NotFittedError, ParameterError } from '../../errors';
import { checkMatrix, columnMeans, columnVariances, matrix, toFloat64, type Matrix } from '../../math/matrix';
import { makeRandom } from '../../math/random';
import { checkInt, checkNumber, checkOneOf, checkRandomState } from '../../validate';
import { explicitCenters, initialCenters, localTrials } from './init';
import { float64Rows, makeResidentRows } from './kernels';
import { distancesToCenters, nearestCenters } from './predict';
import { runKMeans, sameClustering, type KMeansAlgorithm, type RunResult } from './run';

/** One of the `nInit` runs of a fit: its index, final labels (nSamples), centers (k, nFeatures) row-major, inertia and iterations. */
export interface KMeansRun extends RunResult {
  run: number;
}

export type { KMeansAlgorithm } from './run';

export interface KMeansParams {
  /** Number of clusters k. */
  nClusters: number;
  /** 'k-means++' (greedy, 2 + ⌊ln k⌋ trials), 'random' rows, or explicit initial centers (k rows). */
  init: 'k-means++' | 'random' | number[][];
  /** Runs from different initial centers; the lowest inertia wins. Forced to 1 for explicit centers. */
  nInit: number;
  maxIter: number;
  /** Relative tolerance: the absolute one is tol · mean(var(X, axis=0)). */
  tol: number;
  algorithm: KMeansAlgorithm;
  /** Seed of the initialization; undefined draws a fresh one. */
  randomState?: number;
}

export const KMEANS_DEFAULTS: Readonly<KMeansParams> = Object.freeze({
  nClusters: 8,
  init: 'k-means++',
  nInit: 10,
  maxIter: 300,
  tol: 1e-4,
  algorithm: 'lloyd',
  randomState: undefined,
});

/** What `onIteration` reports after each iteration of each run. */
export interface KMeansIteration {
  /** 0-based index of the run among the nInit runs. */
  run: number;
  /** 1-based iteration within the run. */
  iteration: number;
  /** The centers after this iteration's update, (k, nFeatures) (a copy). */
  centers: Matrix<Float64Array>;
  /** This iteration's assignment (a copy), shape (nSamples). */
  labels: Int32Array;
  /** Inertia of `labels` against the centers they were assigned to (the ones before the update). */
  inertia: number;
  /** Sum over centers of the squared shift of this update (compared with the absolute tolerance). */
  centerShift: number;
}

export interface KMeansFitOptions extends FitOptions {
  onIteration?: (it: KMeansIteration) => void;
}

const JSON_VERSION = 1;

/** The validated parameters of a fit. */
interface Checked {
  k: number;
  nInit: number;
  maxIter: number;
  tol: number;
  algorithm: KMeansAlgorithm;
  randomState: number | undefined;
  /** Explicit initial centers, (k, d) row-major, or the method name. */
  init: Float64Array | 'k-means++' | 'random';
}

export class KMeans implements Estimator<KMeansParams> {
  readonly params: Readonly<KMeansParams>;
  /** Cluster centers, (nClusters, nFeatures). */
  clusterCenters_!: Matrix<Float64Array>;
  /** Index of each training sample's cluster, (nSamples). */
  labels_!: Int32Array;
  /** Sum of squared distances of the training samples to their closest center. */
  inertia_ = NaN;
  /** Iterations of the best run. */
  nIter_ = 0;

  constructor(params: Partial<KMeansParams> = {}) {
    const init = params.init ?? KMEANS_DEFAULTS.init;
    this.params = Object.freeze({
      ...KMEANS_DEFAULTS,
      ...params,
      // A copy, so that later edits of the caller's array cannot change a fitted model's params.
      init: Array.isArray(init) ? init.map((r) => (Array.isArray(r) ? [...r] : r)) : init,
    });
  }

  /**
   * Computes the clustering.
   * @param X (nSamples, nFeatures); float32 data is used as is (no float64 copy).
   */
  fit(X: Matrix, _y?: unknown, opts: KMeansFitOptions = {}): this {
    const p = this.checkParams(X);
    const nInit = p.init instanceof Float64Array ? 1 : p.nInit;
    const all = Array.from({ length: nInit }, (_, r) => r);
    return this.adoptRuns(this.fitRuns(X, all, opts), X.cols);
  }

  /**
   * Some of the `nInit` runs of `fit`, by index (0-based). With several runs, run r starts from
   * its own generator, seeded with the r-th seed drawn from `randomState`, so a run depends on the
   * seed and its index only: the runs can be split across processes and `adoptRuns` of all of them gives
   * exactly what `fit` gives. Needs an explicit `randomState` to be repeatable.
   * @param X (nSamples, nFeatures)
   */
  fitRuns(X: Matrix, runs: readonly number[], opts: KMeansFitOptions = {}): KMeansRun[] {
    const p = this.checkParams(X);
    const d = X.cols, k = p.k;
    const nInit = p.init instanceof Float64Array ? 1 : p.nInit;
    for (const r of runs) if (!(Number.isInteger(r) && r >= 0 && r < nInit)) throw new ParameterError(`run index ${r} is outside 0..${nInit - 1}`);
    const rng = makeRandom(p.randomState);
    // A single run draws from the fit's generator itself (what mixtures' and spectral's k-means
    // initialisations have always used); several runs each get a child generator.
    const seeds = nInit === 1 ? null : Array.from({ length: nInit }, () => rng.seed());
    const origin = columnMeans(X);
    const tolAbs = p.tol === 0 ? 0 : mean(columnVariances(X, origin)) * p.tol;
    // Centered once for every pass of every run (null where the block-copying passes run).
    const resident = makeResidentRows(X, origin, Math.max(k, p.init === 'k-means++' ? localTrials(k) : 0));

    const out: KMeansRun[] = [];
    runs.forEach((run, i) => {
      const init = initialCenters(X, k, p.init, seeds ? makeRandom(seeds[run]) : rng, origin, float64Rows(resident));
      const onIteration = opts.onIteration;
      const result = runKMeans(X, init, k, {
        algorithm: p.algorithm,
        maxIter: p.maxIter,
        tolAbs,
        origin,
        resident,
        onIteration: onIteration
          ? (iteration, centers, labels, inertia, centerShift) =>
              onIteration({ run, iteration, centers: matrix(k, d, centers.slice()), labels: labels.slice(), inertia, centerShift })
          : undefined,
        onStep: opts.onProgress ? (iteration) => opts.onProgress!((i + iteration / p.maxIter) / runs.length) : undefined,
      });
      out.push({ run, ...result });
      opts.onProgress?.((i + 1) / runs.length);
    });
    return out;
  }

  /**
   * Fits from the results of all `nInit` runs (from `fitRuns`, in any order): the best by
   * inertia, taken in run order as `fit` does — a later run replaces the best only with a lower
   * inertia and a different partition.
   */
  adoptRuns(runs: readonly KMeansRun[], nFeatures: number): this {
    const ordered = [...runs].sort((a, b) => a.run - b.run);
    if (ordered.length === 0) throw new ParameterError('adoptRuns needs at least one run');
    const k = checkInt('nClusters', this.params.nClusters, 1);
    let best: KMeansRun | null = null;
    for (const r of ordered) if (best === null || (r.inertia < best.inertia && !sameClustering(r.labels, best.labels, k))) best = r;
    this.clusterCenters_ = matrix(k, nFeatures, best!.centers);
    this.labels_ = best!.labels;
    this.inertia_ = best!.inertia;
    this.nIter_ = best!.nIter;
    return this;
  }

  /** `fit(X)` then the training labels, (nSamples). */
  fitPredict(X: Matrix, _y?: unknown, opts?: KMeansFitOptions): Int32Array {
    return this.fit(X, undefined, opts).labels_;
  }

  /** Index of the closest center for each row of `X` (nSamples, nFeatures) → (nSamples). */
  predict(X: Matrix): Int32Array {
    return nearestCenters(this.checkTestData(X), this.clusterCenters_).labels;
  }

  /** Euclidean distances from each row of `X` to each center: (nSamples, nFeatures) → (nSamples, nClusters). */
  transform(X: Matrix): Matrix<Float64Array> {
    return distancesToCenters(this.checkTestData(X), this.clusterCenters_);
  }

  /** Opposite of the inertia of `X` (nSamples, nFeatures) against the centers (higher is better). */
  score(X: Matrix): number {
    return -nearestCenters(this.checkTestData(X), this.clusterCenters_).inertia;
  }

  toJSON(): EstimatorJSON<KMeansParams> {
    return {
      estimator: 'KMeans',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.clusterCenters_
        ? {
            clusterCenters_: encodeMatrix(this.clusterCenters_),
            labels_: encodeArray(this.labels_),
            inertia_: this.inertia_,
            nIter_: this.nIter_,
          }
        : null,
    };
  }

  static fromJSON(j: EstimatorJSON): KMeans {
    checkEstimatorJSON(j, 'KMeans', JSON_VERSION);
    const km = new KMeans(j.params as Partial<KMeansParams>);
    const f = j.fitted;
    if (f) {
      const c = decodeMatrix(f.clusterCenters_ as never);
      km.clusterCenters_ = toFloat64(c);
      const labels = decodeArray(f.labels_ as never);
      if (!(labels instanceof Int32Array)) throw new DataError('saved KMeans: labels_ must be int32');
      km.labels_ = labels;
      km.inertia_ = Number(f.inertia_);
      km.nIter_ = Number(f.nIter_);
    }
    return km;
  }

  /** Validates the parameters, and `X` against them (at least nClusters rows, the width of explicit centers). */
  private checkParams(X: Matrix): Checked {
    const p = this.params;
    const k = checkInt('nClusters', p.nClusters, 1);
    const nInit = checkInt('nInit', p.nInit, 1);
    const maxIter = checkInt('maxIter', p.maxIter, 1);
    const tol = checkNumber('tol', p.tol, 0);
    const algorithm = checkOneOf('algorithm', p.algorithm, ['lloyd', 'elkan'] as const);
    const randomState = checkRandomState(p.randomState);
    // The data before explicit centers, whose width is checked against it.
    checkMatrix(X, { minSamples: k });
    const init = Array.isArray(p.init) ? explicitCenters(p.init, k, X.cols) : checkOneOf('init', p.init, ['k-means++', 'random'] as const);
    return { k, nInit, maxIter, tol, algorithm, randomState, init };
  }

  private checkTestData(X: Matrix): Matrix {
    if (!this.clusterCenters_) throw new NotFittedError('KMeans');
    checkMatrix(X);
    if (X.cols !== this.clusterCenters_.cols) {
      throw new DataError(`X has ${X.cols} features, but KMeans was fitted with ${this.clusterCenters_.cols}`);
    }
    return X;
  }
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
