/**
 * Mini-batch K-Means, scikit-learn 1.2's `MiniBatchKMeans`: each step labels a random batch and
 * moves every center to the running mean of all points it was ever given (a per-center learning
 * rate of 1 / count), with low-count centers reassigned to random batch points. `partialFit`
 * takes one batch at a time, so data larger than memory can be fitted chunk by chunk.
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
import { DataError, NotFittedError } from '../../errors';
import { checkMatrix, columnMeans, columnVariances, matrix, takeRows, toFloat64, type Matrix } from '../../math/matrix';
import { makeRandom, type Random } from '../../math/random';
import { checkInt, checkNumber, checkOneOf, checkRandomState } from '../../validate';
import { explicitCenters, initialCenters } from './init';
import { assignLloyd, inertiaOf, makeLloydWork, type LloydWork } from './kernels';
import { distancesToCenters, nearestCenters } from './predict';

export interface MiniBatchKMeansParams {
  nClusters: number;
  init: 'k-means++' | 'random' | number[][];
  /** Passes over the data (in number of samples drawn) before stopping. */
  maxIter: number;
  batchSize: number;
  /** Absolute-tolerance factor on the squared center change of a step (0 disables it, the default). */
  tol: number;
  /** Steps without improvement of the smoothed batch inertia before stopping; null disables it. */
  maxNoImprovement: number | null;
  /** Samples drawn for each initialization; undefined = 3 · batchSize (at least 3 · nClusters). */
  initSize?: number;
  /** Initializations tried on a validation sample; the best is kept (3 in scikit-learn 1.2). */
  nInit: number;
  /** Centers with fewer than this fraction of the largest count are moved to random points. */
  reassignmentRatio: number;
  randomState?: number;
}

export const MINIBATCH_DEFAULTS: Readonly<MiniBatchKMeansParams> = Object.freeze({
  nClusters: 8,
  init: 'k-means++',
  maxIter: 100,
  batchSize: 1024,
  tol: 0,
  maxNoImprovement: 10,
  initSize: undefined,
  nInit: 3,
  reassignmentRatio: 0.01,
  randomState: undefined,
});

const JSON_VERSION = 1;

interface Checked {
  k: number;
  maxIter: number;
  batchSize: number;
  tol: number;
  maxNoImprovement: number | null;
  initSize: number | undefined;
  nInit: number;
  reassignmentRatio: number;
  randomState: number | undefined;
  init: Float64Array | 'k-means++' | 'random';
}

export class MiniBatchKMeans implements Estimator<MiniBatchKMeansParams> {
  readonly params: Readonly<MiniBatchKMeansParams>;
  /** (nClusters, nFeatures) */
  clusterCenters_!: Matrix<Float64Array>;
  /** Labels of the data of the last `fit` (all of it) or `partialFit` (that batch), (nSamples). */
  labels_!: Int32Array;
  /** Inertia of that data against the final centers. */
  inertia_ = NaN;
  /** Passes over the data made by `fit`. */
  nIter_ = 0;
  /** Mini-batch steps made (by `fit`, or counted across `partialFit` calls). */
  nSteps_ = 0;
  /** Points each center has absorbed (its inverse is the center's learning rate), (nClusters). */
  counts_!: Float64Array;

  private rng: Random | null = null;
  private batchSize_ = 0;
  private sinceReassign = 0;

  constructor(params: Partial<MiniBatchKMeansParams> = {}) {
    const init = params.init ?? MINIBATCH_DEFAULTS.init;
    this.params = Object.freeze({
      ...MINIBATCH_DEFAULTS,
      ...params,
      init: Array.isArray(init) ? init.map((r) => (Array.isArray(r) ? [...r] : r)) : init,
    });
  }

