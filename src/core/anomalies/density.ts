/**
 * Anomalies as low-density samples under a Gaussian mixture (the chapter's "Anomaly Detection
 * using Gaussian Mixtures"): score = −log density (`−gm.score_samples(X)`), flagged below the
 * density of the chosen percentile (4 % by default, the chapter's share of defective products).
 * For images, the chapter first keeps 99 % of the variance with PCA (`pcaVariance`), fits the
 * mixture in that space, and generates new faces by sampling it and mapping back with the
 * inverse PCA (`sample`).
 */
import { checkEstimatorJSON, type EstimatorJSON } from '../base';
import { DataError } from '../errors';
import type { Matrix } from '../math/matrix';
import { makeRandom } from '../math/random';
import { GaussianMixture, GAUSSIAN_MIXTURE_DEFAULTS } from '../cluster/mixture/gaussianMixture';
import { checkMixtureParams, type InitParams } from '../cluster/mixture/base';
import type { CovarianceType } from '../cluster/mixture/gaussian';
import { PCA } from '../decomposition/pca';
import { checkRandomState } from '../validate';
import { AnomalyDetector, checkComponents, fittedPart, reductionFor, type DetectorFitOptions, type DetectorSummary } from './detector';
import { DEFAULT_PERCENTILE, thresholdForShare, type ThresholdParams } from './threshold';

export interface DensityDetectorParams extends ThresholdParams {
  /** Mixture components. Default 1 (scikit-learn's). */
  nComponents: number;
  covarianceType: CovarianceType;
  tol: number;
  regCovar: number;
  maxIter: number;
  nInit: number;
  initParams: InitParams;
  /** Seed of the mixture's initialisation; undefined draws one (kept in `randomState_`). */
  randomState?: number;
  /**
   * Project on principal components first: a variance ratio in (0, 1) (the chapter's 0.99 for
   * faces) or a component count. Undefined: fit the mixture on the features themselves.
   */
  pcaVariance?: number;
}

export const DENSITY_DEFAULTS: Readonly<DensityDetectorParams> = Object.freeze({
  nComponents: GAUSSIAN_MIXTURE_DEFAULTS.nComponents,
  covarianceType: GAUSSIAN_MIXTURE_DEFAULTS.covarianceType,
  tol: GAUSSIAN_MIXTURE_DEFAULTS.tol,
  regCovar: GAUSSIAN_MIXTURE_DEFAULTS.regCovar,
  maxIter: GAUSSIAN_MIXTURE_DEFAULTS.maxIter,
  nInit: GAUSSIAN_MIXTURE_DEFAULTS.nInit,
  initParams: GAUSSIAN_MIXTURE_DEFAULTS.initParams,
  randomState: undefined,
  pcaVariance: undefined,
  percentile: undefined,
  threshold: undefined,
});

const JSON_VERSION = 1;

/** Samples drawn from the fitted density. */
export interface DensitySample {
  /** In the data's feature space (mapped back through the inverse PCA when there is one), (nSamples, nFeatures). */
  X: Matrix<Float64Array>;
  /** The mixture component of each sample, (nSamples). */
  y: Int32Array;
  /** In the mixture's space (the PCA projection), or null without PCA, (nSamples, nComponents). */
  reduced: Matrix<Float64Array> | null;
}

export class DensityDetector extends AnomalyDetector<DensityDetectorParams> {
  readonly method = 'gmm' as const;
  mixture_?: GaussianMixture;
  /** The projection the mixture was fitted in, or null. */
  pca_: PCA | null = null;
  /** The seed the mixture used. */
  randomState_: number | null = null;

  constructor(params: Partial<DensityDetectorParams> = {}) {
    super({ ...DENSITY_DEFAULTS, ...params });
  }

  protected checkParams(): void {
    const p = this.params;
    checkMixtureParams({ ...p, randomState: checkRandomState(p.randomState) });
    if (p.pcaVariance !== undefined && p.pcaVariance !== null) checkComponents('pcaVariance', p.pcaVariance);
  }

