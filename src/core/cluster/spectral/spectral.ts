/**
 * Spectral clustering, as scikit-learn 1.2's `SpectralClustering`: an affinity matrix (RBF kernel
 * or k-nearest-neighbour graph), the embedding from the eigenvectors of its normalized Laplacian,
 * then k-means (or Yu & Shi's discretization) on the embedding.
 */
import type { Estimator, EstimatorJSON, FitOptions } from '../../base';
import { checkEstimatorJSON, decodeArray, encodeArray } from '../../base';
import { DataError, ParameterError } from '../../errors';
import { checkMatrix, matrix, type Matrix } from '../../math/matrix';
import { makeRandom } from '../../math/random';
import { checkInt, checkNumber, checkOneOf, checkRandomState } from '../../validate';
import { KMeans } from '../kmeans';
import { knnAffinity, rbfAffinity } from './affinity';
import { discretize } from './discretize';
import { embeddingFromLaplacian, normalizedLaplacianInPlace } from './embedding';

export type SpectralAffinity = 'rbf' | 'nearest_neighbors';
export type SpectralAssignLabels = 'kmeans' | 'discretize';

export interface SpectralParams {
  /** Number of clusters, and of eigenvectors in the embedding (8). */
  nClusters: number;
  /** 'rbf' (exp(−γ‖x − y‖²)) or 'nearest_neighbors' (symmetrised kNN connectivity). Default 'rbf'. */
  affinity: SpectralAffinity;
  /** γ of the RBF kernel (1.0); ignored for 'nearest_neighbors'. */
  gamma: number;
  /** Neighbours per sample, itself included, for 'nearest_neighbors' (10); ignored for 'rbf'. */
  nNeighbors: number;
  /** How labels are read off the embedding: 'kmeans' (default) or 'discretize'. */
  assignLabels: SpectralAssignLabels;
  /** k-means runs on the embedding (10). */
  nInit: number;
  /**
   * 'dense': the full symmetric eigendecomposition (ml-matrix's EigenvalueDecomposition), O(n³)
   * time — about 5 s of CPU for 1,000 samples, minutes beyond a few thousand — and two (n, n)
   * float64 matrices, three while the affinity is kept.
   */
  eigenSolver: 'dense';
  /** Seed of k-means (or of the discretization's first rotation); undefined draws a fresh one. */
  randomState?: number;
}

const DEFAULTS: SpectralParams = {
  nClusters: 8,
  affinity: 'rbf',
  gamma: 1.0,
  nNeighbors: 10,
  assignLabels: 'kmeans',
  nInit: 10,
  eigenSolver: 'dense',
  randomState: undefined,
};

/** Up to this many samples the (n, n) affinity is kept as `affinityMatrix_` (200 MB at 5,000). */
export const KEEP_AFFINITY_MAX_SAMPLES = 5_000;

/**
 * The dense solver holds two (n, n) float64 matrices (1.6 GB at 10,000 samples) and its time
 * grows as n³; beyond this it is refused.
 */
export const MAX_SAMPLES_DENSE = 10_000;

const JSON_VERSION = 1;

export class SpectralClustering implements Estimator<SpectralParams> {
  readonly params: Readonly<SpectralParams>;
  /** Cluster of every sample, shape (nSamples). */
  labels_!: Int32Array;
  /**
   * The affinity matrix, shape (nSamples, nSamples). Kept only up to
   * `KEEP_AFFINITY_MAX_SAMPLES` samples — beyond, it is overwritten by the Laplacian to save n²
   * doubles and this is null. Not saved by `toJSON` (n² numbers): null after `fromJSON`.
   */
  affinityMatrix_: Matrix<Float64Array> | null = null;

  constructor(params: Partial<SpectralParams> = {}) {
    this.params = Object.freeze({ ...DEFAULTS, ...params });
  }

  /** Clusters `X` (nSamples, nFeatures). */
  fit(X: Matrix, _y?: ArrayLike<number> | null, opts: FitOptions = {}): this {
    const p = this.params;
    const k = checkInt('nClusters', p.nClusters, 1);
    const affinity = checkOneOf('affinity', p.affinity, ['rbf', 'nearest_neighbors'] as const);
    const gamma = checkNumber('gamma', p.gamma, 0);
    const nNeighbors = checkInt('nNeighbors', p.nNeighbors, 1);
    const assignLabels = checkOneOf('assignLabels', p.assignLabels, ['kmeans', 'discretize'] as const);
    const nInit = checkInt('nInit', p.nInit, 1);
    checkOneOf('eigenSolver', p.eigenSolver, ['dense'] as const);
    const randomState = checkRandomState(p.randomState);
    checkMatrix(X, { minSamples: 2 });
    const n = X.rows;
    if (k > n) throw new ParameterError(`nClusters must be at most the number of samples (${n}), got ${k}`);
    if (affinity === 'nearest_neighbors' && nNeighbors > n) {
      throw new ParameterError(`nNeighbors must be at most the number of samples (${n}), got ${nNeighbors}`);
    }
    if (n > MAX_SAMPLES_DENSE) {
      throw new DataError(
        `spectral clustering with the dense eigensolver accepts at most ${MAX_SAMPLES_DENSE} samples ` +
          `(it needs two ${n}×${n} matrices and time growing as n³), got ${n}; subsample first`,
      );
    }
    const report = opts.onProgress;
    const rng = makeRandom(randomState);

    const A = affinity === 'rbf' ? rbfAffinity(X, gamma) : knnAffinity(X, nNeighbors);
    const keep = n <= KEEP_AFFINITY_MAX_SAMPLES;
    this.affinityMatrix_ = keep ? matrix(n, n, A) : null;
    report?.(0.05);
    const L = keep ? A.slice() : A;
    const dd = normalizedLaplacianInPlace(L, n);
    const embedding = embeddingFromLaplacian(L, dd, k);
    report?.(0.8);

    if (assignLabels === 'kmeans') {
      const km = new KMeans({ nClusters: k, nInit, randomState: rng.seed() });
      this.labels_ = km.fit(embedding, undefined, { onProgress: report && ((f) => report(0.8 + 0.2 * f)) }).labels_;
    } else {
      this.labels_ = discretize(embedding, rng);
    }
    report?.(1);
    return this;
  }

  /** Fits and returns `labels_`. */
  fitPredict(X: Matrix): Int32Array {
    return this.fit(X).labels_;
  }

  toJSON(): EstimatorJSON<SpectralParams> {
    const fitted = this.labels_ === undefined ? null : { labels_: encodeArray(this.labels_) };
    return { estimator: 'SpectralClustering', version: JSON_VERSION, params: { ...this.params }, fitted };
  }

  static fromJSON(json: EstimatorJSON): SpectralClustering {
    checkEstimatorJSON(json, 'SpectralClustering', JSON_VERSION);
    const e = new SpectralClustering(json.params as Partial<SpectralParams>);
    const f = json.fitted as Record<string, any> | null;
    if (f) e.labels_ = decodeArray(f.labels_) as Int32Array;
    return e;
  }
}
