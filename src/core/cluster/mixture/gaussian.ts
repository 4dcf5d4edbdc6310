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
  if (d === 2) {
    fullCovariances2(x, n, resp, k, nk, means, reg, cov);
    return;
  }
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

/** `fullCovariances` for two features: the three sums stay in registers. */
function fullCovariances2(
  x: Float64Array | Float32Array,
  n: number,
  resp: Float64Array,
  k: number,
  nk: Float64Array,
  means: Float64Array,
  reg: number,
  cov: Float64Array,
): void {
  for (let c = 0; c < k; c++) {
    const m0 = means[2 * c], m1 = means[2 * c + 1];
    let s00 = 0, s01 = 0, s11 = 0;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + c];
      if (r === 0) continue;
      const d0 = x[2 * i] - m0, d1 = x[2 * i + 1] - m1;
      const w0 = r * d0, w1 = r * d1;
      s00 += w0 * d0;
      s01 += w0 * d1;
      s11 += w1 * d1;
    }
    const o = 4 * c;
    cov[o] = s00;
    cov[o + 1] = s01;
    cov[o + 3] = s11;
    finishSymmetric(cov, o, 2, nk[c], reg);
  }
}

/**
 * Upper triangle of cov[o..] += Wᵀ C for column-major blocks W, C of `m` samples, two rows by
 * two columns at a time (four sums over four loads per sample).
 */
