/**
 * What both mixtures share (scikit-learn's `BaseMixture`): the initialisations, the EM loop
 * over `nInit` runs keeping the best lower bound, and everything a fitted mixture answers
 * (predict, predictProba, scoreSamples, score, sample).
 */
import type { Estimator, EstimatorJSON, FitOptions } from '../../base';
import { DataError, NotFittedError, ParameterError } from '../../errors';
import { checkMatrix, matrix, type Matrix } from '../../math/matrix';
import { makeRandom, type Random } from '../../math/random';
import { checkInt, checkNumber, checkOneOf, checkRandomState } from '../../validate';
import { KMeans, kmeansPlusPlusIndices } from '../kmeans';
import {
  COVARIANCE_TYPES,
  choleskyInto,
  covarianceSize,
  normalizeResponsibilities,
  weightedLogProb,
  logSumExpRows,
  precisionCholeskyFromFactor,
  precisionsFromCholesky,
  type CovarianceType,
  type LogProbKernel,
} from './gaussian';

export type InitParams = 'kmeans' | 'k-means++' | 'random' | 'random_from_data';
export const INIT_PARAMS: readonly InitParams[] = ['kmeans', 'k-means++', 'random', 'random_from_data'];

/** The hyperparameters of scikit-learn's `BaseMixture` (plus the covariance type both share). */
export interface MixtureParams {
  /** Number of mixture components. Default 1. */
  nComponents: number;
  /** Shape of the covariances. Default 'full'. */
  covarianceType: CovarianceType;
  /** EM stops when the lower bound changes by less than this. Default 1e-3. */
  tol: number;
  /** Added to the covariances' diagonal so that they stay positive definite. Default 1e-6. */
  regCovar: number;
  /** EM iterations per run. Default 100. */
  maxIter: number;
  /** Number of initialisations; the run with the best lower bound is kept. Default 1. */
  nInit: number;
  /** How the responsibilities start. Default 'kmeans'. */
  initParams: InitParams;
  /** Seed of the initialisations and of `sample`; undefined draws a fresh one. */
  randomState?: number;
}

export const MIXTURE_DEFAULTS: MixtureParams = {
  nComponents: 1,
  covarianceType: 'full',
  tol: 1e-3,
  regCovar: 1e-6,
  maxIter: 100,
  nInit: 1,
  initParams: 'kmeans',
  randomState: undefined,
};

export function checkMixtureParams(p: MixtureParams): void {
  checkInt('nComponents', p.nComponents, 1);
  checkOneOf('covarianceType', p.covarianceType, COVARIANCE_TYPES);
  checkNumber('tol', p.tol, 0);
  checkNumber('regCovar', p.regCovar, 0);
  checkInt('maxIter', p.maxIter, 0);
  checkInt('nInit', p.nInit, 1);
  checkOneOf('initParams', p.initParams, INIT_PARAMS);
  checkRandomState(p.randomState);
}

/** Samples drawn from a fitted mixture and the component each came from. */
export interface MixtureSample {
  /** (nSamples, nFeatures), grouped by component as scikit-learn returns them. */
  X: Matrix<Float64Array>;
  /** (nSamples) component of each sample. */
  y: Int32Array;
}

export interface MixtureFitOptions extends FitOptions {
  /**
   * Starting responsibilities, shape (nSamples, nComponents), used by every run instead of
   * `initParams`: a warm start from a known assignment (one-hot rows), and the way to start
   * from exactly the same point as scikit-learn when comparing trajectories.
   */
  initialResponsibilities?: Matrix;
}

/** Rows scored per block by predict / scoreSamples, so a large grid needs no (n, k) buffer. */
const BLOCK_ROWS = 4096;

/**
 * The shared estimator. `S` is a snapshot of a subclass's learned parameters, kept for the best
 * of the `nInit` runs.
 */
