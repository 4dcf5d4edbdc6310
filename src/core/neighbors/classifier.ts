/**
 * k-nearest-neighbours classification (scikit-learn's `KNeighborsClassifier`, Euclidean
 * metric): a query takes the vote of its k nearest training samples, uniformly or weighted by
 * inverse distance. Neighbours are ordered by distance, then index; equal votes go to the lower
 * class label, as scikit-learn's mode and argmax do.
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
} from '../base';
import { DataError, NotFittedError, ParameterError } from '../errors';
import { checkMatrix, type Matrix, toFloat64 } from '../math/matrix';
import { checkInt, checkOneOf } from '../validate';
import type { KNeighborsResult, NeighborIndex } from './query';
import { buildNeighborIndex } from './search';

export interface KNeighborsClassifierParams {
  /** Neighbours that vote, ≥ 1 and at most the number of training samples. */
  nNeighbors: number;
  /** `'uniform'`: one vote each; `'distance'`: votes weighted by 1 / distance. */
  weights: 'uniform' | 'distance';
  /** Neighbour search; `'auto'` picks a KD-tree up to 15 features, brute force above. */
  algorithm: 'auto' | 'grid' | 'kd_tree' | 'brute';
  /** Points per KD-tree leaf. */
  leafSize: number;
}

const DEFAULTS: KNeighborsClassifierParams = { nNeighbors: 5, weights: 'uniform', algorithm: 'auto', leafSize: 30 };
const VERSION = 1;

export class KNeighborsClassifier implements Estimator<KNeighborsClassifierParams> {
  readonly params: Readonly<KNeighborsClassifierParams>;
  /** The distinct training labels, ascending: the columns of predictProba. */
  classes_?: Int32Array;
  nFeaturesIn_?: number;
  nSamplesFit_?: number;
  /** A float64 copy of the training samples, (nSamplesFit, nFeatures). */
  private fitX?: Matrix<Float64Array>;
  /** Training labels, (nSamplesFit). */
  private fitY?: Int32Array;
  /** Position of each training label in classes_, (nSamplesFit). */
  private yIndex?: Int32Array;
  private index?: NeighborIndex;

  constructor(params: Partial<KNeighborsClassifierParams> = {}) {
    this.params = Object.freeze({ ...DEFAULTS, ...params });
  }

  private checkParams(nSamples: number): void {
    const p = this.params;
    checkInt('nNeighbors', p.nNeighbors, 1);
    if (p.nNeighbors > nSamples) {
      throw new ParameterError(`nNeighbors must be at most the number of training samples (${nSamples}), got ${p.nNeighbors}`);
    }
    checkOneOf('weights', p.weights, ['uniform', 'distance']);
    checkOneOf('algorithm', p.algorithm, ['auto', 'grid', 'kd_tree', 'brute']);
    checkInt('leafSize', p.leafSize, 1);
  }

