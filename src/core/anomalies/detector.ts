/**
 * What the three anomaly detectors share: a model learned from some rows (all by default), a
 * score for every row (higher = more anomalous), a threshold and the flagged rows, most
 * anomalous first. Rows left out of the fit are still scored: that is how the chapter checks its
 * detectors (the model learns the real faces, the doctored ones are scored against it), and how a
 * reviewer keeps confirmed anomalies from shaping the model that judges the rest.
 */
import type { Estimator, EstimatorJSON, FitOptions } from '../base';
import { decodeArray, encodeArray } from '../base';
import { DataError, NotFittedError, ParameterError } from '../errors';
import { checkMatrix, takeRows, type Matrix } from '../math/matrix';
import { PCA } from '../decomposition/pca';
import { packPCA, project, type PackedPCA } from './projection';
import { checkThresholdParams, flaggedAbove, resolveThreshold, type ThresholdParams, type ThresholdSource } from './threshold';

export type DetectorMethod = 'gmm' | 'pca' | 'dbscan';
export const DETECTOR_METHODS: readonly DetectorMethod[] = ['gmm', 'pca', 'dbscan'];

export interface DetectorFitOptions extends FitOptions {
  /**
   * The rows the model learns from, distinct, in 0..nSamples−1 (every row is scored either
   * way). Default: all rows.
   */
  fitRows?: ArrayLike<number>;
  /**
   * A PCA already fitted on the same rows with the same number of components, shared between
   * detectors run side by side (it is used as given, not refitted).
   */
  reduction?: PCA;
}

/** A few learned numbers worth showing beside the scores (components kept, iterations…). */
export type DetectorSummary = Record<string, number | string | boolean>;

export abstract class AnomalyDetector<P extends ThresholdParams> implements Estimator<P> {
  readonly params: Readonly<P>;
  abstract readonly method: DetectorMethod;
  /** Score of every sample given to `fit`, higher = more anomalous, (nSamples). */
  scores_?: Float64Array;
  /** Samples with a score above this are flagged. */
  threshold_ = NaN;
  /** Where the threshold came from: a percentile, a given value, or the method's default. */
  thresholdSource_: ThresholdSource = 'default';
  /** The flagged samples, most anomalous first (score descending, ties by row). */
  flagged_?: Int32Array;
  /** Number of rows the model learned from. */
  nFitted_ = 0;
  private packedCache: PackedPCA | null = null;

  protected constructor(params: P) {
    this.params = Object.freeze(params);
  }

  /** Validates the method's hyperparameters (called first in `fit`). */
  protected abstract checkParams(): void;
  /** Learns the model from `X` restricted to `fitRows` (null = all) and returns every row's score. */
  protected abstract learn(X: Matrix, fitRows: Int32Array | null, opts: DetectorFitOptions): Float64Array;
  /** The threshold when the parameters give neither a percentile nor a value. */
  protected abstract defaultThreshold(scores: Float64Array): number;
  /** Scores of new samples against the fitted model, (nSamples). */
  abstract scoreSamples(X: Matrix): Float64Array;
  abstract summary(): DetectorSummary;
  abstract toJSON(): EstimatorJSON<P>;

  /**
   * Learns from X (or from `opts.fitRows` of it), scores every row and flags those above the
   * threshold.
   * @param X (nSamples, nFeatures).
   */
  fit(X: Matrix, _y?: ArrayLike<number> | null, opts: DetectorFitOptions = {}): this {
    checkThresholdParams(this.params);
    this.checkParams();
    checkMatrix(X, { minSamples: 2 });
    const rows = checkFitRows(opts.fitRows, X.rows);
    const scores = this.learn(X, rows, opts);
    const t = resolveThreshold(scores, this.params, () => this.defaultThreshold(scores));
    this.scores_ = scores;
    this.threshold_ = t.value;
    this.thresholdSource_ = t.source;
    this.flagged_ = flaggedAbove(scores, t.value);
    this.nFitted_ = rows ? rows.length : X.rows;
    opts.onProgress?.(1);
    return this;
  }