  /** Fits on `X` (nSamples, nFeatures) by random mini-batches; float32 data is used as is. */
  fit(X: Matrix, _y?: unknown, opts: FitOptions = {}): this {
    const p = this.checkParams(X);
    const n = X.rows, d = X.cols, k = p.k;
    const rng = makeRandom(p.randomState);
    const batch = Math.min(p.batchSize, n);
    const initSize = effectiveInitSize(p, batch, n);
    const tolAbs = p.tol === 0 ? 0 : mean(columnVariances(X, columnMeans(X))) * p.tol;

    // Several initializations on random subsets, judged on one validation subset.
    const valid = takeRows(X, randomInts(rng, n, initSize));
    const nInit = p.init instanceof Float64Array ? 1 : p.nInit;
    let centers: Float64Array | null = null;
    let bestInertia = Infinity;
    for (let r = 0; r < nInit; r++) {
      const c = initOnSubset(X, k, p.init, initSize, rng);
      const inertia = nearestCenters(valid, matrix(k, d, c)).inertia;
      if (centers === null || inertia < bestInertia) {
        centers = c;
        bestInertia = inertia;
      }
    }

    const state = new StepState(k, d, batch);
    this.counts_ = state.counts;
    this.batchSize_ = batch;
    this.sinceReassign = 0;
    let cur = centers!.slice();
    let next = new Float64Array(k * d);
    const Xb = matrix(batch, d, new Float64Array(batch * d));
    const idx = new Int32Array(batch);
    const conv = new Convergence(p, batch, n, tolAbs);
    const nSteps = Math.floor((p.maxIter * n) / batch);
    let step = 0;
    for (; step < nSteps; step++) {
      for (let b = 0; b < batch; b++) idx[b] = rng.int(n);
      gatherRows(X, idx, Xb.data);
      const batchInertia = miniBatchStep(Xb, cur, next, state, rng, this.reassignNow(k), p.reassignmentRatio);
      let diff = 0;
      if (tolAbs > 0) for (let q = 0; q < cur.length; q++) diff += (next[q] - cur[q]) ** 2;
      const previous = cur;
      cur = next;
      next = previous;
      opts.onProgress?.((step + 1) / nSteps);
      if (conv.done(step, diff, batchInertia)) break;
    }
    this.clusterCenters_ = matrix(k, d, cur);
    this.nSteps_ = Math.min(step + 1, nSteps);
    this.nIter_ = Math.ceil((this.nSteps_ * batch) / n);
    const { labels, inertia } = nearestCenters(X, this.clusterCenters_);
    this.labels_ = labels;
    this.inertia_ = inertia;
    this.rng = rng;
    return this;
  }

  /**
   * One mini-batch step on `X` (nSamples, nFeatures): the first call initializes the centers
   * from it (so it needs at least nClusters rows). `labels_` and `inertia_` then describe this
   * batch. After `fromJSON` the random stream (used only for reassignments) restarts from the seed.
   */
  partialFit(X: Matrix): this {
    if (!this.clusterCenters_) {
      const p = this.checkParams(X);
      this.rng = makeRandom(p.randomState);
      this.batchSize_ = Math.min(p.batchSize, X.rows);
      const initSize = effectiveInitSize(p, this.batchSize_, X.rows);
      this.clusterCenters_ = matrix(p.k, X.cols, initOnSubset(X, p.k, p.init, initSize, this.rng));
      this.counts_ = new Float64Array(p.k);
      this.sinceReassign = 0;
      this.nSteps_ = 0;
    } else {
      this.checkTestData(X);
    }
    this.rng ??= makeRandom(this.params.randomState);
    const k = this.clusterCenters_.rows, d = X.cols;
    const state = new StepState(k, d, X.rows, this.counts_);
    const next = new Float64Array(k * d);
    miniBatchStep(X, this.clusterCenters_.data, next, state, this.rng, this.reassignNow(k), this.params.reassignmentRatio);
    this.clusterCenters_.data.set(next);
    const { labels, inertia } = nearestCenters(X, this.clusterCenters_);
    this.labels_ = labels;
    this.inertia_ = inertia;
    this.nSteps_ += 1;
    return this;
  }

  /** `fit(X)` then the training labels, (nSamples). */
  fitPredict(X: Matrix, _y?: unknown, opts?: FitOptions): Int32Array {
    return this.fit(X, undefined, opts).labels_;
  }

  /** Index of the closest center for each row: (nSamples, nFeatures) → (nSamples). */
  predict(X: Matrix): Int32Array {
    return nearestCenters(this.checkTestData(X), this.clusterCenters_).labels;
  }

  /** Euclidean distances to each center: (nSamples, nFeatures) → (nSamples, nClusters). */
  transform(X: Matrix): Matrix<Float64Array> {
    return distancesToCenters(this.checkTestData(X), this.clusterCenters_);
  }

  /** Opposite of the inertia of `X` against the centers. */
  score(X: Matrix): number {
    return -nearestCenters(this.checkTestData(X), this.clusterCenters_).inertia;
  }

  toJSON(): EstimatorJSON<MiniBatchKMeansParams> {
    return {
      estimator: 'MiniBatchKMeans',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.clusterCenters_
        ? {
            clusterCenters_: encodeMatrix(this.clusterCenters_),
            labels_: encodeArray(this.labels_),
            inertia_: this.inertia_,
            nIter_: this.nIter_,
            nSteps_: this.nSteps_,
            counts_: encodeArray(this.counts_),
            batchSize: this.batchSize_,
            sinceReassign: this.sinceReassign,
          }
        : null,
    };
  }