export abstract class BaseMixture<P extends MixtureParams, S> implements Estimator<P> {
  readonly params: Readonly<P>;
  /** (nComponents) mixing weights. */
  weights_: Float64Array = new Float64Array(0);
  /** (nComponents, nFeatures) component means. */
  means_: Matrix<Float64Array> = matrix(0, 0);
  /**
   * Covariance parameters, shape by covariance type: 'full' (k, d, d), 'tied' (d, d),
   * 'diag' (k, d), 'spherical' (k).
   */
  covariances_: Float64Array = new Float64Array(0);
  /** Whether some run reached `tol` within `maxIter` (scikit-learn 1.2 sets it if any run did). */
  converged_ = false;
  /** EM iterations of the best run. */
  nIter_ = 0;
  /** Lower bound of the best run (mean log-likelihood for EM, the ELBO for variational). */
  lowerBound_ = -Infinity;

  /** Built from the learned parameters; null until fitted. */
  protected kernel: LogProbKernel | null = null;
  private precisionsCholeskyCache: Float64Array | null = null;
  private precisionsCache: Float64Array | null = null;

  protected constructor(params: P) {
    this.params = Object.freeze(params);
  }

  /** The class name, for messages and JSON. */
  protected abstract get estimatorName(): string;
  /** Validates the hyperparameters (called first in `fit`). */
  protected abstract checkParams(): void;
  /** Data-dependent checks and priors, before the first run. */
  protected abstract prepare(X: Matrix): void;
  /** Sets the parameters from initial responsibilities (nSamples, k). */
  protected abstract initialize(X: Matrix, resp: Float64Array): void;
  /** Sets the parameters from the E-step's responsibilities (nSamples, k). */
  protected abstract mStep(X: Matrix, resp: Float64Array): void;
  /** The run's objective after an M-step, from the E-step's mean log-likelihood and Σ r log r. */
  protected abstract lowerBound(meanLogLikelihood: number, respLogResp: number): number;
  /** Whether `lowerBound` needs Σ r log r. */
  protected abstract get needsEntropy(): boolean;
  protected abstract saveState(): S;
  /** Restores a snapshot and recomputes the derived attributes (weights_, precisions_, kernel). */
  protected abstract restoreState(s: S): void;

  /**
   * Cholesky factors of the precision matrices (U with U Uᵀ = Σ⁻¹, upper triangular for
   * 'full' / 'tied'), same shape as `covariances_`; computed on first use.
   */
  get precisionsCholesky_(): Float64Array {
    const kern = this.checkFitted();
    this.precisionsCholeskyCache ??= precisionCholeskyFromFactor(kern.factors, kern.type, kern.nComponents, kern.nFeatures);
    return this.precisionsCholeskyCache;
  }

  /** Precision matrices (inverse covariances), same shape as `covariances_`; computed on first use. */
  get precisions_(): Float64Array {
    const kern = this.checkFitted();
    this.precisionsCache ??= precisionsFromCholesky(this.precisionsCholesky_, kern.type, kern.nComponents, kern.nFeatures);
    return this.precisionsCache;
  }

  /** Installs the E-step kernel of newly set parameters. */
  protected setKernel(kernel: LogProbKernel): void {
    this.kernel = kernel;
    this.precisionsCholeskyCache = null;
    this.precisionsCache = null;
  }

  get nComponents(): number {
    return this.params.nComponents;
  }

  /** Number of features seen in `fit`. */
  get nFeaturesIn_(): number {
    return this.means_.cols;
  }

