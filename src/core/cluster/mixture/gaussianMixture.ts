/**
 * scikit-learn's `GaussianMixture`: a mixture of Gaussians fitted by expectation–maximisation,
 * the maths of `sklearn/mixture/_gaussian_mixture.py` (1.2) over row-major typed arrays.
 */
import { checkEstimatorJSON, type EstimatorJSON } from '../../base';
import { ParameterError } from '../../errors';
import { matrix, type Matrix } from '../../math/matrix';
import {
  BaseMixture,
  MIXTURE_DEFAULTS,
  checkMixtureParams,
  flattenNested,
  type MixtureParams,
} from './base';
import {
  allocStatistics,
  choleskyInto,
  computePrecisionCholesky,
  covarianceShape,
  estimateGaussianParameters,
  factorCovariances,
  makeLogProbKernel,
  precisionsFromCholesky,
  type CovarianceType,
  type LogProbKernel,
} from './gaussian';

export interface GaussianMixtureParams extends MixtureParams {
  /** Initial weights, shape (nComponents), in [0, 1] and summing to 1; default from `initParams`. */
  weightsInit?: number[];
  /** Initial means, shape (nComponents, nFeatures); default from `initParams`. */
  meansInit?: number[][];
  /**
   * Initial precisions (inverse covariances), shaped by covariance type: 'full'
   * (nComponents, nFeatures, nFeatures), 'tied' (nFeatures, nFeatures), 'diag'
   * (nComponents, nFeatures), 'spherical' (nComponents); default from `initParams`.
   */
  precisionsInit?: number[] | number[][] | number[][][];
}

export const GAUSSIAN_MIXTURE_DEFAULTS: GaussianMixtureParams = {
  ...MIXTURE_DEFAULTS,
  weightsInit: undefined,
  meansInit: undefined,
  precisionsInit: undefined,
};

/** The learned parameters of one EM run. */
interface GaussianState {
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  /** `factorCovariances` of the covariances. */
  factors: Float64Array;
}

/** The parameters a fitted mixture is made of, for `GaussianMixture.fromParameters`. */
export interface GaussianMixtureParameters {
  covarianceType: CovarianceType;
  /** (nComponents) */
  weights: ArrayLike<number>;
  /** (nComponents, nFeatures), as a matrix or rows. */
  means: Matrix | ArrayLike<ArrayLike<number>>;
  /** Shaped by covariance type (see `GaussianMixtureParams.precisionsInit`), nested or flat. */
  covariances: ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>>;
}

const FORMAT_VERSION = 1;

export class GaussianMixture extends BaseMixture<GaussianMixtureParams, GaussianState> {
  /** Flattened, checked initial values for the current fit. */
  private meansInit: Float64Array | null = null;
  private covariancesInit: Float64Array | null = null;

  constructor(params: Partial<GaussianMixtureParams> = {}) {
    super({ ...GAUSSIAN_MIXTURE_DEFAULTS, ...params });
  }

  protected get estimatorName(): string {
    return 'GaussianMixture';
  }

  protected get needsEntropy(): boolean {
    return false;
  }

  protected checkParams(): void {
    checkMixtureParams(this.params);
    const w = this.params.weightsInit;
    if (w !== undefined && w !== null) {
      const k = this.params.nComponents;
      const weights = flattenNested(w, [k], 'weightsInit');
      let sum = 0, min = Infinity, max = -Infinity;
      for (const v of weights) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (min < 0 || max > 1) {
        throw new ParameterError(`weightsInit must lie in [0, 1], got values from ${min} to ${max}`);
      }
      // numpy's allclose(|1 − Σ|, 0): absolute tolerance 1e-8.
      if (!(Math.abs(1 - sum) <= 1e-8)) throw new ParameterError(`weightsInit must sum to 1, got ${sum}`);
    }
  }