  protected learn(X: Matrix, rows: Int32Array | null, opts: DetectorFitOptions): Float64Array {
    const p = this.params;
    const reduce = p.pcaVariance !== undefined && p.pcaVariance !== null;
    const pca = reduce ? reductionFor(X, rows, p.pcaVariance!, opts.reduction, (f) => opts.onProgress?.(0.4 * f)) : null;
    const Z = pca ? this.projectOn(pca, X) : X;
    const seed = p.randomState ?? makeRandom(undefined).nextUint32();
    const mixture = new GaussianMixture({
      nComponents: p.nComponents,
      covarianceType: p.covarianceType,
      tol: p.tol,
      regCovar: p.regCovar,
      maxIter: p.maxIter,
      nInit: p.nInit,
      initParams: p.initParams,
      randomState: seed,
    });
    const start = reduce ? 0.4 : 0;
    mixture.fit(fittedPart(Z, rows), null, { onProgress: (f) => opts.onProgress?.(start + (0.95 - start) * f) });
    this.mixture_ = mixture;
    this.pca_ = pca;
    this.randomState_ = seed;
    return negate(mixture.scoreSamples(Z));
  }

  protected defaultThreshold(scores: Float64Array): number {
    return thresholdForShare(scores, DEFAULT_PERCENTILE);
  }

  /** −log density of each sample under the fitted mixture, (nSamples). */
  scoreSamples(X: Matrix): Float64Array {
    this.checkFitted();
    return negate(this.mixture_!.scoreSamples(this.pca_ ? this.projectOn(this.pca_, X) : X));
  }

  /**
   * Draws new samples from the mixture (the chapter's generated faces): in the mixture's space,
   * then back through the inverse PCA.
   */
  sample(nSamples: number, randomState?: number): DensitySample {
    this.checkFitted();
    const drawn = this.mixture_!.sample(nSamples, randomState ?? this.randomState_ ?? undefined);
    if (!this.pca_) return { X: drawn.X, y: drawn.y, reduced: null };
    return { X: this.pca_.inverseTransform(drawn.X), y: drawn.y, reduced: drawn.X };
  }

  summary(): DetectorSummary {
    this.checkFitted();
    const m = this.mixture_!;
    return {
      nComponents: this.params.nComponents,
      covarianceType: this.params.covarianceType,
      converged: m.converged_,
      nIter: m.nIter_,
      lowerBound: m.lowerBound_,
      randomState: this.randomState_ ?? -1,
      ...(this.pca_ ? { pcaComponents: this.pca_.nComponents_ } : {}),
    };
  }

  toJSON(): EstimatorJSON<DensityDetectorParams> {
    return {
      estimator: 'DensityDetector',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.scores_
        ? {
            ...this.baseFittedJSON(),
            mixture_: this.mixture_!.toJSON(),
            pca_: this.pca_ ? this.pca_.toJSON() : null,
            randomState_: this.randomState_,
          }
        : null,
    };
  }

  static fromJSON(j: EstimatorJSON): DensityDetector {
    checkEstimatorJSON(j, 'DensityDetector', JSON_VERSION);
    const e = new DensityDetector(j.params as Partial<DensityDetectorParams>);
    const f = j.fitted;
    if (f) {
      e.restoreBaseJSON(f);
      e.mixture_ = GaussianMixture.fromJSON(f.mixture_ as EstimatorJSON);
      e.pca_ = f.pca_ ? PCA.fromJSON(f.pca_ as EstimatorJSON) : null;
      e.randomState_ = typeof f.randomState_ === 'number' ? f.randomState_ : null;
      if (e.pca_ && e.pca_.nComponents_ !== e.mixture_.means_.cols) throw new DataError('saved DensityDetector: the PCA and the mixture disagree on the dimension');
    }
    return e;
  }
}

function negate(a: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = -a[i];
  return a;
}
