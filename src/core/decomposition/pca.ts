/**
 * Principal component analysis, scikit-learn 1.2's `PCA` with the full solver: components by count
 * or by explained-variance ratio, sklearn's `svd_flip` signs (u-based), whitening.
 *
 * Instead of an SVD of the centered data Xc (nSamples, nFeatures), the smaller of its two Gram
 * matrices is eigendecomposed (ml-matrix's symmetric solver): the (d, d) scatter XcᵀXc when
 * n ≥ d (digits: 64 × 64), the (n, n) XcXcᵀ when n < d (faces: 400 × 400 instead of
 * 4096 × 4096). Both give the squared singular values; the other singular vectors follow from
 * v = Xcᵀu / s or u = Xc v / s. Squaring costs accuracy on the smallest components: an eigenvalue
 * is accurate to about ε · λ₁ absolutely, so a singular value taken as √λ near zero would only be
 * known to be below √(ε · λ₁). The kept components therefore take s = ‖Xc v‖ (or ‖Xcᵀu‖), which
 * is second-order in the eigenvector's error: on digits every variance agrees with scikit-learn's
 * SVD to 1e-13 relative, and a null component gets s ≈ 1e-13 · s₁. The eigenvalues still decide
 * how many components a variance ratio keeps.
 *
 * Cost: the Gram matrix, min(n, d)² · max(n, d) / 2 multiply-adds in 4 × 4 tiles, plus a dense
 * O(min(n, d)³) eigendecomposition, so very large n and d together (no randomized solver yet)
 * are slow.
 */
import { EigenvalueDecomposition, WrapperMatrix1D } from 'ml-matrix';
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
import { checkMatrix, columnMeans, matrix, toFloat64, type Matrix } from '../math/matrix';
import { checkRandomState } from '../validate';
import { crossOfRows, gramOfRows, panelsOf } from './gram';

export interface PCAParams {
  /**
   * An integer ≥ 1: keep that many components. A number in (0, 1): keep the smallest number of
   * components whose cumulative explained-variance ratio exceeds it (scikit-learn's
   * `searchsorted(cumsum, ratio, side='right') + 1`). Undefined: min(nSamples, nFeatures).
   */
  nComponents?: number;
  /** Scale the projections to unit variance (divide by √explainedVariance_). */
  whiten: boolean;
  /** Unused by the exact solver; kept for parity with scikit-learn's parameters. */
  randomState?: number;
}

export const PCA_DEFAULTS: Readonly<PCAParams> = Object.freeze({
  nComponents: undefined,
  whiten: false,
  randomState: undefined,
});

const JSON_VERSION = 1;

export class PCA implements Estimator<PCAParams> {
  readonly params: Readonly<PCAParams>;
  /** Principal axes, unit rows, by decreasing explained variance: (nComponents_, nFeatures). */
  components_!: Matrix<Float64Array>;
  /** Variance along each component (ddof 1), (nComponents_). */
  explainedVariance_!: Float64Array;
  /** Share of the total variance along each component, (nComponents_). */
  explainedVarianceRatio_!: Float64Array;
  /** Singular values of the centered training data, (nComponents_). */
  singularValues_!: Float64Array;
  /** Per-feature training mean, (nFeatures). */
  mean_!: Float64Array;
  nComponents_ = 0;
  /** Mean variance of the discarded components (probabilistic PCA's σ²), 0 if none discarded. */
  noiseVariance_ = 0;
  nSamples_ = 0;
  /** Which Gram matrix was eigendecomposed: 'features' (d, d) or 'samples' (n, n). */
  route_: 'features' | 'samples' = 'features';

  constructor(params: Partial<PCAParams> = {}) {
    this.params = Object.freeze({ ...PCA_DEFAULTS, ...params });
  }