  protected prepare(X: Matrix): void {
    const { nComponents: k, covarianceType: type, meansInit, precisionsInit } = this.params;
    const d = X.cols;
    this.meansInit = meansInit == null ? null : flattenNested(meansInit, [k, d], 'meansInit');
    this.covariancesInit = null;
    if (precisionsInit != null) {
      const precisions = flattenNested(precisionsInit, covarianceShape(type, k, d), 'precisionsInit');
      checkPrecisions(precisions, type, k, d);
      // The first E-step needs Σ⁻¹ = the given precisions; we keep them as their inverse, the
      // covariances (scikit-learn keeps the precisions' own Cholesky factor instead, which only
      // shows in precisionsCholesky_ after a maxIter = 0 fit).
      this.covariancesInit = inversePrecisions(precisions, type, k, d);
    }
  }

  protected initialize(X: Matrix, resp: Float64Array): void {
    const { nComponents: k, covarianceType: type, regCovar, weightsInit } = this.params;
    const d = X.cols;
    const stats = allocStatistics(type, k, d);
    estimateGaussianParameters(X, resp, k, regCovar, type, stats);
    const weights = stats.nk;
    for (let c = 0; c < k; c++) weights[c] /= X.rows;
    const covariances = this.covariancesInit ? this.covariancesInit.slice() : stats.covariances;
    this.setState({
      weights: weightsInit == null ? weights : Float64Array.from(weightsInit),
      means: this.meansInit ? this.meansInit.slice() : stats.means,
      covariances,
      factors: factorCovariances(covariances, type, k, d),
    }, d);
  }

  protected mStep(X: Matrix, resp: Float64Array): void {
    const { nComponents: k, covarianceType: type, regCovar } = this.params;
    const d = X.cols;
    const stats = allocStatistics(type, k, d);
    estimateGaussianParameters(X, resp, k, regCovar, type, stats);
    const weights = stats.nk;
    let total = 0;
    for (let c = 0; c < k; c++) total += weights[c];
    for (let c = 0; c < k; c++) weights[c] /= total;
    this.setState({
      weights,
      means: stats.means,
      covariances: stats.covariances,
      factors: factorCovariances(stats.covariances, type, k, d),
    }, d);
  }

  protected lowerBound(meanLogLikelihood: number): number {
    return meanLogLikelihood;
  }

  protected saveState(): GaussianState {
    // Every M-step allocates fresh arrays, so the references are a snapshot.
    return {
      weights: this.weights_,
      means: this.means_.data,
      covariances: this.covariances_,
      factors: (this.kernel as LogProbKernel).factors,
    };
  }

  protected restoreState(s: GaussianState): void {
    const k = this.params.nComponents, d = s.means.length / k;
    this.setState(s, d);
  }

  private setState(s: GaussianState, d: number): void {
    const k = this.params.nComponents;
    this.weights_ = s.weights;
    this.means_ = matrix(k, d, s.means);
    this.covariances_ = s.covariances;
    const logWeights = new Float64Array(k);
    for (let c = 0; c < k; c++) logWeights[c] = Math.log(this.weights_[c]);
    this.setKernel(makeLogProbKernel(this.params.covarianceType, k, d, s.means, s.factors, logWeights));
  }

  /**
   * Number of free parameters: k − 1 weights, k·d means, and the covariances
   * (k·d(d+1)/2 'full', d(d+1)/2 'tied', k·d 'diag', k 'spherical').
   */
  nParameters(): number {
    this.checkFitted();
    const k = this.params.nComponents, d = this.means_.cols;
    const covParams = {
      full: (k * d * (d + 1)) / 2,
      tied: (d * (d + 1)) / 2,
      diag: k * d,
      spherical: k,
    }[this.params.covarianceType];
    return Math.trunc(covParams + d * k + k - 1);
  }

  /** Bayesian information criterion on X: −2 log L + p ln n (lower is better). */
  bic(X: Matrix): number {
    return -2 * this.score(X) * X.rows + this.nParameters() * Math.log(X.rows);
  }

  /** Akaike information criterion on X: −2 log L + 2p (lower is better). */
  aic(X: Matrix): number {
    return -2 * this.score(X) * X.rows + 2 * this.nParameters();
  }

