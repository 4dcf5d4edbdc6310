/**
 * scikit-learn's `BayesianGaussianMixture`: a Gaussian mixture fitted by variational inference,
 * with a Dirichlet-process (stick-breaking) or Dirichlet prior on the weights and a
 * Gaussian–Wishart prior on the means and precisions, so that unneeded components get weights
 * near 0. The maths of `sklearn/mixture/_bayesian_mixture.py` (1.2), Bishop's PRML §10.2.
 */
import { checkEstimatorJSON, type EstimatorJSON } from '../../base';
import { ParameterError } from '../../errors';
import { columnMeans, matrix, type Matrix } from '../../math/matrix';
import { checkNumber, checkOneOf } from '../../validate';
import {
  BaseMixture,
  MIXTURE_DEFAULTS,
  checkMixtureParams,
  decodeNumber,
  encodeNumber,
  flattenNested,
  floatArray,
  type MixtureParams,
} from './base';
import {
  allocStatistics,
  choleskyInto,
  estimateGaussianParameters,
  factorCovariances,
  logDetPrecisionCholesky,
  makeLogProbKernel,
  type GaussianStatistics,
  type LogProbKernel,
} from './gaussian';
import { betaln, digamma, gammaln } from './special';

export type WeightConcentrationPriorType = 'dirichlet_process' | 'dirichlet_distribution';
export const WEIGHT_CONCENTRATION_PRIOR_TYPES: readonly WeightConcentrationPriorType[] = ['dirichlet_process', 'dirichlet_distribution'];

export interface BayesianGaussianMixtureParams extends MixtureParams {
  /** Stick-breaking Dirichlet process (default) or a finite Dirichlet distribution. */
  weightConcentrationPriorType: WeightConcentrationPriorType;
  /** γ₀ of the weight prior, > 0; small values favour few components. Default 1 / nComponents. */
  weightConcentrationPrior?: number;
  /** β₀, precision of the prior on the means, > 0. Default 1. */
  meanPrecisionPrior?: number;
  /** m₀, prior mean, shape (nFeatures). Default the mean of X. */
  meanPrior?: number[];
  /** ν₀, degrees of freedom of the Wishart prior, > nFeatures − 1. Default nFeatures. */
  degreesOfFreedomPrior?: number;
  /**
   * Prior on the covariances: (nFeatures, nFeatures) for 'full' / 'tied', (nFeatures) for
   * 'diag', a number for 'spherical'. Default the empirical covariance of X (ddof 1).
   */
  covariancePrior?: number | number[] | number[][];
}

export const BAYESIAN_GAUSSIAN_MIXTURE_DEFAULTS: BayesianGaussianMixtureParams = {
  ...MIXTURE_DEFAULTS,
  weightConcentrationPriorType: 'dirichlet_process',
  weightConcentrationPrior: undefined,
  meanPrecisionPrior: undefined,
  meanPrior: undefined,
  degreesOfFreedomPrior: undefined,
  covariancePrior: undefined,
};

/** The variational parameters of one run. */
interface VariationalState {
  weightConcentration: Float64Array;
  meanPrecision: Float64Array;
  means: Float64Array;
  degreesOfFreedom: Float64Array;
  covariances: Float64Array;
  /** `factorCovariances` of the covariances. */
  factors: Float64Array;
}

const FORMAT_VERSION = 1;
const LN2 = Math.LN2;

export class BayesianGaussianMixture extends BaseMixture<BayesianGaussianMixtureParams, VariationalState> {
  /**
   * Parameters of the weights' posterior: for 'dirichlet_process' shape (2, nComponents), the
   * Beta parameters of each stick-breaking fraction (row 0: 1 + Nₖ, row 1: γ₀ + Σ_{j>k} Nⱼ);
   * for 'dirichlet_distribution' shape (nComponents).
   */
  weightConcentration_: Float64Array = new Float64Array(0);
  /** (nComponents) βₖ, precision of each mean's posterior. */
  meanPrecision_: Float64Array = new Float64Array(0);
  /**
   * (nComponents) νₖ, degrees of freedom of each Wishart posterior ('tied': one shared value,
   * repeated; scikit-learn stores it as a scalar).
   */
  degreesOfFreedom_: Float64Array = new Float64Array(0);
  /** γ₀ actually used. */
  weightConcentrationPrior_ = NaN;
  /** β₀ actually used. */
  meanPrecisionPrior_ = NaN;
  /** (nFeatures) m₀ actually used. */
  meanPrior_: Float64Array = new Float64Array(0);
  /** ν₀ actually used. */
  degreesOfFreedomPrior_ = NaN;
  /** Covariance prior actually used: (d, d) 'full'/'tied', (d) 'diag', (1) 'spherical'. */
  covariancePrior_: Float64Array = new Float64Array(0);