  /**
   * Fits the components.
   * @param X (nSamples, nFeatures), float64 or float32 (computations are float64 either way).
   */
  fit(X: Matrix, _y?: unknown, opts: FitOptions = {}): this {
    const { count, ratio } = this.checkParams();
    checkMatrix(X, { minSamples: 2 });
    const n = X.rows, d = X.cols, rank = Math.min(n, d);
    if (count !== null && count > rank) {
      throw new ParameterError(`nComponents must be at most min(nSamples, nFeatures) = ${rank}, got ${count}`);
    }
    const mean = columnMeans(X);
    const Xc = centered(X, mean);
    let totalSquares = 0;
    for (let t = 0; t < Xc.data.length; t++) totalSquares += Xc.data[t] * Xc.data[t];
    opts.onProgress?.(0.1);

    const route = n < d ? 'samples' : 'features';
    const gram = route === 'samples' ? gramOfRows(Xc) : gramOfRows(transpose(Xc));
    opts.onProgress?.(0.5);
    const evd = new EigenvalueDecomposition(new WrapperMatrix1D(gram, { rows: rank }), { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    const vectors = evd.eigenvectorMatrix;
    opts.onProgress?.(0.8);

    // Eigenvalues come ascending: component j is eigenpair rank − 1 − j.
    const squares = new Float64Array(rank);
    for (let j = 0; j < rank; j++) squares[j] = Math.max(values[rank - 1 - j], 0);
    const variance = squares.map((s2) => s2 / (n - 1));
    const totalVariance = totalSquares / (n - 1);
    const ratios = variance.map((v) => v / totalVariance);

    let k = count ?? rank;
    if (ratio !== null) {
      // sklearn: searchsorted(cumsum(ratios), ratio, side='right') + 1, i.e. one more than the
      // number of cumulative sums ≤ ratio; capped at the number of components there are.
      let cumulative = 0, atMost = 0;
      for (let j = 0; j < rank; j++) {
        cumulative += ratios[j];
        if (cumulative <= ratio) atMost = j + 1;
        else break;
      }
      k = Math.min(atMost + 1, rank);
    }

    const components = matrix(k, d);
    // Singular values of the kept components, refined as ‖Xc v‖ or ‖Xcᵀ u‖ (see below).
    const kept = new Float64Array(k);
    const eigenvector = (j: number, i: number): number => vectors.get(i, rank - 1 - j);
    if (route === 'features') {
      for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) components.data[j * d + f] = eigenvector(j, f);
      orthonormalize(components);
      // u_j ∝ Xc v_j, a few components at a time: flip each so that the largest-magnitude entry
      // of u_j is positive (svd_flip), and take ‖Xc v_j‖ as its singular value.
      const samples = panelsOf(Xc);
      for (let j0 = 0; j0 < k; j0 += 16) {
        const j1 = Math.min(k, j0 + 16);
        const block = matrix(j1 - j0, d, components.data.subarray(j0 * d, j1 * d));
        const U = crossOfRows(block, samples);
        for (let j = j0; j < j1; j++) {
          const u = U.subarray((j - j0) * n, (j - j0 + 1) * n);
          kept[j] = norm(u);
          if (u[argmaxAbs(u)] < 0) negateRow(components, j);
        }
      }
    } else {
      // u_j is the eigenvector, flipped as svd_flip does; then v_j = Xcᵀ u_j, normalized below.
      const Uk = matrix(k, n);
      for (let j = 0; j < k; j++) {
        const u = Uk.data.subarray(j * n, (j + 1) * n);
        for (let i = 0; i < n; i++) u[i] = eigenvector(j, i);
        if (u[argmaxAbs(u)] < 0) for (let i = 0; i < n; i++) u[i] = -u[i];
      }
      components.data.set(crossOfRows(Uk, panelsOf(transpose(Xc))));
      for (let j = 0; j < k; j++) kept[j] = norm(components.data.subarray(j * d, (j + 1) * d));
      orthonormalize(components);
    }

    // Constant features give −0 entries; + 0 makes them 0, which is what JSON would restore.
    for (let t = 0; t < components.data.length; t++) components.data[t] += 0;

    this.route_ = route;
    this.nSamples_ = n;
    this.mean_ = mean;
    this.components_ = components;
    this.nComponents_ = k;
    // The kept components use the refined singular values: a Rayleigh quotient of an eigenvector
    // that is off by δ is off by δ², so ‖Xc v‖ is accurate where √λ has only ε · λ₁ absolute
    // accuracy (a null component gets ~1e-13 · s₁ rather than √(ε) · s₁).
    this.singularValues_ = kept;
    this.explainedVariance_ = kept.map((s) => (s * s) / (n - 1));
    this.explainedVarianceRatio_ = this.explainedVariance_.map((v) => v / totalVariance);
    let rest = 0;
    for (let j = k; j < rank; j++) rest += variance[j];
    this.noiseVariance_ = k < rank ? rest / (rank - k) : 0;
    opts.onProgress?.(1);
    return this;
  }

  /**
   * Projects X on the components: (X − mean_) · components_ᵀ, divided by √explainedVariance_
   * when whitening.
   * @param X (nSamples, nFeatures).
   * @returns (nSamples, nComponents_).
   */
  transform(X: Matrix): Matrix<Float64Array> {
    this.checkData(X);
    const n = X.rows, d = X.cols, k = this.nComponents_;
    const out = matrix(n, k);
    const C = this.components_.data, m = this.mean_, x = X.data;
    const scale = this.projectionScale();
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < d; f++) row[f] = x[i * d + f] - m[f];
      for (let j = 0; j < k; j++) {
        let s = 0;
        const o = j * d;
        for (let f = 0; f < d; f++) s += row[f] * C[o + f];
        out.data[i * k + j] = s / scale[j];
      }
    }
    return out;
  }

  /** Fits on X and returns its projection. @returns (nSamples, nComponents_). */
  fitTransform(X: Matrix, _y?: unknown, opts: FitOptions = {}): Matrix<Float64Array> {
    return this.fit(X, null, opts).transform(X);
  }

  /**
   * Maps projections back to feature space: Z · components_ + mean_ (undoing the whitening).
   * @param Z (nSamples, nComponents_).
   * @returns (nSamples, nFeatures).
   */
  inverseTransform(Z: Matrix): Matrix<Float64Array> {
    this.checkFitted();
    checkMatrix(Z, { name: 'Z' });
    const k = this.nComponents_, d = this.components_.cols;
    if (Z.cols !== k) throw new DataError(`Z has ${Z.cols} columns, but PCA keeps ${k} components`);
    const out = matrix(Z.rows, d);
    const C = this.components_.data, m = this.mean_, z = Z.data;
    const scale = this.projectionScale();
    for (let i = 0; i < Z.rows; i++) {
      const row = out.data.subarray(i * d, (i + 1) * d);
      row.set(m);
      for (let j = 0; j < k; j++) {
        const w = z[i * k + j] * scale[j];
        const o = j * d;
        for (let f = 0; f < d; f++) row[f] += w * C[o + f];
      }
    }
    return out;
  }

  /**
   * Squared reconstruction error of every sample: ‖x − inverseTransform(transform(x))‖².
   * @param X (nSamples, nFeatures).
   * @returns (nSamples).
   */
  reconstructionError(X: Matrix): Float64Array {
    this.checkData(X);
    const n = X.rows, d = X.cols, k = this.nComponents_;
    const C = this.components_.data, m = this.mean_, x = X.data;
    const out = new Float64Array(n);
    const centeredRow = new Float64Array(d), residual = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < d; f++) centeredRow[f] = x[i * d + f] - m[f];
      residual.set(centeredRow);
      for (let j = 0; j < k; j++) {
        const o = j * d;
        let s = 0;
        for (let f = 0; f < d; f++) s += centeredRow[f] * C[o + f];
        for (let f = 0; f < d; f++) residual[f] -= s * C[o + f];
      }
      let e = 0;
      for (let f = 0; f < d; f++) e += residual[f] * residual[f];
      out[i] = e;
    }
    return out;
  }

  toJSON(): EstimatorJSON<PCAParams> {
    return {
      estimator: 'PCA',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.components_
        ? {
            components_: encodeMatrix(this.components_),
            explainedVariance_: encodeArray(this.explainedVariance_),
            explainedVarianceRatio_: encodeArray(this.explainedVarianceRatio_),
            singularValues_: encodeArray(this.singularValues_),
            mean_: encodeArray(this.mean_),
            nComponents_: this.nComponents_,
            noiseVariance_: this.noiseVariance_,
            nSamples_: this.nSamples_,
            route_: this.route_,
          }
        : null,
    };
  }

  static fromJSON(j: EstimatorJSON): PCA {
    checkEstimatorJSON(j, 'PCA', JSON_VERSION);
    const pca = new PCA(j.params as Partial<PCAParams>);
    const f = j.fitted;
    if (f) {
      const float64 = (key: string): Float64Array => {
        const a = decodeArray(f[key] as never);
        if (!(a instanceof Float64Array)) throw new DataError(`saved PCA: ${key} must be float64`);
        return a;
      };
      pca.components_ = toFloat64(decodeMatrix(f.components_ as never));
      pca.explainedVariance_ = float64('explainedVariance_');
      pca.explainedVarianceRatio_ = float64('explainedVarianceRatio_');
      pca.singularValues_ = float64('singularValues_');
      pca.mean_ = float64('mean_');
      pca.nComponents_ = Number(f.nComponents_);
      pca.noiseVariance_ = Number(f.noiseVariance_);
      pca.nSamples_ = Number(f.nSamples_);
      pca.route_ = f.route_ === 'samples' ? 'samples' : 'features';
      if (pca.components_.rows !== pca.nComponents_ || pca.components_.cols !== pca.mean_.length) {
        throw new DataError('saved PCA: components_ does not match nComponents_ and mean_');
      }
    }
    return pca;
  }

  private checkParams(): { count: number | null; ratio: number | null } {
    const { nComponents, whiten } = this.params;
    checkRandomState(this.params.randomState);
    if (typeof whiten !== 'boolean') throw new ParameterError(`whiten must be a boolean, got ${String(whiten)}`);
    if (nComponents === undefined || nComponents === null) return { count: null, ratio: null };
    if (typeof nComponents === 'number' && Number.isInteger(nComponents) && nComponents >= 1) {
      return { count: nComponents, ratio: null };
    }
    if (typeof nComponents === 'number' && nComponents > 0 && nComponents < 1) return { count: null, ratio: nComponents };
    throw new ParameterError(
      `nComponents must be an integer >= 1 or a variance ratio in (0, 1), got ${JSON.stringify(nComponents) ?? String(nComponents)}`,
    );
  }

  private checkFitted(): void {
    if (!this.components_) throw new NotFittedError('PCA');
  }

  private checkData(X: Matrix): void {
    this.checkFitted();
    checkMatrix(X);
    if (X.cols !== this.components_.cols) {
      throw new DataError(`X has ${X.cols} features, but PCA was fitted with ${this.components_.cols}`);
    }
  }

  /** What a projection is divided by: √explainedVariance_ when whitening, else 1. */
  private projectionScale(): Float64Array {
    const k = this.nComponents_;
    if (!this.params.whiten) return new Float64Array(k).fill(1);
    return this.explainedVariance_.map(Math.sqrt);
  }
}

