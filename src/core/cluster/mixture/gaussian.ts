/**
 * The Gaussian kernels both mixtures share (scikit-learn's `_gaussian_mixture` module functions):
 * the M-step statistics, the Cholesky factors of the covariances and precisions, their
 * log-determinants and the E-step's log-densities of every sample under every component.
 *
 * Covariance parameters are flat float64 arrays whose shape depends on the covariance type,
 * exactly as scikit-learn's `covariances_` / `precisions_cholesky_`:
 *   'full' (nComponents, nFeatures, nFeatures), 'tied' (nFeatures, nFeatures),
 *   'diag' (nComponents, nFeatures), 'spherical' (nComponents).
 */
import type { Matrix } from '../../math/matrix';
import { DataError } from '../../errors';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

/** numpy's float64 machine epsilon; scikit-learn adds 10 ε to every component's mass. */
const EPS = 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);

export const ILL_DEFINED_COVARIANCE =
  'Fitting the mixture model failed because some components have ill-defined empirical covariance ' +
  '(for instance caused by singleton or collapsed samples). Try to decrease the number of components, ' +
  'or increase regCovar.';

/** The shape of a covariance-parameter array for a covariance type. */
export function covarianceShape(type: CovarianceType, k: number, d: number): number[] {
  switch (type) {
    case 'full':
      return [k, d, d];
    case 'tied':
      return [d, d];
    case 'diag':
      return [k, d];
    case 'spherical':
      return [k];
  }
}

export function covarianceSize(type: CovarianceType, k: number, d: number): number {
  return covarianceShape(type, k, d).reduce((a, b) => a * b, 1);
}

/** The sufficient statistics of one M-step: masses, means and (regularised) covariances. */
export interface GaussianStatistics {
  /** (k) responsibility mass of each component, + 10 ε as scikit-learn adds. */
  nk: Float64Array;
  /** (k, d) responsibility-weighted means. */
  means: Float64Array;
  /** Covariance parameters (see the module comment for the shape), regCovar on the diagonal. */
  covariances: Float64Array;
}

export function allocStatistics(type: CovarianceType, k: number, d: number): GaussianStatistics {
  return { nk: new Float64Array(k), means: new Float64Array(k * d), covariances: new Float64Array(covarianceSize(type, k, d)) };
}

/**
 * scikit-learn's `_estimate_gaussian_parameters`: from responsibilities `resp` (nSamples, k)
 * the masses, means and covariances of the components, written into `out`.
 * Samples whose responsibility is exactly 0 are skipped: they add nothing, and in high
 * dimension most are, which makes the full-covariance M-step nearly k times cheaper.
 */
export function estimateGaussianParameters(
  X: Matrix,
  resp: Float64Array,
  k: number,
  regCovar: number,
  type: CovarianceType,
  out: GaussianStatistics,
): void {
  const { rows: n, cols: d, data: x } = X;
  const { nk, means, covariances: cov } = out;
  nk.fill(0);
  means.fill(0);
  for (let i = 0; i < n; i++) {
    const ro = i * k, xo = i * d;
    for (let c = 0; c < k; c++) {
      const r = resp[ro + c];
      if (r === 0) continue;
      nk[c] += r;
      const mo = c * d;
      for (let j = 0; j < d; j++) means[mo + j] += r * x[xo + j];
    }
  }
  for (let c = 0; c < k; c++) {
    nk[c] += 10 * EPS;
    for (let j = 0; j < d; j++) means[c * d + j] /= nk[c];
  }
  cov.fill(0);
  switch (type) {
    case 'full':
      fullCovariances(x, n, d, resp, k, nk, means, regCovar, cov);
      break;
    case 'tied':
      tiedCovariance(x, n, d, k, nk, means, regCovar, cov);
      break;
    case 'diag':
    case 'spherical':
      diagCovariances(x, n, d, resp, k, nk, means, regCovar, type === 'spherical', cov);
      break;
  }
}

/** Samples gathered per block by the Gram kernels (two (d, GRAM_BLOCK) buffers). */
const GRAM_BLOCK = 128;

/**
 * Σₖ = Σᵢ rᵢₖ (xᵢ − μₖ)(xᵢ − μₖ)ᵀ / nₖ + reg I (scikit-learn's `np.dot(resp[:, k] * diff.T, diff)`).
 * Blocked: the active samples' centred rows are gathered column-major in blocks, and each
 * upper-triangle entry becomes one contiguous dot product per block, so the accumulator is read
 * and written once per block instead of once per sample.
 */
