/**
 * The objectives of scikit-learn 1.2's `lbfgs` logistic regression (`LinearModelLoss` with
 * `HalfBinomialLoss` / `HalfMultinomialLoss`):
 *
 *     L(w, b) = Σᵢ loss(yᵢ, Xᵢ·w + b) + ½·λ·‖w‖²,    λ = 1 / C (0 without penalty)
 *
 * a sum over samples, not a mean — so C scales the data term against the penalty and `tol` is an
 * absolute bound on a gradient that grows with n — and the intercept is not penalized.
 *
 * Each function makes one pass over the rows of X, computing the raw predictions, the loss and
 * the gradient while the row is in cache.
 */
import type { Matrix } from '../math/matrix';

/**
 * Binary objective and gradient. `y` holds 0/1 targets, shape (nSamples); `params` and `grad`
 * have nFeatures (+1) entries. The half binomial loss log(1 + e^r) − y·r and its derivative
 * σ(r) − y are computed in the forms scikit-learn's Cython uses to stay accurate for large |r|.
 * Returns the objective.
 */
export function binaryLossGradient(
  X: Matrix,
  y: ArrayLike<number>,
  params: Float64Array,
  l2: number,
  fitIntercept: boolean,
  grad: Float64Array,
): number {
  const { rows: n, cols: d, data } = X;
  const b = fitIntercept ? params[d] : 0;
  grad.fill(0);
  let loss = 0;
  let gb = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let r = b;
    for (let j = 0; j < d; j++) r += data[o + j] * params[j];
    const yi = y[i];
    let gi: number;
    if (r <= 0) {
      const e = Math.exp(r);
      loss += (r <= -37 ? e : Math.log1p(e)) - yi * r;
      gi = ((1 - yi) * e - yi) / (1 + e);
    } else {
      const e = Math.exp(-r);
      loss += (r <= 18 ? Math.log1p(e) : e) + (1 - yi) * r;
      gi = (1 - yi - yi * e) / (1 + e);
    }
    gb += gi;
    for (let j = 0; j < d; j++) grad[j] += gi * data[o + j];
  }
  let norm2 = 0;
  for (let j = 0; j < d; j++) {
    norm2 += params[j] * params[j];
    grad[j] += l2 * params[j];
  }
  if (fitIntercept) grad[d] = gb;
  return loss + 0.5 * l2 * norm2;
}

/**
 * Multinomial objective and gradient: loss log Σₖ e^{rₖ} − r_{yᵢ}, derivative softmax(r) − onehot.
 * `yIndex` holds class indices 0..nClasses−1, shape (nSamples). `params` and `grad` have
 * (nFeatures (+1))·nClasses entries laid out feature-major, as scikit-learn ravels them
 * (order 'F'): weight (class k, feature j) at `j·nClasses + k`, intercept k at
 * `nFeatures·nClasses + k`. With the classes of a feature contiguous, each feature value is read
 * once per sample and zero features (half of an image) are skipped. Returns the objective.
 */
export function multinomialLossGradient(
  X: Matrix,
  yIndex: Int32Array,
  nClasses: number,
  params: Float64Array,
  l2: number,
  fitIntercept: boolean,
  grad: Float64Array,
): number {
  const { rows: n, cols: d, data } = X;
  const K = nClasses;
  const bias = d * K;
  const p = new Float64Array(K); // raw predictions, then probabilities, then gradient weights
  grad.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < K; k++) p[k] = fitIntercept ? params[bias + k] : 0;
    for (let j = 0; j < d; j++) {
      const x = data[o + j];
      if (x === 0) continue;
      const w = j * K;
      for (let k = 0; k < K; k++) p[k] += x * params[w + k];
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (p[k] > max) max = p[k];
    const yi = yIndex[i];
    const ry = p[yi];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(p[k] - max);
      p[k] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - ry;
    for (let k = 0; k < K; k++) p[k] = p[k] / sum - (k === yi ? 1 : 0);
    for (let j = 0; j < d; j++) {
      const x = data[o + j];
      if (x === 0) continue;
      const w = j * K;
      for (let k = 0; k < K; k++) grad[w + k] += x * p[k];
    }
    if (fitIntercept) for (let k = 0; k < K; k++) grad[bias + k] += p[k];
  }
  let norm2 = 0;
  for (let t = 0; t < bias; t++) {
    norm2 += params[t] * params[t];
    grad[t] += l2 * params[t];
  }
  return loss + 0.5 * l2 * norm2;
}