  /**
   * A fitted mixture from known parameters (e.g. scikit-learn's `weights_`, `means_`,
   * `covariances_`), factored as after an M-step.
   */
  static fromParameters(p: GaussianMixtureParameters, params: Partial<GaussianMixtureParams> = {}): GaussianMixture {
    const k = p.weights.length;
    const meansRows = isMatrix(p.means) ? null : p.means;
    const d = isMatrix(p.means) ? p.means.cols : meansRows!.length > 0 ? meansRows![0].length : 0;
    const gm = new GaussianMixture({ ...params, nComponents: k, covarianceType: p.covarianceType });
    checkMixtureParams(gm.params);
    const means = isMatrix(p.means) ? Float64Array.from(p.means.data) : flattenNested(meansRows, [k, d], 'means');
    if (means.length !== k * d) throw new ParameterError(`means must have shape (${k}, ${d})`);
    const shape = covarianceShape(p.covarianceType, k, d);
    const size = shape.reduce((a, b) => a * b, 1);
    const flat = isFlatNumbers(p.covariances) ? Float64Array.from(p.covariances as ArrayLike<number>) : flattenNested(p.covariances, shape, 'covariances');
    if (flat.length !== size) throw new ParameterError(`covariances must have shape (${shape.join(', ')})`);
    gm.restoreState({
      weights: flattenNested(Array.from(p.weights), [k], 'weights'),
      means,
      covariances: flat,
      factors: factorCovariances(flat, p.covarianceType, k, d),
    });
    return gm;
  }

  toJSON(): EstimatorJSON<GaussianMixtureParams> {
    return {
      estimator: 'GaussianMixture',
      version: FORMAT_VERSION,
      params: { ...this.params },
      fitted: this.kernel ? this.baseFittedJSON() : null,
    };
  }

  static fromJSON(j: EstimatorJSON): GaussianMixture {
    checkEstimatorJSON(j, 'GaussianMixture', FORMAT_VERSION);
    const gm = new GaussianMixture(j.params as Partial<GaussianMixtureParams>);
    if (j.fitted) {
      gm.restoreBaseJSON(j.fitted);
      const { nComponents: k, covarianceType: type } = gm.params;
      gm.restoreState({
        weights: gm.weights_,
        means: gm.means_.data,
        covariances: gm.covariances_,
        factors: factorCovariances(gm.covariances_, type, k, gm.means_.cols),
      });
    }
    return gm;
  }
}

function isMatrix(m: unknown): m is Matrix {
  return typeof m === 'object' && m !== null && 'rows' in m && 'cols' in m && 'data' in m;
}

function isFlatNumbers(a: unknown): boolean {
  return ArrayBuffer.isView(a) || (Array.isArray(a) && (a.length === 0 || typeof a[0] === 'number'));
}

/**
 * scikit-learn's checks of `precisions_init`: full / tied precisions must be symmetric positive
 * definite, diag / spherical precisions positive.
 */
function checkPrecisions(precisions: Float64Array, type: CovarianceType, k: number, d: number): void {
  if (type === 'diag' || type === 'spherical') {
    for (const p of precisions) {
      if (!(p > 0)) throw new ParameterError(`precisionsInit ('${type}') must be positive, got ${p}`);
    }
    return;
  }
  const blocks = type === 'full' ? k : 1;
  const l = new Float64Array(d * d);
  for (let c = 0; c < blocks; c++) {
    const o = c * d * d;
    let ok = choleskyInto(precisions, o, d, l, 0);
    for (let a = 0; a < d && ok; a++) {
      for (let b = 0; b < a; b++) {
        const u = precisions[o + a * d + b], v = precisions[o + b * d + a];
        // numpy's allclose(P, Pᵀ): |u − v| ≤ 1e-8 + 1e-5 |v|.
        if (!(Math.abs(u - v) <= 1e-8 + 1e-5 * Math.abs(v))) ok = false;
      }
    }
    if (!ok) throw new ParameterError(`precisionsInit ('${type}') must be symmetric, positive-definite`);
  }
}

/** Covariances from (checked) precisions: 1/p elementwise, or P⁻¹ = L⁻ᵀ L⁻¹ through Cholesky. */
function inversePrecisions(precisions: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return precisions.map((p) => 1 / p);
  return precisionsFromCholesky(computePrecisionCholesky(precisions, type, k, d), type, k, d);
}