  static fromJSON(j: EstimatorJSON): MiniBatchKMeans {
    checkEstimatorJSON(j, 'MiniBatchKMeans', JSON_VERSION);
    const m = new MiniBatchKMeans(j.params as Partial<MiniBatchKMeansParams>);
    const f = j.fitted;
    if (f) {
      m.clusterCenters_ = toFloat64(decodeMatrix(f.clusterCenters_ as never));
      const labels = decodeArray(f.labels_ as never);
      if (!(labels instanceof Int32Array)) throw new DataError('saved MiniBatchKMeans: labels_ must be int32');
      m.labels_ = labels;
      m.counts_ = Float64Array.from(decodeArray(f.counts_ as never));
      m.inertia_ = Number(f.inertia_);
      m.nIter_ = Number(f.nIter_);
      m.nSteps_ = Number(f.nSteps_);
      m.batchSize_ = Number(f.batchSize);
      m.sinceReassign = Number(f.sinceReassign);
    }
    return m;
  }

  /**
   * Whether this step may reassign low-count centers: every 10 · nClusters samples seen, or
   * whenever a center has never received a point (scikit-learn's `_random_reassign`).
   */
  private reassignNow(k: number): boolean {
    this.sinceReassign += this.batchSize_;
    let empty = false;
    for (let j = 0; j < k; j++) if (this.counts_[j] === 0) empty = true;
    if (empty || this.sinceReassign >= 10 * k) {
      this.sinceReassign = 0;
      return true;
    }
    return false;
  }

  /** Validates the parameters, and `X` against them (at least nClusters rows, the width of explicit centers). */
  private checkParams(X: Matrix): Checked {
    const p = this.params;
    const k = checkInt('nClusters', p.nClusters, 1);
    const maxIter = checkInt('maxIter', p.maxIter, 1);
    const batchSize = checkInt('batchSize', p.batchSize, 1);
    const tol = checkNumber('tol', p.tol, 0);
    const maxNoImprovement = p.maxNoImprovement === null ? null : checkInt('maxNoImprovement', p.maxNoImprovement, 0);
    const initSize = p.initSize === undefined || p.initSize === null ? undefined : checkInt('initSize', p.initSize, 1);
    const nInit = checkInt('nInit', p.nInit, 1);
    const reassignmentRatio = checkNumber('reassignmentRatio', p.reassignmentRatio, 0);
    const randomState = checkRandomState(p.randomState);
    // The data before explicit centers, whose width is checked against it.
    checkMatrix(X, { minSamples: k });
    const init = Array.isArray(p.init) ? explicitCenters(p.init, k, X.cols) : checkOneOf('init', p.init, ['k-means++', 'random'] as const);
    return { k, maxIter, batchSize, tol, maxNoImprovement, initSize, nInit, reassignmentRatio, randomState, init };
  }

  private checkTestData(X: Matrix): Matrix {
    if (!this.clusterCenters_) throw new NotFittedError('MiniBatchKMeans');
    checkMatrix(X);
    if (X.cols !== this.clusterCenters_.cols) {
      throw new DataError(`X has ${X.cols} features, but MiniBatchKMeans was fitted with ${this.clusterCenters_.cols}`);
    }
    return X;
  }
}

/** scikit-learn's init_size rule: 3 · batch by default, at least 3 · k, at most n. */
function effectiveInitSize(p: Checked, batch: number, n: number): number {
  let s = p.initSize ?? 3 * batch;
  if (s < p.k) s = 3 * p.k;
  return Math.min(s, n);
}

/** Initial centers from a random subset of `initSize` rows (drawn with replacement, as scikit-learn). */
function initOnSubset(X: Matrix, k: number, init: Checked['init'], initSize: number, rng: Random): Float64Array {
  if (init instanceof Float64Array) return init.slice();
  const sub = initSize < X.rows ? takeRows(X, randomInts(rng, X.rows, initSize)) : X;
  return initialCenters(sub, k, init, rng).slice();
}

function randomInts(rng: Random, n: number, m: number): Int32Array {
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = rng.int(n);
  return out;
}

function gatherRows(X: Matrix, idx: Int32Array, out: Float64Array): void {
  const d = X.cols, data = X.data;
  for (let b = 0; b < idx.length; b++) {
    const src = idx[b] * d, dst = b * d;
    for (let t = 0; t < d; t++) out[dst + t] = data[src + t];
  }
}

/** Buffers of one mini-batch step, and the per-center counts that persist across steps. */
class StepState {
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly batchCounts: Float64Array;
  readonly work: LloydWork;
  constructor(
    readonly k: number,
    readonly d: number,
    batch: number,
    readonly counts: Float64Array = new Float64Array(k),
  ) {
    this.labels = new Int32Array(batch);
    this.sums = new Float64Array(k * d);
    this.batchCounts = new Float64Array(k);
    this.work = makeLloydWork(d, k, new Float64Array(d));
  }
}