  /** Stores the training samples `X`, (nSamples, nFeatures), and their labels `y`, (nSamples). */
  fit(X: Matrix, y?: ArrayLike<number> | null, opts: FitOptions = {}): this {
    checkMatrix(X);
    this.checkParams(X.rows);
    if (!y) throw new DataError('KNeighborsClassifier.fit needs the labels y');
    if (y.length !== X.rows) throw new DataError(`y has ${y.length} labels for ${X.rows} samples`);
    const labels = new Int32Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new DataError(`y[${i}] = ${v} is not a 32-bit integer label`);
      labels[i] = v;
    }
    this.setFitted(toFloat64(X), labels);
    opts.onProgress?.(1);
    return this;
  }

  private setFitted(X: Matrix<Float64Array>, y: Int32Array): void {
    const classes = Int32Array.from(new Set(y)).sort();
    const position = new Map<number, number>();
    classes.forEach((c, i) => position.set(c, i));
    const yIndex = new Int32Array(y.length);
    for (let i = 0; i < y.length; i++) yIndex[i] = position.get(y[i])!;
    this.fitX = X;
    this.fitY = y;
    this.yIndex = yIndex;
    this.classes_ = classes;
    this.nFeaturesIn_ = X.cols;
    this.nSamplesFit_ = X.rows;
    const algorithm = this.params.algorithm === 'auto' ? (X.cols <= 15 ? 'kd_tree' : 'brute') : this.params.algorithm;
    this.index = buildNeighborIndex(X, { algorithm, leafSize: this.params.leafSize });
  }

  private fitted(): NeighborIndex {
    if (!this.index) throw new NotFittedError('KNeighborsClassifier');
    return this.index;
  }

  /**
   * The `k` (default nNeighbors) nearest training samples of each row of `X`, (nQueries,
   * nFeatures): distances (nQueries, k) and indices (nQueries × k, row-major), nearest first.
   */
  kneighbors(X: Matrix, k: number = this.params.nNeighbors): KNeighborsResult {
    const index = this.fitted();
    checkMatrix(X, { minSamples: 0 });
    if (X.cols !== this.nFeaturesIn_) throw new DataError(`X has ${X.cols} features, the classifier was fitted on ${this.nFeaturesIn_}`);
    if (!Number.isInteger(k) || k < 1 || k > index.size) {
      throw new ParameterError(`nNeighbors must be an integer in [1, ${index.size}] (the training samples), got ${k}`);
    }
    return index.kneighbors(X, k);
  }

  /** Summed votes per class, (nQueries, nClasses), before normalisation. */
  private votes(X: Matrix): Matrix<Float64Array> {
    const { distances, indices } = this.kneighbors(X);
    const k = this.params.nNeighbors, nc = this.classes_!.length, yIndex = this.yIndex!, dist = distances.data;
    const out = new Float64Array(X.rows * nc);
    const byDistance = this.params.weights === 'distance';
    for (let r = 0; r < X.rows; r++) {
      const o = r * k;
      // scikit-learn's rule: a query that coincides with training samples takes their vote only.
      let exact = false;
      if (byDistance) for (let m = 0; m < k && !exact; m++) exact = dist[o + m] === 0;
      for (let m = 0; m < k; m++) {
        const w = !byDistance ? 1 : exact ? (dist[o + m] === 0 ? 1 : 0) : 1 / dist[o + m];
        out[r * nc + yIndex[indices[o + m]]] += w;
      }
    }
    return { rows: X.rows, cols: nc, data: out };
  }

  /** Class probabilities of each row of `X`, (nQueries, nClasses), columns in classes_ order. */
  predictProba(X: Matrix): Matrix<Float64Array> {
    const v = this.votes(X), nc = v.cols, data = v.data;
    for (let r = 0; r < v.rows; r++) {
      let s = 0;
      for (let c = 0; c < nc; c++) s += data[r * nc + c];
      if (s === 0) s = 1;
      for (let c = 0; c < nc; c++) data[r * nc + c] /= s;
    }
    return v;
  }

  /** The winning class of each row of `X`, (nQueries); ties go to the lower label. */
  predict(X: Matrix): Int32Array {
    const v = this.votes(X), nc = v.cols, data = v.data, classes = this.classes_!;
    const out = new Int32Array(v.rows);
    for (let r = 0; r < v.rows; r++) {
      let best = 0;
      for (let c = 1; c < nc; c++) if (data[r * nc + c] > data[r * nc + best]) best = c;
      out[r] = classes[best];
    }
    return out;
  }

  toJSON(): EstimatorJSON<KNeighborsClassifierParams> {
    const fitted = this.fitX && this.fitY ? { fitX: encodeMatrix(this.fitX), fitY: encodeArray(this.fitY) } : null;
    return { estimator: 'KNeighborsClassifier', version: VERSION, params: { ...this.params }, fitted };
  }

  static fromJSON(json: EstimatorJSON): KNeighborsClassifier {
    checkEstimatorJSON(json, 'KNeighborsClassifier', VERSION);
    const e = new KNeighborsClassifier(json.params as Partial<KNeighborsClassifierParams>);
    if (json.fitted) {
      const X = decodeMatrix(json.fitted.fitX as never), y = decodeArray(json.fitted.fitY as never);
      if (!(X.data instanceof Float64Array) || !(y instanceof Int32Array) || y.length !== X.rows) {
        throw new DataError('saved KNeighborsClassifier: expected float64 samples and as many int32 labels');
      }
      e.setFitted(X as Matrix<Float64Array>, y);
    }
    return e;
  }
}