function fullCovariances(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  nk: Float64Array,
  means: Float64Array,
  reg: number,
  cov: Float64Array,
): void {
  const B = GRAM_BLOCK;
  const weighted = new Float64Array(d * B), centred = new Float64Array(d * B);
  for (let c = 0; c < k; c++) {
    const co = c * d * d, mo = c * d;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + c];
      if (r === 0) continue;
      const xo = i * d;
      for (let a = 0; a < d; a++) {
        const v = x[xo + a] - means[mo + a];
        centred[a * B + m] = v;
        weighted[a * B + m] = r * v;
      }
      if (++m === B) {
        addGramBlock(weighted, centred, m, d, cov, co);
        m = 0;
      }
    }
    if (m > 0) addGramBlock(weighted, centred, m, d, cov, co);
    finishSymmetric(cov, co, d, nk[c], reg);
  }
}

/** Upper triangle of cov[o..] += Wᵀ C for column-major blocks W, C of `m` samples. */
function addGramBlock(w: Float64Array, cm: Float64Array, m: number, d: number, cov: Float64Array, o: number): void {
  const B = GRAM_BLOCK;
  for (let a = 0; a < d; a++) {
    const wa = a * B;
    for (let b = a; b < d; b++) {
      const cb = b * B;
      let s = 0;
      for (let q = 0; q < m; q++) s += w[wa + q] * cm[cb + q];
      cov[o + a * d + b] += s;
    }
  }
}

/** Σ = (XᵀX − Σₖ nₖ μₖμₖᵀ) / Σₖ nₖ + reg I: scikit-learn's form, kept for parity. */
function tiedCovariance(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  k: number,
  nk: Float64Array,
  means: Float64Array,
  reg: number,
  cov: Float64Array,
): void {
  const B = GRAM_BLOCK;
  const block = new Float64Array(d * B);
  for (let start = 0; start < n; start += B) {
    const m = Math.min(B, n - start);
    for (let q = 0; q < m; q++) for (let a = 0; a < d; a++) block[a * B + q] = x[(start + q) * d + a];
    addGramBlock(block, block, m, d, cov, 0);
  }
  let total = 0;
  for (let c = 0; c < k; c++) {
    total += nk[c];
    const mo = c * d;
    for (let a = 0; a < d; a++) {
      const wa = nk[c] * means[mo + a];
      for (let b = a; b < d; b++) cov[a * d + b] -= wa * means[mo + b];
    }
  }
  finishSymmetric(cov, 0, d, total, reg);
}

/** Divides the upper triangle by `scale`, mirrors it and adds `reg` to the diagonal. */
function finishSymmetric(cov: Float64Array, o: number, d: number, scale: number, reg: number): void {
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[o + a * d + b] / scale;
      cov[o + a * d + b] = v;
      cov[o + b * d + a] = v;
    }
    cov[o + a * d + a] += reg;
  }
}

/**
 * Per-feature variances Σᵢ rᵢₖ (xᵢⱼ − μₖⱼ)² / nₖ + reg, the spherical variance being their mean.
 * scikit-learn expands the square (E[x²] − 2 μ E[x] + μ²); the centred sum is the same quantity
 * without the cancellation.
 */
function diagCovariances(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  nk: Float64Array,
  means: Float64Array,
  reg: number,
  spherical: boolean,
  cov: Float64Array,
): void {
  const acc = spherical ? new Float64Array(k * d) : cov;
  for (let i = 0; i < n; i++) {
    const xo = i * d, ro = i * k;
    for (let c = 0; c < k; c++) {
      const r = resp[ro + c];
      if (r === 0) continue;
      const mo = c * d;
      for (let j = 0; j < d; j++) {
        const t = x[xo + j] - means[mo + j];
        acc[mo + j] += r * t * t;
      }
    }
  }
  for (let c = 0; c < k; c++) {
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const v = acc[c * d + j] / nk[c] + reg;
      acc[c * d + j] = v;
      sum += v;
    }
    if (spherical) cov[c] = sum / d;
  }
}

/**
 * Lower Cholesky factor of the symmetric d×d block of `a` at `ao`, written to `l` at `lo`
 * (upper part zeroed). Returns false when the block is not numerically positive definite,
 * where LAPACK's potrf fails.
 */