  /**
   * Fits the mixture `nInit` times by EM (variational EM for the Bayesian one) and keeps the
   * run with the largest lower bound.
   * @param X (nSamples, nFeatures), nSamples ≥ max(2, nComponents)
   */
  fit(X: Matrix, _y?: ArrayLike<number> | null, opts: MixtureFitOptions = {}): this {
    this.checkParams();
    const { nComponents: k, nInit, maxIter, tol } = this.params;
    checkMatrix(X, { minSamples: 2 });
    const n = X.rows;
    if (n < k) {
      throw new DataError(`Expected nSamples >= nComponents but got nComponents = ${k}, nSamples = ${n}`);
    }
    const given = opts.initialResponsibilities;
    if (given) {
      checkMatrix(given, { name: 'initialResponsibilities' });
      if (given.rows !== n || given.cols !== k) {
        throw new DataError(`initialResponsibilities must have shape (${n}, ${k}), got (${given.rows}, ${given.cols})`);
      }
    }
    this.prepare(X);
    const rng = makeRandom(this.params.randomState);
    const resp = new Float64Array(n * k);
    let best: S | null = null;
    let bestLowerBound = -Infinity;
    let bestNIter = 0;
    let converged = false;
    for (let run = 0; run < nInit; run++) {
      if (given) resp.set(given.data);
      else this.initialResponsibilities(X, rng, resp);
      this.initialize(X, resp);
      if (maxIter === 0) {
        best = this.saveState();
        bestNIter = 0;
        continue;
      }
      let lowerBound = -Infinity;
      let nIter = 1;
      for (; nIter <= maxIter; nIter++) {
        const previous = lowerBound;
        const { logLikelihood, respLogResp } = this.eStep(X, resp);
        this.mStep(X, resp);
        lowerBound = this.lowerBound(logLikelihood / n, respLogResp);
        opts.onProgress?.((run + nIter / maxIter) / nInit, `run ${run + 1}/${nInit}, iteration ${nIter}`);
        if (Math.abs(lowerBound - previous) < tol) {
          converged = true;
          break;
        }
      }
      if (nIter > maxIter) nIter = maxIter;
      if (lowerBound > bestLowerBound || bestLowerBound === -Infinity) {
        bestLowerBound = lowerBound;
        best = this.saveState();
        bestNIter = nIter;
      }
    }
    this.restoreState(best as S);
    this.converged_ = converged;
    this.nIter_ = bestNIter;
    this.lowerBound_ = bestLowerBound;
    opts.onProgress?.(1);
    return this;
  }

  /** Fits and returns the most probable component of every training sample, shape (nSamples). */
  fitPredict(X: Matrix, opts: MixtureFitOptions = {}): Int32Array {
    return this.fit(X, null, opts).predict(X);
  }

  /** Most probable component of each sample, shape (nSamples). */
  predict(X: Matrix): Int32Array {
    const kern = this.checkPredict(X);
    const k = kern.nComponents;
    const labels = new Int32Array(X.rows);
    const buf = new Float64Array(Math.min(BLOCK_ROWS, X.rows) * k);
    for (let start = 0; start < X.rows; start += BLOCK_ROWS) {
      const end = Math.min(X.rows, start + BLOCK_ROWS);
      weightedLogProb(kern, X, start, end, buf);
      for (let i = start; i < end; i++) {
        const o = (i - start) * k;
        let arg = 0;
        for (let c = 1; c < k; c++) if (buf[o + c] > buf[o + arg]) arg = c;
        labels[i] = arg;
      }
    }
    return labels;
  }

  /** Posterior probability of each component for each sample, shape (nSamples, nComponents). */
  predictProba(X: Matrix): Matrix<Float64Array> {
    const kern = this.checkPredict(X);
    const k = kern.nComponents;
    const out = new Float64Array(X.rows * k);
    weightedLogProb(kern, X, 0, X.rows, out);
    normalizeResponsibilities(out, X.rows, k, false);
    return matrix(X.rows, k, out);
  }

  /** Log of the mixture density at each sample, shape (nSamples). */
  scoreSamples(X: Matrix): Float64Array {
    const kern = this.checkPredict(X);
    const k = kern.nComponents;
    const out = new Float64Array(X.rows);
    const buf = new Float64Array(Math.min(BLOCK_ROWS, X.rows) * k);
    for (let start = 0; start < X.rows; start += BLOCK_ROWS) {
      const end = Math.min(X.rows, start + BLOCK_ROWS);
      weightedLogProb(kern, X, start, end, buf);
      logSumExpRows(buf, end - start, k, out, start);
    }
    return out;
  }

  /** Mean log-likelihood per sample of X. */
  score(X: Matrix): number {
    const s = this.scoreSamples(X);
    let sum = 0;
    for (let i = 0; i < s.length; i++) sum += s[i];
    return sum / s.length;
  }

