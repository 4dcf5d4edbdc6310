/**
 * Anomalies as samples PCA reconstructs badly (the chapter's exercise 13): keep the components
 * that explain 99 % of the variance, map every sample there and back, and score it by the
 * squared reconstruction error ‖x − inverse_transform(transform(x))‖². The chapter reports the
 * mean over pixels; the sum ranks the samples identically and does not depend on the image size.
 * A reconstructed anomaly looks like a normal sample (a rotated face comes back as a blurred
 * upright face), which is what the review queue shows beside the original.
 */
import { checkEstimatorJSON, type EstimatorJSON } from '../base';
import type { Matrix } from '../math/matrix';
import { PCA } from '../decomposition/pca';
import { project, reconstructRows } from './projection';
import { AnomalyDetector, checkComponents, reductionFor, type DetectorFitOptions, type DetectorSummary } from './detector';
import { DEFAULT_PERCENTILE, thresholdForShare, type ThresholdParams } from './threshold';

export interface ReconstructionDetectorParams extends ThresholdParams {
  /** Components kept: a variance ratio in (0, 1) or a count. Default 0.99 (the chapter's). */
  variance: number;
}

export const RECONSTRUCTION_DEFAULTS: Readonly<ReconstructionDetectorParams> = Object.freeze({
  variance: 0.99,
  percentile: undefined,
  threshold: undefined,
});

const JSON_VERSION = 1;

export class ReconstructionDetector extends AnomalyDetector<ReconstructionDetectorParams> {
  readonly method = 'pca' as const;
  pca_?: PCA;

  constructor(params: Partial<ReconstructionDetectorParams> = {}) {
    super({ ...RECONSTRUCTION_DEFAULTS, ...params });
  }

  protected checkParams(): void {
    checkComponents('variance', this.params.variance);
  }

  protected learn(X: Matrix, rows: Int32Array | null, opts: DetectorFitOptions): Float64Array {
    const pca = reductionFor(X, rows, this.params.variance, opts.reduction, (f) => opts.onProgress?.(0.7 * f));
    this.pca_ = pca;
    return project(this.packed(pca), X, { errors: true, onProgress: (f) => opts.onProgress?.(0.7 + 0.25 * f) }).errors!;
  }

  protected defaultThreshold(scores: Float64Array): number {
    return thresholdForShare(scores, DEFAULT_PERCENTILE);
  }

  /** Squared reconstruction error of each sample, (nSamples). */
  scoreSamples(X: Matrix): Float64Array {
    this.checkFitted();
    return project(this.packed(this.pca_!), X, { errors: true }).errors!;
  }

  /** What PCA makes of each sample: inverse_transform(transform(X)), (nSamples, nFeatures). */
  reconstruct(X: Matrix): Matrix<Float64Array> {
    this.checkFitted();
    return reconstructRows(this.packed(this.pca_!), X);
  }

  summary(): DetectorSummary {
    this.checkFitted();
    const pca = this.pca_!;
    let kept = 0;
    for (const r of pca.explainedVarianceRatio_) kept += r;
    return { pcaComponents: pca.nComponents_, explainedVariance: kept };
  }

  toJSON(): EstimatorJSON<ReconstructionDetectorParams> {
    return {
      estimator: 'ReconstructionDetector',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.scores_ ? { ...this.baseFittedJSON(), pca_: this.pca_!.toJSON() } : null,
    };
  }

  static fromJSON(j: EstimatorJSON): ReconstructionDetector {
    checkEstimatorJSON(j, 'ReconstructionDetector', JSON_VERSION);
    const e = new ReconstructionDetector(j.params as Partial<ReconstructionDetectorParams>);
    if (j.fitted) {
      e.restoreBaseJSON(j.fitted);
      e.pca_ = PCA.fromJSON(j.fitted.pca_ as EstimatorJSON);
    }
    return e;
  }
}