  /** The training samples flagged at another threshold (the review queue's slider), most anomalous first. */
  flaggedAt(threshold: number): Int32Array {
    if (!this.scores_) throw new NotFittedError(this.constructor.name);
    return flaggedAbove(this.scores_, threshold);
  }

  /** The PCA packed for blocked projections, built once per PCA. */
  protected packed(pca: PCA): PackedPCA {
    if (this.packedCache?.pca !== pca) this.packedCache = packPCA(pca);
    return this.packedCache;
  }

  /** Coordinates of X on the PCA's components, (nSamples, nComponents). */
  protected projectOn(pca: PCA, X: Matrix, onProgress?: (f: number) => void): Matrix<Float64Array> {
    return project(this.packed(pca), X, { onProgress }).Z;
  }

  protected checkFitted(): void {
    if (!this.scores_) throw new NotFittedError(this.constructor.name);
  }

  /** The learned attributes every detector saves. */
  protected baseFittedJSON(): Record<string, unknown> {
    return {
      scores_: encodeArray(this.scores_!),
      threshold_: this.threshold_,
      thresholdSource_: this.thresholdSource_,
      flagged_: encodeArray(this.flagged_!),
      nFitted_: this.nFitted_,
    };
  }

  protected restoreBaseJSON(f: Record<string, unknown>): void {
    const scores = decodeArray(f.scores_ as never), flagged = decodeArray(f.flagged_ as never);
    if (!(scores instanceof Float64Array) || !(flagged instanceof Int32Array)) throw new DataError('saved detector: scores must be float64 and flagged rows int32');
    this.scores_ = scores;
    this.flagged_ = flagged;
    this.threshold_ = Number(f.threshold_);
    const source = f.thresholdSource_;
    this.thresholdSource_ = source === 'percentile' || source === 'value' ? source : 'default';
    this.nFitted_ = Number(f.nFitted_);
  }
}

/** Checks `fitRows` and returns them as int32 (null when absent: all rows). */
export function checkFitRows(fitRows: ArrayLike<number> | undefined | null, nSamples: number): Int32Array | null {
  if (fitRows === undefined || fitRows === null) return null;
  const rows = new Int32Array(fitRows.length);
  const seen = new Uint8Array(nSamples);
  for (let r = 0; r < fitRows.length; r++) {
    const i = fitRows[r];
    if (!Number.isInteger(i) || i < 0 || i >= nSamples) throw new DataError(`fitRows: row ${i} is outside 0..${nSamples - 1}`);
    if (seen[i]) throw new DataError(`fitRows: row ${i} is given twice`);
    seen[i] = 1;
    rows[r] = i;
  }
  if (rows.length < 2) throw new DataError(`the model must learn from at least 2 rows, fitRows has ${rows.length}`);
  return rows;
}

/** X restricted to the fitted rows (X itself when all rows are fitted). */
export function fittedPart(X: Matrix, rows: Int32Array | null): Matrix {
  return rows ? takeRows(X, rows) : X;
}

/**
 * The PCA a detector projects with: the shared one when given (checked against the data), else a
 * fresh fit on the fitted rows.
 */
export function reductionFor(
  X: Matrix,
  rows: Int32Array | null,
  nComponents: number,
  given: PCA | undefined,
  onProgress?: (fraction: number) => void,
): PCA {
  if (given) {
    if (!given.components_) throw new NotFittedError('PCA (the shared reduction)');
    if (given.mean_.length !== X.cols) throw new DataError(`the shared PCA was fitted on ${given.mean_.length} features, X has ${X.cols}`);
    return given;
  }
  return new PCA({ nComponents }).fit(fittedPart(X, rows), null, { onProgress });
}

/** Checks a PCA size: a component count ≥ 1 or a variance ratio in (0, 1). */
export function checkComponents(name: string, v: unknown): number {
  if (typeof v === 'number' && ((v > 0 && v < 1) || (Number.isInteger(v) && v >= 1))) return v;
  throw new ParameterError(`${name} must be a variance ratio in (0, 1) or a component count >= 1, got ${JSON.stringify(v) ?? String(v)}`);
}