  /**
   * Draws `nSamples` from the fitted mixture: component counts from the weights, then each
   * component's Gaussian. Like scikit-learn, the generator restarts from `randomState` on every
   * call unless another seed is given.
   */
  sample(nSamples = 1, randomState: number | undefined = this.params.randomState): MixtureSample {
    this.checkFitted();
    checkInt('nSamples', nSamples, 1);
    const rng = makeRandom(checkRandomState(randomState));
    const k = this.params.nComponents, d = this.means_.cols;
    const counts = new Int32Array(k);
    for (let s = 0; s < nSamples; s++) counts[drawCategory(this.weights_, rng)]++;
    const out = new Float64Array(nSamples * d);
    const y = new Int32Array(nSamples);
    const factor = new Float64Array(d * d);
    const z = new Float64Array(d);
    let row = 0;
    for (let c = 0; c < k; c++) {
      const cov = this.covarianceMatrix(c).data;
      if (!choleskyInto(cov, 0, d, factor, 0)) {
        throw new DataError(`component ${c} has a covariance that is not positive definite`);
      }
      for (let s = 0; s < counts[c]; s++, row++) {
        for (let j = 0; j < d; j++) z[j] = rng.normal();
        for (let a = 0; a < d; a++) {
          let v = this.means_.data[c * d + a];
          for (let b = 0; b <= a; b++) v += factor[a * d + b] * z[b];
          out[row * d + a] = v;
        }
        y[row] = c;
      }
    }
    return { X: matrix(nSamples, d, out), y };
  }

  /** The full (nFeatures, nFeatures) covariance matrix of one component, whatever the type. */
  covarianceMatrix(component: number): Matrix<Float64Array> {
    this.checkFitted();
    const k = this.params.nComponents, d = this.means_.cols;
    checkInt('component', component, 0, k - 1);
    const out = matrix(d, d);
    const cov = this.covariances_;
    switch (this.params.covarianceType) {
      case 'full':
        out.data.set(cov.subarray(component * d * d, (component + 1) * d * d));
        break;
      case 'tied':
        out.data.set(cov);
        break;
      case 'diag':
        for (let j = 0; j < d; j++) out.data[j * d + j] = cov[component * d + j];
        break;
      case 'spherical':
        for (let j = 0; j < d; j++) out.data[j * d + j] = cov[component];
        break;
    }
    return out;
  }

  /** One E-step over the training data: `resp` becomes the responsibilities. */
  protected eStep(X: Matrix, resp: Float64Array): { logLikelihood: number; respLogResp: number } {
    const k = this.params.nComponents;
    const kern = this.kernel as LogProbKernel;
    let guess: Int32Array | undefined;
    if ((kern.type === 'full' || kern.type === 'tied') && X.cols > 2) {
      // The previous responsibilities' argmax is each sample's likely best component, which lets
      // the kernel skip the negligible ones early (see weightedLogProb).
      guess = new Int32Array(X.rows);
      for (let i = 0; i < X.rows; i++) {
        let arg = 0;
        for (let c = 1; c < k; c++) if (resp[i * k + c] > resp[i * k + arg]) arg = c;
        guess[i] = arg;
      }
    }
    weightedLogProb(kern, X, 0, X.rows, resp, guess);
    return normalizeResponsibilities(resp, X.rows, k, this.needsEntropy);
  }