/**
 * One step (scikit-learn's `_mini_batch_step`): label the batch against `centers`, move each
 * center that received points to the mean of everything it has absorbed, written to `next`, and
 * optionally reassign low-count centers. Returns the batch inertia before the update.
 */
function miniBatchStep(
  Xb: Matrix,
  centers: Float64Array,
  next: Float64Array,
  s: StepState,
  rng: Random,
  reassign: boolean,
  ratio: number,
): number {
  const { k, d, counts, sums, batchCounts, work } = s;
  const nb = Xb.rows, data = Xb.data;
  const labels = s.labels.length === nb ? s.labels : new Int32Array(nb);
  // Center the distance kernel on the centers' mean (the data mean of a stream is unknown).
  const origin = work.origin;
  origin.fill(0);
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) origin[t] += centers[j * d + t] / k;
  labels.fill(-1);
  assignLloyd(Xb, centers, k, labels, work, null, null, null);
  const inertia = inertiaOf(Xb, centers, labels);

  sums.fill(0);
  batchCounts.fill(0);
  for (let i = 0; i < nb; i++) {
    const j = labels[i], sj = j * d, xi = i * d;
    batchCounts[j] += 1;
    for (let t = 0; t < d; t++) sums[sj + t] += data[xi + t];
  }
  for (let j = 0; j < k; j++) {
    const row = j * d;
    if (batchCounts[j] > 0) {
      // Undo the previous mean (center · count), add the new points, divide by the new count.
      const total = counts[j] + batchCounts[j];
      const alpha = 1 / total;
      for (let t = 0; t < d; t++) next[row + t] = (centers[row + t] * counts[j] + sums[row + t]) * alpha;
      counts[j] = total;
    } else {
      for (let t = 0; t < d; t++) next[row + t] = centers[row + t];
    }
  }

  if (reassign && ratio > 0) reassignLowCounts(Xb, next, counts, k, d, rng, ratio);
  return inertia;
}

/**
 * Moves centers whose count is below `ratio` × the largest count onto random batch points (at
 * most half the batch), and gives them the smallest remaining count so that they are not moved
 * again at once (scikit-learn's reassignment, learning-rate side effect included).
 */
function reassignLowCounts(Xb: Matrix, next: Float64Array, counts: Float64Array, k: number, d: number, rng: Random, ratio: number): void {
  let max = 0;
  for (let j = 0; j < k; j++) if (counts[j] > max) max = counts[j];
  const toMove = new Uint8Array(k);
  let nMove = 0;
  for (let j = 0; j < k; j++) {
    if (counts[j] < ratio * max) {
      toMove[j] = 1;
      nMove++;
    }
  }
  const limit = Math.floor(0.5 * Xb.rows);
  if (nMove > 0.5 * Xb.rows) {
    // Keep only the `limit` lowest counts (stable order, as NumPy's argsort on ties is not promised).
    const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => counts[a] - counts[b] || a - b);
    for (let r = limit; r < k; r++) toMove[order[r]] = 0;
    nMove = 0;
    for (let j = 0; j < k; j++) nMove += toMove[j];
  }
  if (nMove === 0) return;
  const picks = rng.sample(Xb.rows, nMove);
  let q = 0;
  let minKept = Infinity;
  for (let j = 0; j < k; j++) {
    if (toMove[j]) {
      const src = picks[q++] * d;
      for (let t = 0; t < d; t++) next[j * d + t] = Xb.data[src + t];
    } else if (counts[j] < minKept) {
      minKept = counts[j];
    }
  }
  for (let j = 0; j < k; j++) if (toMove[j]) counts[j] = minKept;
}

/** scikit-learn's early stopping: smoothed batch inertia without improvement, or small center change. */
class Convergence {
  private ewa: number | null = null;
  private ewaMin: number | null = null;
  private noImprovement = 0;
  constructor(
    private readonly p: Checked,
    private readonly batch: number,
    private readonly n: number,
    private readonly tolAbs: number,
  ) {}

  done(step: number, centersSquaredDiff: number, batchInertia: number): boolean {
    const inertia = batchInertia / this.batch;
    // The first step's inertia is that of the initialization: not a progress measure.
    if (step === 0) return false;
    if (this.ewa === null) this.ewa = inertia;
    else {
      const alpha = Math.min(1, (this.batch * 2) / (this.n + 1));
      this.ewa = this.ewa * (1 - alpha) + inertia * alpha;
    }
    if (this.tolAbs > 0 && centersSquaredDiff <= this.tolAbs) return true;
    if (this.ewaMin === null || this.ewa < this.ewaMin) {
      this.noImprovement = 0;
      this.ewaMin = this.ewa;
    } else {
      this.noImprovement++;
    }
    return this.p.maxNoImprovement !== null && this.noImprovement >= this.p.maxNoImprovement;
  }
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