export function choleskyInto(a: Float64Array, ao: number, d: number, l: Float64Array, lo: number): boolean {
  for (let i = 0; i < d; i++) {
    const li = lo + i * d;
    for (let j = 0; j <= i; j++) {
      const s = a[ao + i * d + j] - dot(l, li, l, lo + j * d, j);
      if (i === j) {
        if (!(s > 0)) return false;
        l[li + i] = Math.sqrt(s);
      } else {
        l[li + j] = s / l[lo + j * d + j];
      }
    }
    for (let j = i + 1; j < d; j++) l[li + j] = 0;
  }
  return true;
}

/**
 * Σ_{p<len} a[ao + p] b[bo + p] with four partial sums: the single-accumulator loop is bound by
 * the latency of its additions, and these dot products are the whole cost of the d×d algebra.
 */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let p = 0;
  for (; p + 4 <= len; p += 4) {
    s0 += a[ao + p] * b[bo + p];
    s1 += a[ao + p + 1] * b[bo + p + 1];
    s2 += a[ao + p + 2] * b[bo + p + 2];
    s3 += a[ao + p + 3] * b[bo + p + 3];
  }
  for (; p < len; p++) s0 += a[ao + p] * b[bo + p];
  return s0 + s1 + (s2 + s3);
}

/**
 * The factors the E-step works with, from the covariances: for 'full' / 'tied' the lower
 * Cholesky factor L of each covariance (Σ = L Lᵀ), for 'diag' / 'spherical' the precision
 * Cholesky factor 1/√σ² (as scikit-learn). Same shape as the covariances. Throws scikit-learn's
 * DataError when a covariance is not positive definite.
 *
 * scikit-learn goes on to invert L (precisions_cholesky_ = L⁻ᵀ) and multiplies by the inverse in
 * the E-step; solving with L directly gives the same whitened coordinates for half the d³ work
 * per M-step, and the inverse is only formed when `precisions_cholesky_` is asked for.
 */
export function factorCovariances(covariances: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  const out = new Float64Array(covariances.length);
  if (type === 'full' || type === 'tied') {
    const blocks = type === 'full' ? k : 1;
    for (let c = 0; c < blocks; c++) {
      if (!choleskyInto(covariances, c * d * d, d, out, c * d * d)) throw new DataError(ILL_DEFINED_COVARIANCE);
    }
  } else {
    for (let i = 0; i < covariances.length; i++) {
      const v = covariances[i];
      if (!(v > 0)) throw new DataError(ILL_DEFINED_COVARIANCE);
      out[i] = 1 / Math.sqrt(v);
    }
  }
  return out;
}

/**
 * scikit-learn's `precisions_cholesky_` from `factorCovariances`' factors: L⁻ᵀ (upper
 * triangular, U Uᵀ = Σ⁻¹) for 'full' / 'tied', the factors themselves for 'diag' / 'spherical'.
 */
export function precisionCholeskyFromFactor(factor: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return factor.slice();
  const out = new Float64Array(factor.length);
  const blocks = type === 'full' ? k : 1;
  for (let c = 0; c < blocks; c++) {
    const o = c * d * d;
    // Column j of L⁻¹ by forward substitution, stored as row j of the result.
    for (let j = 0; j < d; j++) {
      const row = o + j * d;
      out[row + j] = 1 / factor[row + j];
      for (let i = j + 1; i < d; i++) {
        out[row + i] = -dot(factor, o + i * d + j, out, row + j, i - j) / factor[o + i * d + i];
      }
    }
  }
  return out;
}

/** scikit-learn's `_compute_precision_cholesky`: the precision Cholesky factors of covariances. */
export function computePrecisionCholesky(covariances: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  return precisionCholeskyFromFactor(factorCovariances(covariances, type, k, d), type, k, d);
}

/**
 * scikit-learn's `_compute_log_det_cholesky` from `factorCovariances`' factors: log det of each
 * component's precision Cholesky factor (= −½ log det Σₖ), shape (k); for 'tied' every entry is
 * the one shared value.
 */
export function logDetPrecisionCholesky(factor: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    switch (type) {
      case 'full':
        for (let j = 0; j < d; j++) s -= Math.log(factor[c * d * d + j * d + j]);
        break;
      case 'tied':
        for (let j = 0; j < d; j++) s -= Math.log(factor[j * d + j]);
        break;
      case 'diag':
        for (let j = 0; j < d; j++) s += Math.log(factor[c * d + j]);
        break;
      case 'spherical':
        s = d * Math.log(factor[c]);
        break;
    }
    out[c] = s;
  }
  return out;
}