  /** scikit-learn's `_initialize_parameters`: starting responsibilities (nSamples, k). */
  private initialResponsibilities(X: Matrix, rng: Random, resp: Float64Array): void {
    const n = X.rows, k = this.params.nComponents;
    resp.fill(0);
    switch (this.params.initParams) {
      case 'kmeans': {
        const labels = new KMeans({ nClusters: k, nInit: 1, randomState: rng.seed() }).fit(X).labels_;
        for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
        break;
      }
      case 'random':
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.random();
          for (let c = 0; c < k; c++) resp[i * k + c] /= s;
        }
        break;
      case 'random_from_data': {
        const rows = rng.sample(n, k);
        for (let c = 0; c < k; c++) resp[rows[c] * k + c] = 1;
        break;
      }
      case 'k-means++': {
        const rows = kmeansPlusPlusIndices(X, k, rng);
        for (let c = 0; c < k; c++) resp[rows[c] * k + c] = 1;
        break;
      }
    }
  }

  protected checkFitted(): LogProbKernel {
    if (this.kernel === null) throw new NotFittedError(this.estimatorName);
    return this.kernel;
  }

  private checkPredict(X: Matrix): LogProbKernel {
    const kern = this.checkFitted();
    checkMatrix(X);
    if (X.cols !== kern.nFeatures) {
      throw new DataError(`X has ${X.cols} features, but ${this.estimatorName} was fitted with ${kern.nFeatures}`);
    }
    return kern;
  }

  /** The attributes both mixtures save; subclasses add theirs. */
  protected baseFittedJSON(): Record<string, unknown> {
    return {
      weights: Array.from(this.weights_),
      means: { rows: this.means_.rows, cols: this.means_.cols, data: Array.from(this.means_.data) },
      covariances: Array.from(this.covariances_),
      converged: this.converged_,
      nIter: this.nIter_,
      lowerBound: encodeNumber(this.lowerBound_),
    };
  }

  /**
   * Restores what `baseFittedJSON` saved; the subclass then rebuilds its kernel from the
   * covariances (the same computation as in fit, so the same bits).
   */
  protected restoreBaseJSON(f: Record<string, unknown>): void {
    const k = this.params.nComponents;
    const means = f.means as { rows: number; cols: number; data: number[] };
    if (!means || means.rows !== k || !Array.isArray(means.data)) throw new DataError(`saved ${this.estimatorName}: malformed means`);
    const d = means.cols;
    this.means_ = matrix(k, d, Float64Array.from(means.data));
    this.weights_ = floatArray(f.weights, k, 'weights');
    const size = covarianceSize(this.params.covarianceType, k, d);
    this.covariances_ = floatArray(f.covariances, size, 'covariances');
    this.converged_ = f.converged === true;
    this.nIter_ = Number(f.nIter);
    this.lowerBound_ = decodeNumber(f.lowerBound);
  }

  abstract toJSON(): EstimatorJSON<P>;
}

/** A category drawn with probabilities `p` (which sum to 1 up to rounding). */
function drawCategory(p: Float64Array, rng: Random): number {
  const u = rng.random();
  let acc = 0;
  for (let c = 0; c < p.length; c++) {
    acc += p[c];
    if (u < acc) return c;
  }
  // Rounding left the total a hair under 1: give the draw to the last component with weight.
  for (let c = p.length - 1; c > 0; c--) if (p[c] > 0) return c;
  return 0;
}

/** JSON has no infinities: non-finite numbers are saved as strings. */
export function encodeNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

export function decodeNumber(v: unknown): number {
  return typeof v === 'string' ? Number(v) : (v as number);
}

/** A saved float array of a known length. */
export function floatArray(v: unknown, length: number, name: string): Float64Array {
  if (!Array.isArray(v) || v.length !== length) throw new DataError(`saved mixture: '${name}' should hold ${length} numbers`);
  return Float64Array.from(v as number[]);
}

/**
 * Flattens a nested array (number, number[], number[][], …) into float64 values of an expected
 * shape, for the hyperparameters given as nested arrays (initial means, precisions, priors);
 * a ParameterError names the parameter otherwise.
 */
export function flattenNested(value: unknown, shape: number[], name: string): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  let count = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error();
      out[count++] = v;
      return;
    }
    if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || (v as ArrayLike<unknown>).length !== shape[depth]) throw new Error();
    const a = v as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) walk(a[i], depth + 1);
  };
  try {
    walk(value, 0);
  } catch {
    throw new ParameterError(`${name} must be finite numbers of shape (${shape.join(', ')}), got ${describeShape(value)}`);
  }
  return out;
}

function describeShape(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) return typeof v;
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur) || ArrayBuffer.isView(cur)) {
    const a = cur as ArrayLike<unknown>;
    shape.push(a.length);
    cur = a[0];
  }
  return `an array of shape (${shape.join(', ')})`;
}
