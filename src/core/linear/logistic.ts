/**
 * Logistic regression as scikit-learn 1.2's `LogisticRegression(solver='lbfgs')`: the summed
 * log-loss plus ½·‖w‖²/C (intercept unpenalized, see ./loss.ts), minimized by our L-BFGS (./lbfgs.ts,
 * scipy's L-BFGS-B path) from zero, either as one multinomial problem or one binary problem per
 * class (one-vs-rest).
 */
import { checkEstimatorJSON, decodeArray, decodeMatrix, encodeArray, encodeMatrix, type Estimator, type EstimatorJSON, type FitOptions } from '../base';
import { DataError, NotFittedError, ParameterError } from '../errors';
import { checkMatrix, type Matrix } from '../math/matrix';
import { checkInt, checkNumber, checkOneOf } from '../validate';
import { minimizeLbfgs } from './lbfgs';
import { binaryLossGradient, multinomialLossGradient } from './loss';

export interface LogisticRegressionParams {
  /** 'l2' adds ½·‖w‖²/C; 'none' fits without penalty (C is then ignored). */
  penalty: 'l2' | 'none';
  /** Inverse regularization strength, > 0. It weighs the summed loss, so it grows with n. */
  C: number;
  /** 'auto': multinomial for more than two classes, one-vs-rest for two (scikit-learn 1.2). */
  multiClass: 'auto' | 'ovr' | 'multinomial';
  /** L-BFGS iteration limit, per binary problem in one-vs-rest. */
  maxIter: number;
  /** Stop when the largest gradient component is at most `tol` (scipy's `gtol`). */
  tol: number;
  fitIntercept: boolean;
  solver: 'lbfgs';
}

export const LOGISTIC_REGRESSION_DEFAULTS: Readonly<LogisticRegressionParams> = Object.freeze({
  penalty: 'l2',
  C: 1.0,
  multiClass: 'auto',
  maxIter: 100,
  tol: 1e-4,
  fitIntercept: true,
  solver: 'lbfgs',
});

const JSON_VERSION = 1;

export class LogisticRegression implements Estimator<LogisticRegressionParams> {
  readonly params: Readonly<LogisticRegressionParams>;