/** Precision matrices (scikit-learn's `precisions_`) from precision Cholesky factors, same shape. */
export function precisionsFromCholesky(precChol: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  const out = new Float64Array(precChol.length);
  if (type === 'diag' || type === 'spherical') {
    for (let i = 0; i < precChol.length; i++) out[i] = precChol[i] * precChol[i];
    return out;
  }
  const blocks = type === 'full' ? k : 1;
  for (let c = 0; c < blocks; c++) {
    const o = c * d * d;
    // The factors are upper triangular: rows a ≤ b overlap from column b on.
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const s = dot(precChol, o + a * d + b, precChol, o + b * d + b, d - b);
        out[o + a * d + b] = s;
        out[o + b * d + a] = s;
      }
    }
  }
  return out;
}

/**
 * Everything the E-step needs, precomputed once per M-step so that the per-sample loop only
 * reads flat arrays.
 */
export interface LogProbKernel {
  type: CovarianceType;
  nComponents: number;
  nFeatures: number;
  /** (k, d) component means. */
  means: Float64Array;
  /** `factorCovariances`' factors: lower Cholesky factors of Σ, or precision factors 1/σ. */
  factors: Float64Array;
  /** (k) added to −½ · Mahalanobis²: −½ d log 2π + log det + the estimator's terms. */
  constants: Float64Array;
}

/**
 * Builds the E-step kernel from means and `factorCovariances`' factors; `extra` (k) is what the
 * estimator adds per component (log weights, and the variational terms for the Bayesian one).
 */
export function makeLogProbKernel(
  type: CovarianceType,
  k: number,
  d: number,
  means: Float64Array,
  factors: Float64Array,
  extra: Float64Array,
): LogProbKernel {
  const logDet = logDetPrecisionCholesky(factors, type, k, d);
  const constants = new Float64Array(k);
  for (let c = 0; c < k; c++) constants[c] = -0.5 * d * LOG_2PI + logDet[c] + extra[c];
  return { type, nComponents: k, nFeatures: d, means, factors, constants };
}

/**
 * Weighted log-densities log wₖ + log N(xᵢ | μₖ, Σₖ) (plus the kernel's extra terms) of rows
 * `start..end` of X, written row-major to `out` with shape (end − start, k).
 * Components are the outer loop so that one component's factor stays in cache over all rows.
 */
export function weightedLogProb(kern: LogProbKernel, X: Matrix, start: number, end: number, out: Float64Array): void {
  const { type, nComponents: k, nFeatures: d, means, factors, constants } = kern;
  if (X.cols !== d) throw new DataError(`X has ${X.cols} features, but the mixture was fitted with ${d}`);
  const x = X.data;
  const work = new Float64Array(4 * d);
  for (let c = 0; c < k; c++) {
    const mo = c * d;
    const cst = constants[c];
    if (type === 'full' || type === 'tied') {
      const fo = type === 'full' ? c * d * d : 0;
      if (d === 2) {
        // The common 2-D case unrolled: L = [[l00, 0], [l10, l11]].
        const m0 = means[mo], m1 = means[mo + 1];
        const l00 = factors[fo], l10 = factors[fo + 2], l11 = factors[fo + 3];
        for (let i = start; i < end; i++) {
          const y0 = (x[2 * i] - m0) / l00;
          const y1 = (x[2 * i + 1] - m1 - l10 * y0) / l11;
          out[(i - start) * k + c] = cst - 0.5 * (y0 * y0 + y1 * y1);
        }
      } else {
        mahalanobisSolve(x, start, end, d, means, mo, factors, fo, k, c, cst, out, work);
      }
    } else if (type === 'diag') {
      for (let i = start; i < end; i++) {
        const xo = i * d;
        let maha = 0;
        for (let j = 0; j < d; j++) {
          const t = (x[xo + j] - means[mo + j]) * factors[mo + j];
          maha += t * t;
        }
        out[(i - start) * k + c] = cst - 0.5 * maha;
      }
    } else {
      const p = factors[c] * factors[c];
      for (let i = start; i < end; i++) {
        const xo = i * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = x[xo + j] - means[mo + j];
          s += t * t;
        }
        out[(i - start) * k + c] = cst - 0.5 * s * p;
      }
    }
  }
}

/**
 * out[(i − start) k + c] = cst − ½ ‖L⁻¹ (xᵢ − μ)‖² for one component with lower Cholesky factor
 * L at `fo`, by forward substitution. Four samples share every load of L: in high dimension
 * the factor (d²/2 values) is the large operand, a sample only d.
 */