function addGramBlock(w: Float64Array, cm: Float64Array, m: number, d: number, cov: Float64Array, o: number): void {
  const B = GRAM_BLOCK;
  let a = 0;
  for (; a + 2 <= d; a += 2) {
    const w0 = a * B, w1 = w0 + B;
    // The diagonal 2×2 block: (a, a), (a, a + 1), (a + 1, a + 1).
    let s00 = 0, s01 = 0, s11 = 0;
    for (let q = 0; q < m; q++) {
      const c0 = cm[w0 + q], c1 = cm[w1 + q];
      s00 += w[w0 + q] * c0;
      s01 += w[w0 + q] * c1;
      s11 += w[w1 + q] * c1;
    }
    cov[o + a * d + a] += s00;
    cov[o + a * d + a + 1] += s01;
    cov[o + (a + 1) * d + a + 1] += s11;
    let b = a + 2;
    for (; b + 2 <= d; b += 2) {
      const c0o = b * B, c1o = c0o + B;
      let t00 = 0, t01 = 0, t10 = 0, t11 = 0;
      for (let q = 0; q < m; q++) {
        const u0 = w[w0 + q], u1 = w[w1 + q], v0 = cm[c0o + q], v1 = cm[c1o + q];
        t00 += u0 * v0;
        t01 += u0 * v1;
        t10 += u1 * v0;
        t11 += u1 * v1;
      }
      cov[o + a * d + b] += t00;
      cov[o + a * d + b + 1] += t01;
      cov[o + (a + 1) * d + b] += t10;
      cov[o + (a + 1) * d + b + 1] += t11;
    }
    if (b < d) {
      const co = b * B;
      let t0 = 0, t1 = 0;
      for (let q = 0; q < m; q++) {
        const v = cm[co + q];
        t0 += w[w0 + q] * v;
        t1 += w[w1 + q] * v;
      }
      cov[o + a * d + b] += t0;
      cov[o + (a + 1) * d + b] += t1;
    }
  }
  if (a < d) {
    // The last row when d is odd: only its diagonal entry is in the upper triangle.
    let t = 0;
    for (let q = 0; q < m; q++) t += w[a * B + q] * cm[a * B + q];
    cov[o + a * d + a] += t;
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
 * Lower Cholesky factor of the symmetric d×d block of `a` at `ao` (its lower triangle is read),
 * written to `l` at `lo` with the upper part zeroed. Returns false when the block is not
 * numerically positive definite, where LAPACK's potrf fails.
 * Rows go two at a time against columns two at a time: four sums share four loads.
 */
export function choleskyInto(a: Float64Array, ao: number, d: number, l: Float64Array, lo: number): boolean {
  let i = 0;
  for (; i + 2 <= d; i += 2) {
    const i0 = lo + i * d, i1 = i0 + d;
    const a0 = ao + i * d, a1 = a0 + d;
    for (let j = 0; j + 2 <= i; j += 2) {
      const j0 = lo + j * d, j1 = j0 + d;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < j; p++) {
        const u0 = l[i0 + p], u1 = l[i1 + p], v0 = l[j0 + p], v1 = l[j1 + p];
        s00 += u0 * v0;
        s01 += u0 * v1;
        s10 += u1 * v0;
        s11 += u1 * v1;
      }
      const ljj = l[j0 + j], lj1j = l[j1 + j], lj1j1 = l[j1 + j + 1];
      const x0 = (a[a0 + j] - s00) / ljj;
      const x1 = (a[a1 + j] - s10) / ljj;
      l[i0 + j] = x0;
      l[i1 + j] = x1;
      l[i0 + j + 1] = (a[a0 + j + 1] - s01 - x0 * lj1j) / lj1j1;
      l[i1 + j + 1] = (a[a1 + j + 1] - s11 - x1 * lj1j) / lj1j1;
    }
    // The diagonal 2×2 block.
    let s00 = 0, s10 = 0, s11 = 0;
    for (let p = 0; p < i; p++) {
      const u0 = l[i0 + p], u1 = l[i1 + p];
      s00 += u0 * u0;
      s10 += u1 * u0;
      s11 += u1 * u1;
    }
    const v0 = a[a0 + i] - s00;
    if (!(v0 > 0)) return false;
    const lii = Math.sqrt(v0);
    const l10 = (a[a1 + i] - s10) / lii;
    const v1 = a[a1 + i + 1] - s11 - l10 * l10;
    if (!(v1 > 0)) return false;
    l[i0 + i] = lii;
    l[i1 + i] = l10;
    l[i1 + i + 1] = Math.sqrt(v1);
    for (let j = i + 1; j < d; j++) l[i0 + j] = 0;
    for (let j = i + 2; j < d; j++) l[i1 + j] = 0;
  }
  if (i < d) {
    // The last row when d is odd.
    const li = lo + i * d;
    for (let j = 0; j < i; j++) l[li + j] = (a[ao + i * d + j] - dot(l, li, l, lo + j * d, j)) / l[lo + j * d + j];
    const v = a[ao + i * d + i] - dot(l, li, l, li, i);
    if (!(v > 0)) return false;
    l[li + i] = Math.sqrt(v);
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
 * How far below a sample's best weighted log-density a component may be dropped: exp(−750)
 * is 0 in float64 (the smallest subnormal is exp(−745.1)), so such a component adds exactly 0 to
 * the log-sum-exp and gets a responsibility of exactly 0, whatever its precise value.
 */
const NEGLIGIBLE = 750;

/**
 * Weighted log-densities log wₖ + log N(xᵢ | μₖ, Σₖ) (plus the kernel's extra terms) of rows
 * `start..end` of X, written row-major to `out` with shape (end − start, k).
 * Components are the outer loop so that one component's factor stays in cache over all rows.
 *
 * For 'full' / 'tied' in more than two dimensions, a (sample, component) pair whose partial
 * Mahalanobis sum already puts it more than NEGLIGIBLE below the sample's best component is
 * stopped early and stored as that (still negligible) bound: every result derived through
 * log-sum-exp, responsibilities or argmax is bit-identical, and in high dimension, where
 * components are far apart, most of the work is skipped. `guess` (one component per row, e.g.
 * the previous responsibilities' argmax) is evaluated first to set each sample's best; without
 * it the nearest mean is used.
 */
export function weightedLogProb(
  kern: LogProbKernel,
  X: Matrix,
  start: number,
  end: number,
  out: Float64Array,
  guess?: Int32Array,
): void {
  const { type, nComponents: k, nFeatures: d, means, factors, constants } = kern;
  if (X.cols !== d) throw new DataError(`X has ${X.cols} features, but the mixture was fitted with ${d}`);
  const x = X.data;
  if ((type === 'full' || type === 'tied') && d > 2) {
    fullLogProb(kern, x, start, end, out, guess);
    return;
  }
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
        // d = 1: L = [[l00]].
        const m0 = means[mo], l00 = factors[fo];
        for (let i = start; i < end; i++) {
          const y0 = (x[i] - m0) / l00;
          out[(i - start) * k + c] = cst - 0.5 * y0 * y0;
        }
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
 * The 'full' / 'tied' case of `weightedLogProb` in d > 2, with the negligible-pair cut-off.
 * Rows are grouped by their guessed component; each row is first evaluated under its guess,
 * which sets its floor, then under the other components, where blocks of four rows that share
 * a guess usually stop after a few dozen of the d substitution steps.
 */
function fullLogProb(
  kern: LogProbKernel,
  x: Float64Array | Float32Array,
  start: number,
  end: number,
  out: Float64Array,
  guess: Int32Array | undefined,
): void {
  const { type, nComponents: k, nFeatures: d, means, factors, constants } = kern;
  const rows = end - start;
  const y = new Float64Array(4 * d);
  // Counting sort of the rows by guessed component: members of c are order[first[c]..first[c + 1]).
  const g = new Int32Array(rows);
  const first = new Int32Array(k + 1);
  for (let r = 0; r < rows; r++) {
    g[r] = guess ? guess[start + r] : nearestMean(x, start + r, d, means, k);
    first[g[r] + 1]++;
  }
  for (let c = 0; c < k; c++) first[c + 1] += first[c];
  const order = new Int32Array(rows);
  const fill = first.slice(0, k);
  for (let r = 0; r < rows; r++) order[fill[g[r]]++] = start + r;
  // floor[r]: below this, component values of row r are negligible.
  const floor = new Float64Array(rows).fill(-Infinity);
  for (let c = 0; c < k; c++) {
    const fo = type === 'full' ? c * d * d : 0;
    mahalanobisSolve(x, order, first[c], first[c + 1], start, d, means, c * d, factors, fo, k, c, constants[c], out, y, floor);
  }
  for (let r = 0; r < rows; r++) floor[r] = out[r * k + g[r]] - NEGLIGIBLE;
  for (let c = 0; c < k; c++) {
    const fo = type === 'full' ? c * d * d : 0;
    mahalanobisSolve(x, order, 0, first[c], start, d, means, c * d, factors, fo, k, c, constants[c], out, y, floor);
    mahalanobisSolve(x, order, first[c + 1], rows, start, d, means, c * d, factors, fo, k, c, constants[c], out, y, floor);
    for (let r = 0; r < rows; r++) {
      const v = out[r * k + c] - NEGLIGIBLE;
      if (v > floor[r]) floor[r] = v;
    }
  }
}

/** The component whose mean is nearest to row i (Euclidean): a cheap first guess of the best. */
function nearestMean(x: Float64Array | Float32Array, i: number, d: number, means: Float64Array, k: number): number {
  let best = 0, bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let a = 0; a < d; a++) {
      const t = x[i * d + a] - means[c * d + a];
      s += t * t;
    }
    if (s < bestDist) {
      bestDist = s;
      best = c;
    }
  }
  return best;
}

/**
 * out[(i − start) k + c] = cst − ½ ‖L⁻¹ (xᵢ − μ)‖² for the rows i = order[from..to) under one
 * component with lower Cholesky factor L at `fo`, by forward substitution, four rows at a time
 * so that they share every load of L (in high dimension the factor, d²/2 values, is the large
 * operand; a row is only d). A block stops early once all four rows are below their `floor`
 * (see `weightedLogProb`).
 */
function mahalanobisSolve(
  x: Float64Array | Float32Array,
  order: Int32Array,
  from: number,
  to: number,
  start: number,
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
  floor: Float64Array,
): void {
  const d1 = d, d2 = 2 * d, d3 = 3 * d;
  for (let t = from; t < to; t += 4) {
    // A last, partial block repeats its last row: every row then goes through the same
    // arithmetic, so its value does not depend on which rows share its block.
    const i0 = order[t], i1 = order[Math.min(t + 1, to - 1)], i2 = order[Math.min(t + 2, to - 1)], i3 = order[Math.min(t + 3, to - 1)];
    const r0 = i0 - start, r1 = i1 - start, r2 = i2 - start, r3 = i3 - start;
    const f0 = floor[r0], f1 = floor[r1], f2 = floor[r2], f3 = floor[r3];
    const x0 = i0 * d, x1 = i1 * d, x2 = i2 * d, x3 = i3 * d;
    for (let a = 0; a < d; a++) {
      const mu = means[mo + a];
      y[a] = x[x0 + a] - mu;
      y[d1 + a] = x[x1 + a] - mu;
      y[d2 + a] = x[x2 + a] - mu;
      y[d3 + a] = x[x3 + a] - mu;
    }
    // yⱼ = (diffⱼ − Σ_{a<j} Lⱼₐ yₐ) / Lⱼⱼ, in place: diffₐ is no longer needed once yₐ is known.
    // Rows j and j + 1 go together (8 running sums over 6 loads per column a).
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    let j = 0;
    let pruned = false;
    for (; j + 2 <= d; j += 2) {
      const row0 = fo + j * d, row1 = row0 + d;
      let p0 = y[j], p1 = y[d1 + j], p2 = y[d2 + j], p3 = y[d3 + j];
      let q0 = y[j + 1], q1 = y[d1 + j + 1], q2 = y[d2 + j + 1], q3 = y[d3 + j + 1];
      for (let a = 0; a < j; a++) {
        const u = l[row0 + a], v = l[row1 + a];
        const y0 = y[a], y1 = y[d1 + a], y2 = y[d2 + a], y3 = y[d3 + a];
        p0 -= u * y0;
        p1 -= u * y1;
        p2 -= u * y2;
        p3 -= u * y3;
        q0 -= v * y0;
        q1 -= v * y1;
        q2 -= v * y2;
        q3 -= v * y3;
      }
      const ljj = l[row0 + j], lj1j = l[row1 + j], lj1j1 = l[row1 + j + 1];
      p0 /= ljj;
      p1 /= ljj;
      p2 /= ljj;
      p3 /= ljj;
      q0 = (q0 - lj1j * p0) / lj1j1;
      q1 = (q1 - lj1j * p1) / lj1j1;
      q2 = (q2 - lj1j * p2) / lj1j1;
      q3 = (q3 - lj1j * p3) / lj1j1;
      y[j] = p0;
      y[d1 + j] = p1;
      y[d2 + j] = p2;
      y[d3 + j] = p3;
      y[j + 1] = q0;
      y[d1 + j + 1] = q1;
      y[d2 + j + 1] = q2;
      y[d3 + j + 1] = q3;
      m0 += p0 * p0 + q0 * q0;
      m1 += p1 * p1 + q1 * q1;
      m2 += p2 * p2 + q2 * q2;
      m3 += p3 * p3 + q3 * q3;
      if ((j & 7) === 6 && cst - 0.5 * m0 < f0 && cst - 0.5 * m1 < f1 && cst - 0.5 * m2 < f2 && cst - 0.5 * m3 < f3) {
        pruned = true;
        break;
      }
    }
    if (!pruned && j < d) {
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
      m0 += s0 * s0;
      m1 += s1 * s1;
      m2 += s2 * s2;
      m3 += s3 * s3;
    }
    out[r0 * k + c] = cst - 0.5 * m0;
    out[r1 * k + c] = cst - 0.5 * m1;
    out[r2 * k + c] = cst - 0.5 * m2;
    out[r3 * k + c] = cst - 0.5 * m3;
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
    // With eₖ = exp(vₖ − shift) and s = Σ eₖ: rₖ = eₖ / s, and Σ rₖ log rₖ = Σ eₖ (vₖ − shift) / s − log s,
    // so the entropy term needs no logarithm per entry.
    let s = 0, weighted = 0;
    for (let c = 0; c < k; c++) {
      const v = wlp[o + c] - shift;
      const e = Math.exp(v);
      wlp[o + c] = e;
      s += e;
      if (entropy && e > 0) weighted += e * v;
    }
    const logS = Math.log(s);
    if (logNorm) logNorm[i] = logS + shift;
    ll += logS + shift;
    if (entropy) ent += weighted / s - logS;
    for (let c = 0; c < k; c++) wlp[o + c] /= s;
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