  /** The distinct labels seen in `fit`, sorted, shape (nClasses). */
  classes_!: Int32Array;
  /** Weights, shape (nClasses, nFeatures), or (1, nFeatures) for two classes (of `classes_[1]`). */
  coef_!: Matrix<Float64Array>;
  /** Intercepts, shape (nClasses) or (1) for two classes; zeros without `fitIntercept`. */
  intercept_!: Float64Array;
  /** L-BFGS iterations per binary problem (one-vs-rest) or of the one multinomial problem. */
  nIter_!: Int32Array;
  /** False when an optimization stopped on `maxIter` or a failed line search (scikit-learn warns). */
  converged_!: boolean;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    this.params = Object.freeze({ ...LOGISTIC_REGRESSION_DEFAULTS, ...params });
  }

  /**
   * Fits on `X` (nSamples, nFeatures) and integer labels `y` (nSamples) with at least two distinct
   * values. Progress is reported per L-BFGS iteration.
   */
  fit(X: Matrix, y?: ArrayLike<number> | null, opts: FitOptions = {}): this {
    const p = validateParams(this.params);
    checkMatrix(X);
    const labels = checkLabels(y, X.rows);
    const classes = uniqueSorted(labels);
    if (classes.length < 2) {
      throw new DataError(`LogisticRegression needs samples of at least 2 classes, got only class ${classes[0]}`);
    }
    const nClasses = classes.length;
    const d = X.cols;
    const dof = d + (p.fitIntercept ? 1 : 0);
    const l2 = p.penalty === 'none' ? 0 : 1 / p.C;
    const multinomial = isMultinomial(p.multiClass, nClasses);
    const nModels = multinomial ? 1 : nClasses === 2 ? 1 : nClasses;
    const nOut = nClasses === 2 ? 1 : nClasses;
    const coef = new Float64Array(nOut * d);
    const intercept = new Float64Array(nOut);
    const nIter = new Int32Array(nModels);
    let converged = true;

    const lbfgsOptions = (model: number) => ({
      maxIter: p.maxIter,
      gtol: p.tol,
      onIteration: opts.onProgress ? (it: number) => opts.onProgress!(Math.min(1, (model + it / p.maxIter) / nModels)) : undefined,
    });

    if (multinomial) {
      const yIndex = new Int32Array(labels.length);
      for (let i = 0; i < labels.length; i++) yIndex[i] = indexOfSorted(classes, labels[i]);
      const res = minimizeLbfgs(
        (w, g) => multinomialLossGradient(X, yIndex, nClasses, w, l2, p.fitIntercept, g),
        new Float64Array(nClasses * dof),
        lbfgsOptions(0),
      );
      nIter[0] = Math.min(res.nIter, p.maxIter);
      converged = res.converged;
      // With two classes scikit-learn keeps only the second class's row: at the optimum the
      // rows are opposite, so it carries the whole model (see predictProba).
      const first = nClasses === 2 ? 1 : 0;
      for (let k = 0; k < nOut; k++) {
        for (let j = 0; j < d; j++) coef[k * d + j] = res.x[j * nClasses + first + k];
        if (p.fitIntercept) intercept[k] = res.x[d * nClasses + first + k];
      }
    } else {
      const target = new Float64Array(labels.length);
      for (let c = 0; c < nModels; c++) {
        const positive = classes[nClasses === 2 ? 1 : c];
        for (let i = 0; i < labels.length; i++) target[i] = labels[i] === positive ? 1 : 0;
        const res = minimizeLbfgs((w, g) => binaryLossGradient(X, target, w, l2, p.fitIntercept, g), new Float64Array(dof), lbfgsOptions(c));
        nIter[c] = Math.min(res.nIter, p.maxIter);
        converged &&= res.converged;
        coef.set(res.x.subarray(0, d), c * d);
        if (p.fitIntercept) intercept[c] = res.x[d];
      }
    }
    opts.onProgress?.(1);

    this.classes_ = classes;
    this.coef_ = { rows: nOut, cols: d, data: coef };
    this.intercept_ = intercept;
    this.nIter_ = nIter;
    this.converged_ = converged;
    return this;
  }

  /**
   * Signed distances to the hyperplanes, X·coefᵀ + intercept: shape (nSamples, nClasses), or
   * (nSamples, 1) for two classes (positive means `classes_[1]`).
   */
  decisionFunction(X: Matrix): Matrix<Float64Array> {
    this.checkFitted(X);
    const { rows: n, cols: d, data } = X;
    const { rows: K, data: W } = this.coef_;
    const b = this.intercept_;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let k = 0; k < K; k++) {
        const w = k * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += data[o + j] * W[w + j];
        out[i * K + k] = s + b[k];
      }
    }
    return { rows: n, cols: K, data: out };
  }

  /**
   * Class probabilities, shape (nSamples, nClasses), columns in the order of `classes_`: the
   * softmax of the decision values for a multinomial model; for one-vs-rest, the sigmoid of each
   * decision value, normalized to sum to 1 (as scikit-learn and LIBLINEAR do).
   */
  predictProba(X: Matrix): Matrix<Float64Array> {
    const dec = this.decisionFunction(X);
    const n = dec.rows;
    const K = this.classes_.length;
    const out = new Float64Array(n * K);
    const multinomial = isMultinomial(this.params.multiClass, K);
    for (let i = 0; i < n; i++) {
      const row = i * K;
      if (K === 2) {
        const t = dec.data[i];
        // softmax([−t, t]) = σ(2t) for the two-class multinomial model.
        const p1 = sigmoid(multinomial ? 2 * t : t);
        out[row] = 1 - p1;
        out[row + 1] = p1;
      } else if (multinomial) {
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, dec.data[row + k]);
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(dec.data[row + k] - max);
          out[row + k] = e;
          sum += e;
        }
        for (let k = 0; k < K; k++) out[row + k] /= sum;
      } else {
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const v = sigmoid(dec.data[row + k]);
          out[row + k] = v;
          sum += v;
        }
        for (let k = 0; k < K; k++) out[row + k] /= sum;
      }
    }
    return { rows: n, cols: K, data: out };
  }

  /** The most likely class of every sample, shape (nSamples). */
  predict(X: Matrix): Int32Array {
    const dec = this.decisionFunction(X);
    const n = dec.rows, K = dec.cols;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (K === 1) {
        out[i] = this.classes_[dec.data[i] > 0 ? 1 : 0];
        continue;
      }
      let best = 0;
      for (let k = 1; k < K; k++) if (dec.data[i * K + k] > dec.data[i * K + best]) best = k;
      out[i] = this.classes_[best];
    }
    return out;
  }

  /** Accuracy of `predict(X)` against `y` (nSamples). */
  score(X: Matrix, y: ArrayLike<number>): number {
    if (y.length !== X.rows) throw new DataError(`y has ${y.length} labels for ${X.rows} samples`);
    const pred = this.predict(X);
    let hits = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) hits++;
    return pred.length === 0 ? NaN : hits / pred.length;
  }

  toJSON(): EstimatorJSON<LogisticRegressionParams> {
    return {
      estimator: 'LogisticRegression',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.classes_
        ? {
            classes_: encodeArray(this.classes_),
            coef_: encodeMatrix(this.coef_),
            intercept_: encodeArray(this.intercept_),
            nIter_: encodeArray(this.nIter_),
            converged_: this.converged_,
          }
        : null,
    };
  }

  static fromJSON(json: EstimatorJSON): LogisticRegression {
    checkEstimatorJSON(json, 'LogisticRegression', JSON_VERSION);
    const e = new LogisticRegression(json.params as Partial<LogisticRegressionParams>);
    const f = json.fitted;
    if (f) {
      e.classes_ = decodeArray(f.classes_ as never) as Int32Array;
      e.coef_ = decodeMatrix(f.coef_ as never) as Matrix<Float64Array>;
      e.intercept_ = decodeArray(f.intercept_ as never) as Float64Array;
      e.nIter_ = decodeArray(f.nIter_ as never) as Int32Array;
      e.converged_ = f.converged_ === true;
      if (!(e.classes_ instanceof Int32Array) || e.intercept_.length !== e.coef_.rows) {
        throw new DataError('saved LogisticRegression has inconsistent fitted attributes');
      }
    }
    return e;
  }

  private checkFitted(X: Matrix): void {
    if (!this.coef_) throw new NotFittedError('LogisticRegression');
    checkMatrix(X, { minSamples: 0 });
    if (X.cols !== this.coef_.cols) {
      throw new DataError(`X has ${X.cols} features, but LogisticRegression was fitted with ${this.coef_.cols}`);
    }
  }
}