  constructor(params: Partial<BayesianGaussianMixtureParams> = {}) {
    super({ ...BAYESIAN_GAUSSIAN_MIXTURE_DEFAULTS, ...params });
  }

  protected get estimatorName(): string {
    return 'BayesianGaussianMixture';
  }

  protected get needsEntropy(): boolean {
    return true;
  }

  protected checkParams(): void {
    const p = this.params;
    checkMixtureParams(p);
    checkOneOf('weightConcentrationPriorType', p.weightConcentrationPriorType, WEIGHT_CONCENTRATION_PRIOR_TYPES);
    const positive = (name: string, v: unknown): void => {
      if (v != null) checkNumber(name, v, 0, Infinity, { minExclusive: true });
    };
    positive('weightConcentrationPrior', p.weightConcentrationPrior);
    positive('meanPrecisionPrior', p.meanPrecisionPrior);
    positive('degreesOfFreedomPrior', p.degreesOfFreedomPrior);
    if (typeof p.covariancePrior === 'number') positive('covariancePrior', p.covariancePrior);
  }

  /** scikit-learn's `_check_parameters`: the priors, from the parameters or from X. */
  protected prepare(X: Matrix): void {
    const p = this.params;
    const { rows: n, cols: d } = X;
    const type = p.covarianceType;
    this.weightConcentrationPrior_ = p.weightConcentrationPrior ?? 1 / p.nComponents;
    this.meanPrecisionPrior_ = p.meanPrecisionPrior ?? 1;
    const mean = columnMeans(X);
    this.meanPrior_ = p.meanPrior == null ? mean : flattenNested(p.meanPrior, [d], 'meanPrior');
    if (p.degreesOfFreedomPrior == null) {
      this.degreesOfFreedomPrior_ = d;
    } else if (p.degreesOfFreedomPrior > d - 1) {
      this.degreesOfFreedomPrior_ = p.degreesOfFreedomPrior;
    } else {
      throw new ParameterError(`degreesOfFreedomPrior must be greater than ${d - 1} (nFeatures − 1), got ${p.degreesOfFreedomPrior}`);
    }
    const prior = p.covariancePrior;
    if (prior == null) {
      // numpy's cov(X.T) / var(X, ddof=1): the empirical covariance with n − 1.
      const cov = new Float64Array(d * d);
      const x = X.data;
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < d; a++) {
          const ta = x[i * d + a] - mean[a];
          for (let b = a; b < d; b++) cov[a * d + b] += ta * (x[i * d + b] - mean[b]);
        }
      }
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n - 1;
      }
      if (type === 'full' || type === 'tied') {
        this.covariancePrior_ = cov;
      } else {
        const v = new Float64Array(d);
        for (let j = 0; j < d; j++) v[j] = cov[j * d + j];
        this.covariancePrior_ = type === 'diag' ? v : Float64Array.of(v.reduce((s, t) => s + t, 0) / d);
      }
    } else if (type === 'full' || type === 'tied') {
      const cov = flattenNested(prior, [d, d], 'covariancePrior');
      checkSymmetricPositiveDefinite(cov, d, `covariancePrior ('${type}')`);
      this.covariancePrior_ = cov;
    } else if (type === 'diag') {
      const v = flattenNested(prior, [d], 'covariancePrior');
      for (const t of v) if (!(t > 0)) throw new ParameterError(`covariancePrior ('diag') must be positive, got ${t}`);
      this.covariancePrior_ = v;
    } else {
      if (typeof prior !== 'number') throw new ParameterError(`covariancePrior ('spherical') must be a number, got an array`);
      this.covariancePrior_ = Float64Array.of(prior);
    }
  }

  protected initialize(X: Matrix, resp: Float64Array): void {
    this.mStep(X, resp);
  }

  /** The variational M-step: posterior parameters of weights, means and precisions. */
  protected mStep(X: Matrix, resp: Float64Array): void {
    const { nComponents: k, covarianceType: type, regCovar } = this.params;
    const d = X.cols;
    const stats = allocStatistics(type, k, d);
    estimateGaussianParameters(X, resp, k, regCovar, type, stats);
    const weightConcentration = this.estimateWeights(stats.nk);
    const meanPrecision = new Float64Array(k);
    const means = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      meanPrecision[c] = this.meanPrecisionPrior_ + stats.nk[c];
      for (let j = 0; j < d; j++) {
        means[c * d + j] = (this.meanPrecisionPrior_ * this.meanPrior_[j] + stats.nk[c] * stats.means[c * d + j]) / meanPrecision[c];
      }
    }
    const { covariances, degreesOfFreedom } = this.estimateWishart(stats, meanPrecision, k, d);
    this.setState(
      {
        weightConcentration,
        meanPrecision,
        means,
        degreesOfFreedom,
        covariances,
        factors: factorCovariances(covariances, type, k, d),
      },
      d,
    );
  }

  /** scikit-learn's `_estimate_weights`. */
  private estimateWeights(nk: Float64Array): Float64Array {
    const k = nk.length;
    const prior = this.weightConcentrationPrior_;
    if (this.params.weightConcentrationPriorType === 'dirichlet_distribution') {
      return nk.map((v) => prior + v);
    }
    const out = new Float64Array(2 * k);
    // Row 1: γ₀ + the mass of the components after k (the rest of the stick).
    let tail = 0;
    for (let c = k - 1; c >= 0; c--) {
      out[c] = 1 + nk[c];
      out[k + c] = prior + tail;
      tail += nk[c];
    }
    return out;
  }

  /** scikit-learn's `_estimate_wishart_*`: the normalised Wishart scale matrices and ν. */
  private estimateWishart(
    stats: GaussianStatistics,
    meanPrecision: Float64Array,
    k: number,
    d: number,
  ): { covariances: Float64Array; degreesOfFreedom: Float64Array } {
    const { nk, means: xk, covariances: sk } = stats;
    const beta0 = this.meanPrecisionPrior_, m0 = this.meanPrior_, prior = this.covariancePrior_;
    const nu0 = this.degreesOfFreedomPrior_;
    const dof = new Float64Array(k);
    const diff = new Float64Array(d);
    const diffOf = (c: number): Float64Array => {
      for (let j = 0; j < d; j++) diff[j] = xk[c * d + j] - m0[j];
      return diff;
    };
    switch (this.params.covarianceType) {
      case 'full': {
        const cov = new Float64Array(k * d * d);
        for (let c = 0; c < k; c++) {
          dof[c] = nu0 + nk[c];
          const t = diffOf(c);
          const shrink = (nk[c] * beta0) / meanPrecision[c];
          const o = c * d * d;
          for (let a = 0; a < d; a++) {
            for (let b = 0; b < d; b++) {
              cov[o + a * d + b] = (prior[a * d + b] + nk[c] * sk[o + a * d + b] + shrink * (t[a] * t[b])) / dof[c];
            }
          }
        }
        return { covariances: cov, degreesOfFreedom: dof };
      }
      case 'tied': {
        let total = 0;
        for (let c = 0; c < k; c++) total += nk[c];
        dof.fill(nu0 + total / k);
        const spread = new Float64Array(d * d);
        for (let c = 0; c < k; c++) {
          const t = diffOf(c);
          const w = nk[c] / meanPrecision[c];
          for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) spread[a * d + b] += w * t[a] * t[b];
        }
        const cov = new Float64Array(d * d);
        for (let i = 0; i < d * d; i++) cov[i] = (prior[i] + (sk[i] * total) / k + (beta0 / k) * spread[i]) / dof[0];
        return { covariances: cov, degreesOfFreedom: dof };
      }
      case 'diag': {
        const cov = new Float64Array(k * d);
        for (let c = 0; c < k; c++) {
          dof[c] = nu0 + nk[c];
          const t = diffOf(c);
          const shrink = beta0 / meanPrecision[c];
          for (let j = 0; j < d; j++) {
            cov[c * d + j] = (prior[j] + nk[c] * (sk[c * d + j] + shrink * t[j] * t[j])) / dof[c];
          }
        }
        return { covariances: cov, degreesOfFreedom: dof };
      }
      case 'spherical': {
        const cov = new Float64Array(k);
        for (let c = 0; c < k; c++) {
          dof[c] = nu0 + nk[c];
          const t = diffOf(c);
          let sq = 0;
          for (let j = 0; j < d; j++) sq += t[j] * t[j];
          cov[c] = (prior[0] + nk[c] * (sk[c] + (beta0 / meanPrecision[c]) * (sq / d))) / dof[c];
        }
        return { covariances: cov, degreesOfFreedom: dof };
      }
    }
  }

  /** scikit-learn's `_estimate_log_weights`: E[log πₖ] under the weights' posterior. */
  private logWeights(): Float64Array {
    const k = this.params.nComponents;
    const wc = this.weightConcentration_;
    const out = new Float64Array(k);
    if (this.params.weightConcentrationPriorType === 'dirichlet_distribution') {
      let sum = 0;
      for (let c = 0; c < k; c++) sum += wc[c];
      const psiSum = digamma(sum);
      for (let c = 0; c < k; c++) out[c] = digamma(wc[c]) - psiSum;
      return out;
    }
    // E[log πₖ] = E[log vₖ] + Σ_{j<k} E[log(1 − vⱼ)] for the stick-breaking fractions vₖ.
    let rest = 0;
    for (let c = 0; c < k; c++) {
      const psiSum = digamma(wc[c] + wc[k + c]);
      out[c] = digamma(wc[c]) - psiSum + rest;
      rest += digamma(wc[k + c]) - psiSum;
    }
    return out;
  }

  /**
   * The variational lower bound (ELBO) without its constant terms, as scikit-learn computes it
   * after each M-step; unlike GaussianMixture's it is a total, not a per-sample mean.
   */
  protected lowerBound(_meanLogLikelihood: number, respLogResp: number): number {
    const { nComponents: k, covarianceType: type } = this.params;
    const d = this.means_.cols;
    const logDet = logDetPrecisionCholesky((this.kernel as LogProbKernel).factors, type, k, d);
    const dof = this.degreesOfFreedom_;
    const wishartNorm = (c: number): number => {
      const logDetPrecChol = logDet[c] - 0.5 * d * Math.log(dof[c]);
      let g = 0;
      for (let j = 0; j < d; j++) g += gammaln(0.5 * (dof[c] - j));
      return -(dof[c] * logDetPrecChol + dof[c] * d * 0.5 * LN2 + g);
    };
    let logWishart = 0;
    if (type === 'tied') {
      logWishart = k * wishartNorm(0);
    } else {
      for (let c = 0; c < k; c++) logWishart += wishartNorm(c);
    }
    const wc = this.weightConcentration_;
    let logNormWeight = 0;
    if (this.params.weightConcentrationPriorType === 'dirichlet_process') {
      for (let c = 0; c < k; c++) logNormWeight -= betaln(wc[c], wc[k + c]);
    } else {
      let sum = 0, lg = 0;
      for (let c = 0; c < k; c++) {
        sum += wc[c];
        lg += gammaln(wc[c]);
      }
      logNormWeight = gammaln(sum) - lg;
    }
    let logMeanPrecision = 0;
    for (let c = 0; c < k; c++) logMeanPrecision += Math.log(this.meanPrecision_[c]);
    return -respLogResp - logWishart - logNormWeight - 0.5 * d * logMeanPrecision;
  }

  protected saveState(): VariationalState {
    // Every M-step allocates fresh arrays, so the references are a snapshot.
    return {
      weightConcentration: this.weightConcentration_,
      meanPrecision: this.meanPrecision_,
      means: this.means_.data,
      degreesOfFreedom: this.degreesOfFreedom_,
      covariances: this.covariances_,
      factors: (this.kernel as LogProbKernel).factors,
    };
  }

  protected restoreState(s: VariationalState): void {
    const k = this.params.nComponents, d = s.means.length / k;
    this.setState(s, d);
  }

  /** Sets the variational parameters and what follows from them: weights_ and the E-step kernel. */
  private setState(s: VariationalState, d: number): void {
    const k = this.params.nComponents;
    this.weightConcentration_ = s.weightConcentration;
    this.meanPrecision_ = s.meanPrecision;
    this.means_ = matrix(k, d, s.means);
    this.degreesOfFreedom_ = s.degreesOfFreedom;
    this.covariances_ = s.covariances;
    this.weights_ = this.expectedWeights();
    this.buildKernel(s.factors);
  }

  /** E[π] under the posterior (scikit-learn's `weights_`). */
  private expectedWeights(): Float64Array {
    const k = this.params.nComponents;
    const wc = this.weightConcentration_;
    const w = new Float64Array(k);
    if (this.params.weightConcentrationPriorType === 'dirichlet_process') {
      let stick = 1;
      for (let c = 0; c < k; c++) {
        const sum = wc[c] + wc[k + c];
        w[c] = (wc[c] / sum) * stick;
        stick *= wc[k + c] / sum;
      }
    } else {
      w.set(wc);
    }
    let total = 0;
    for (let c = 0; c < k; c++) total += w[c];
    for (let c = 0; c < k; c++) w[c] /= total;
    return w;
  }

  /**
   * The E-step's per-component constants: E[log πₖ] and the Wishart expectations
   * −½ d log νₖ + ½ (E[log |Λₖ|] − d / βₖ) that scikit-learn's `_estimate_log_prob` adds.
   */
  private buildKernel(factors: Float64Array): void {
    const { nComponents: k, covarianceType: type } = this.params;
    const d = this.means_.cols;
    const extra = this.logWeights();
    for (let c = 0; c < k; c++) {
      const nu = this.degreesOfFreedom_[c];
      let logLambda = d * LN2;
      for (let j = 0; j < d; j++) logLambda += digamma(0.5 * (nu - j));
      extra[c] += -0.5 * d * Math.log(nu) + 0.5 * (logLambda - d / this.meanPrecision_[c]);
    }
    this.setKernel(makeLogProbKernel(type, k, d, this.means_.data, factors, extra));
  }

  toJSON(): EstimatorJSON<BayesianGaussianMixtureParams> {
    return {
      estimator: 'BayesianGaussianMixture',
      version: FORMAT_VERSION,
      params: { ...this.params },
      fitted: this.kernel
        ? {
            ...this.baseFittedJSON(),
            weightConcentration: Array.from(this.weightConcentration_),
            meanPrecision: Array.from(this.meanPrecision_),
            degreesOfFreedom: Array.from(this.degreesOfFreedom_),
            weightConcentrationPrior: encodeNumber(this.weightConcentrationPrior_),
            meanPrecisionPrior: encodeNumber(this.meanPrecisionPrior_),
            meanPrior: Array.from(this.meanPrior_),
            degreesOfFreedomPrior: encodeNumber(this.degreesOfFreedomPrior_),
            covariancePrior: Array.from(this.covariancePrior_),
          }
        : null,
    };
  }

  static fromJSON(j: EstimatorJSON): BayesianGaussianMixture {
    checkEstimatorJSON(j, 'BayesianGaussianMixture', FORMAT_VERSION);
    const bgm = new BayesianGaussianMixture(j.params as Partial<BayesianGaussianMixtureParams>);
    const f = j.fitted;
    if (f) {
      bgm.restoreBaseJSON(f);
      const k = bgm.params.nComponents, d = bgm.means_.cols;
      const dp = bgm.params.weightConcentrationPriorType === 'dirichlet_process';
      bgm.weightConcentrationPrior_ = decodeNumber(f.weightConcentrationPrior);
      bgm.meanPrecisionPrior_ = decodeNumber(f.meanPrecisionPrior);
      bgm.meanPrior_ = floatArray(f.meanPrior, d, 'meanPrior');
      bgm.degreesOfFreedomPrior_ = decodeNumber(f.degreesOfFreedomPrior);
      bgm.covariancePrior_ = Float64Array.from(f.covariancePrior as number[]);
      bgm.restoreState({
        weightConcentration: floatArray(f.weightConcentration, dp ? 2 * k : k, 'weightConcentration'),
        meanPrecision: floatArray(f.meanPrecision, k, 'meanPrecision'),
        means: bgm.means_.data,
        degreesOfFreedom: floatArray(f.degreesOfFreedom, k, 'degreesOfFreedom'),
        covariances: bgm.covariances_,
        factors: factorCovariances(bgm.covariances_, bgm.params.covarianceType, k, d),
      });
    }
    return bgm;
  }
}

/** Symmetric (numpy allclose) and positive definite (Cholesky succeeds), else a ParameterError. */
function checkSymmetricPositiveDefinite(m: Float64Array, d: number, name: string): void {
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      const u = m[a * d + b], v = m[b * d + a];
      if (!(Math.abs(u - v) <= 1e-8 + 1e-5 * Math.abs(v))) throw new ParameterError(`${name} must be symmetric, positive-definite`);
    }
  }
  if (!choleskyInto(m, 0, d, new Float64Array(d * d), 0)) throw new ParameterError(`${name} must be symmetric, positive-definite`);
}