function mahalanobisSolve(
  x: Float64Array | Float32Array,
  start: number,
  end: number,
  d: number,
  means: Float64Array,
  mo: number,
  l: Float64Array,
  fo: number,
  k: number,
  c: number,
  cst: number,
  out: Float64Array,
  y: Float64Array,
): void {
  const d1 = d, d2 = 2 * d, d3 = 3 * d;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    for (let a = 0; a < d; a++) {
      const mu = means[mo + a];
      y[a] = x[i * d + a] - mu;
      y[d1 + a] = x[(i + 1) * d + a] - mu;
      y[d2 + a] = x[(i + 2) * d + a] - mu;
      y[d3 + a] = x[(i + 3) * d + a] - mu;
    }
    // yⱼ = (diffⱼ − Σ_{a<j} Lⱼₐ yₐ) / Lⱼⱼ, in place: diffₐ is no longer needed once yₐ is known.
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (let j = 0; j < d; j++) {
      const row = fo + j * d;
      let s0 = y[j], s1 = y[d1 + j], s2 = y[d2 + j], s3 = y[d3 + j];
      for (let a = 0; a < j; a++) {
        const v = l[row + a];
        s0 -= v * y[a];
        s1 -= v * y[d1 + a];
        s2 -= v * y[d2 + a];
        s3 -= v * y[d3 + a];
      }
      const ljj = l[row + j];
      s0 /= ljj;
      s1 /= ljj;
      s2 /= ljj;
      s3 /= ljj;
      y[j] = s0;
      y[d1 + j] = s1;
      y[d2 + j] = s2;
      y[d3 + j] = s3;
      m0 += s0 * s0;
      m1 += s1 * s1;
      m2 += s2 * s2;
      m3 += s3 * s3;
    }
    const o = (i - start) * k + c;
    out[o] = cst - 0.5 * m0;
    out[o + k] = cst - 0.5 * m1;
    out[o + 2 * k] = cst - 0.5 * m2;
    out[o + 3 * k] = cst - 0.5 * m3;
  }
  for (; i < end; i++) {
    for (let a = 0; a < d; a++) y[a] = x[i * d + a] - means[mo + a];
    let maha = 0;
    for (let j = 0; j < d; j++) {
      const row = fo + j * d;
      const s = (y[j] - dot(l, row, y, 0, j)) / l[row + j];
      y[j] = s;
      maha += s * s;
    }
    out[(i - start) * k + c] = cst - 0.5 * maha;
  }
}

/**
 * Turns weighted log-densities (rows, k) in place into responsibilities and returns
 * Σᵢ log Σₖ exp(·) (the log-likelihood) and, when `entropy` is set, Σᵢₖ rᵢₖ log rᵢₖ (the
 * negative entropy the variational bound needs). `logNorm`, when given, receives each row's
 * log-sum-exp. One exp per entry: rᵢₖ = exp(vᵢₖ − max) / Σ, the same value as
 * scikit-learn's exp(vᵢₖ − logsumexp) up to the last bit.
 */
export function normalizeResponsibilities(
  wlp: Float64Array,
  rows: number,
  k: number,
  entropy: boolean,
  logNorm?: Float64Array,
): { logLikelihood: number; respLogResp: number } {
  let ll = 0, ent = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (wlp[o + c] > max) max = wlp[o + c];
    // scipy's logsumexp: a non-finite maximum is replaced by 0 before shifting.
    const shift = Number.isFinite(max) ? max : 0;
    let s = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(wlp[o + c] - shift);
      wlp[o + c] = e;
      s += e;
    }
    const logS = Math.log(s);
    if (logNorm) logNorm[i] = logS + shift;
    ll += logS + shift;
    for (let c = 0; c < k; c++) {
      const r = wlp[o + c] / s;
      wlp[o + c] = r;
      if (entropy && r > 0) ent += r * Math.log(r);
    }
  }
  return { logLikelihood: ll, respLogResp: ent };
}

/** Row-wise log Σₖ exp(·) of (rows, k) values, scipy's `logsumexp(axis=1)`. */
export function logSumExpRows(v: Float64Array, rows: number, k: number, out: Float64Array, outOffset = 0): void {
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (v[o + c] > max) max = v[o + c];
    const shift = Number.isFinite(max) ? max : 0;
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(v[o + c] - shift);
    out[outOffset + i] = Math.log(s) + shift;
  }
}