/** X − mean as a float64 matrix, (nSamples, nFeatures). */
function centered(X: Matrix, mean: Float64Array): Matrix<Float64Array> {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) out[i * d + f] = data[i * d + f] - mean[f];
  return { rows: n, cols: d, data: out };
}

function transpose(A: Matrix<Float64Array>): Matrix<Float64Array> {
  const { rows: n, cols: d, data } = A;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) out[f * n + i] = data[i * d + f];
  return { rows: d, cols: n, data: out };
}

/** Index of the first entry of largest magnitude (numpy's argmax of |u|). */
function argmaxAbs(u: Float64Array): number {
  let best = 0, max = -1;
  for (let i = 0; i < u.length; i++) {
    const a = Math.abs(u[i]);
    if (a > max) {
      max = a;
      best = i;
    }
  }
  return best;
}

function negateRow(M: Matrix<Float64Array>, j: number): void {
  for (let f = 0; f < M.cols; f++) M.data[j * M.cols + f] = -M.data[j * M.cols + f];
}

/**
 * Modified Gram–Schmidt on the rows, in order, keeping each row's direction: the eigenvectors
 * are orthogonal only to rounding, and rows with (near) zero singular value come out as noise.
 * A row that vanishes under orthogonalization is replaced by the first unit vector that does not,
 * so that components_ always has orthonormal rows, like an SVD's.
 */