function validateParams(p: Readonly<LogisticRegressionParams>): LogisticRegressionParams {
  checkOneOf('penalty', p.penalty, ['l2', 'none'] as const);
  checkNumber('C', p.C, 0, Infinity, { minExclusive: true });
  checkOneOf('multiClass', p.multiClass, ['auto', 'ovr', 'multinomial'] as const);
  checkInt('maxIter', p.maxIter, 1);
  checkNumber('tol', p.tol, 0);
  if (typeof p.fitIntercept !== 'boolean') throw new ParameterError(`fitIntercept must be a boolean, got ${String(p.fitIntercept)}`);
  checkOneOf('solver', p.solver, ['lbfgs'] as const);
  return p;
}

function isMultinomial(multiClass: LogisticRegressionParams['multiClass'], nClasses: number): boolean {
  return multiClass === 'multinomial' || (multiClass === 'auto' && nClasses > 2);
}

function checkLabels(y: ArrayLike<number> | null | undefined, n: number): Int32Array {
  if (y === null || y === undefined) throw new DataError('LogisticRegression.fit needs labels y');
  if (y.length !== n) throw new DataError(`y has ${y.length} labels for ${n} samples`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new DataError(`y[${i}] = ${v} is not an integer class label`);
    out[i] = v;
  }
  return out;
}

function uniqueSorted(labels: Int32Array): Int32Array {
  const sorted = labels.slice().sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i];
  return sorted.slice(0, m);
}

function indexOfSorted(sorted: Int32Array, v: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** scipy's `expit`, as scikit-learn uses it (exp(−t) overflowing to ∞ gives 0, as it should). */
function sigmoid(t: number): number {
  return 1 / (1 + Math.exp(-t));
}