function orthonormalize(M: Matrix<Float64Array>): void {
  const { rows: k, cols: d, data } = M;
  for (let j = 0; j < k; j++) {
    const oj = j * d;
    const row = data.subarray(oj, oj + d);
    const before = norm(row);
    removeProjections(data, j, oj, d);
    let after = norm(row);
    if (!(after > 1e-8 * before)) {
      for (let e = 0; e < d; e++) {
        row.fill(0);
        row[e] = 1;
        removeProjections(data, j, oj, d);
        after = norm(row);
        if (after > 0.5) break;
      }
    }
    for (let f = 0; f < d; f++) row[f] /= after;
  }
}

/**
 * Removes from the row at `oj` its projections on the (orthonormal) rows 0..j−1, four rows per
 * pass over it: block-classical within each four, modified Gram–Schmidt across the blocks.
 */
function removeProjections(data: Float64Array, j: number, oj: number, d: number): void {
  let p = 0;
  for (; p + 4 <= j; p += 4) {
    const o0 = p * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let f = 0; f < d; f++) {
      const v = data[oj + f];
      s0 += data[o0 + f] * v;
      s1 += data[o1 + f] * v;
      s2 += data[o2 + f] * v;
      s3 += data[o3 + f] * v;
    }
    for (let f = 0; f < d; f++) {
      data[oj + f] -= s0 * data[o0 + f] + s1 * data[o1 + f] + s2 * data[o2 + f] + s3 * data[o3 + f];
    }
  }
  for (; p < j; p++) {
    const op = p * d;
    let s = 0;
    for (let f = 0; f < d; f++) s += data[op + f] * data[oj + f];
    for (let f = 0; f < d; f++) data[oj + f] -= s * data[op + f];
  }
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let f = 0; f < v.length; f++) s += v[f] * v[f];
  return Math.sqrt(s);
}
