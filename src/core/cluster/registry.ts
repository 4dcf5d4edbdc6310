/**
 * Every clustering algorithm of the core behind one call, by its CLI / job name: the worker,
 * the CLI and the sweeps fit through here, so an algorithm added once is reachable everywhere.
 */
import type { FitOptions } from '../base';
import type { Matrix } from '../math/matrix';
import { ParameterError } from '../errors';
import { KMeans, MiniBatchKMeans } from './kmeans';
import { DBSCAN } from './dbscan';
import { BayesianGaussianMixture, GaussianMixture } from './mixture';
import { AgglomerativeClustering } from './agglomerative';
import { SpectralClustering } from './spectral';
import {
  adjustedRandScore,
  calinskiHarabaszScore,
  daviesBouldinScore,
  normalizedMutualInfoScore,
  silhouetteScore,
} from '../metrics';

export const ALGORITHM_NAMES = ['kmeans', 'minibatch-kmeans', 'dbscan', 'gmm', 'bgmm', 'agglomerative', 'spectral'] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/** Metrics a run can be scored with: internal (silhouette, CH, DB) and against ground truth (ARI, NMI). */
export const METRIC_NAMES = ['silhouette', 'calinski-harabasz', 'davies-bouldin', 'ari', 'nmi'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface ClusteringOutcome {
  /** Cluster per sample, −1 for noise, shape (nSamples). */
  labels: Int32Array;
  /** Centres / means, shape (nClusters, nFeatures), when the algorithm has them. */
  centers: Matrix<Float64Array> | null;
  nClusters: number;
  /** The seed used, so the run can be repeated (null for deterministic algorithms). */
  randomState: number | null;
  /** What the estimator learned that is a number: inertia, nIter, bic, … */
  scalars: Record<string, number>;
  /** Other learned attributes worth reporting (weights, covariances, merge tree, core samples…). */
  extra: Record<string, unknown>;
  /** The fitted estimator, as JSON. */
  model: unknown;
}

/** Draws a seed when the caller gave none: every saved run records the seed it used. */
function withSeed(params: Record<string, unknown>): { params: Record<string, unknown>; seed: number } {
  const given = params.randomState;
  const seed = typeof given === 'number' ? given : Math.floor(Math.random() * 2147483647);
  return { params: { ...params, randomState: seed }, seed };
}

/** The number of distinct clusters in a labelling, noise (−1) excluded. */
function countClusters(labels: Int32Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) seen.add(labels[i]);
  return seen.size;
}

export function fitClustering(
  algorithm: AlgorithmName,
  rawParams: Record<string, unknown>,
  X: Matrix,
  opts: FitOptions = {},
): ClusteringOutcome {
  switch (algorithm) {
    case 'kmeans': {
      const { params, seed } = withSeed(rawParams);
      const km = new KMeans(params).fit(X, null, opts);
      return {
        labels: km.labels_,
        centers: km.clusterCenters_,
        nClusters: km.clusterCenters_.rows,
        randomState: seed,
        scalars: { inertia: km.inertia_, nIter: km.nIter_ },
        extra: {},
        model: km.toJSON(),
      };
    }
    case 'minibatch-kmeans': {
      const { params, seed } = withSeed(rawParams);
      const mb = new MiniBatchKMeans(params).fit(X, null, opts);
      return {
        labels: mb.labels_,
        centers: mb.clusterCenters_,
        nClusters: mb.clusterCenters_.rows,
        randomState: seed,
        scalars: { inertia: mb.inertia_, nIter: mb.nIter_, nSteps: mb.nSteps_ },
        extra: {},
        model: mb.toJSON(),
      };
    }
    case 'dbscan': {
      const db = new DBSCAN(rawParams).fit(X, null, opts);
      const labels = db.labels_!;
      let noise = 0;
      for (let i = 0; i < labels.length; i++) if (labels[i] < 0) noise++;
      return {
        labels,
        centers: null,
        nClusters: countClusters(labels),
        randomState: null,
        scalars: { nNoise: noise, nCoreSamples: db.coreSampleIndices_!.length },
        extra: { coreSampleIndices: db.coreSampleIndices_! },
        model: db.toJSON(),
      };
    }
    case 'gmm':
    case 'bgmm': {
      const { params, seed } = withSeed(rawParams);
      const gm = algorithm === 'gmm' ? new GaussianMixture(params) : new BayesianGaussianMixture(params);
      gm.fit(X, null, opts);
      const labels = gm.predict(X);
      const scalars: Record<string, number> = {
        nIter: gm.nIter_,
        converged: gm.converged_ ? 1 : 0,
        lowerBound: gm.lowerBound_,
        score: gm.score(X),
      };
      if (gm instanceof GaussianMixture) {
        scalars.bic = gm.bic(X);
        scalars.aic = gm.aic(X);
        scalars.nParameters = gm.nParameters();
      }
      return {
        labels,
        centers: gm.means_,
        nClusters: countClusters(labels),
        randomState: seed,
        scalars,
        extra: {
          converged: gm.converged_,
          weights: gm.weights_,
          means: gm.means_,
          covariances: covarianceRows(gm.covariances_, gm.params.covarianceType, gm.means_.rows, X.cols),
          covarianceType: gm.params.covarianceType,
        },
        model: gm.toJSON(),
      };
    }
    case 'agglomerative': {
      const ag = new AgglomerativeClustering(rawParams).fit(X, null, opts);
      return {
        labels: ag.labels_,
        centers: null,
        nClusters: ag.nClusters_,
        randomState: null,
        scalars: {},
        extra: {
          children: { rows: ag.nLeaves_ - 1, cols: 2, data: Float64Array.from(ag.children_) },
          ...(ag.distances_ ? { distances: ag.distances_ } : {}),
        },
        model: ag.toJSON(),
      };
    }
    case 'spectral': {
      const { params, seed } = withSeed(rawParams);
      const sp = new SpectralClustering(params).fit(X, null, opts);
      return {
        labels: sp.labels_,
        centers: null,
        nClusters: countClusters(sp.labels_),
        randomState: seed,
        scalars: {},
        extra: {},
        model: sp.toJSON(),
      };
    }
    default:
      throw new ParameterError(`unknown algorithm '${String(algorithm)}'; choose one of ${ALGORITHM_NAMES.join(', ')}`);
  }
}

/**
 * Covariances as nested arrays shaped as scikit-learn reports them: 'full' (k, d, d),
 * 'tied' (d, d), 'diag' (k, d), 'spherical' (k).
 */
function covarianceRows(c: Float64Array, type: string, k: number, d: number): unknown {
  const take = (off: number, n: number): number[] => Array.from(c.subarray(off, off + n));
  switch (type) {
    case 'full':
      return Array.from({ length: k }, (_, i) => Array.from({ length: d }, (_, r) => take(i * d * d + r * d, d)));
    case 'tied':
      return Array.from({ length: d }, (_, r) => take(r * d, d));
    case 'diag':
      return Array.from({ length: k }, (_, i) => take(i * d, d));
    default:
      return Array.from(c);
  }
}

/** Above this many samples the silhouette is estimated on a seeded random sample of this size. */
export const SILHOUETTE_SAMPLE_LIMIT = 10_000;

export interface ScoreOptions extends FitOptions {
  /** Seed for the silhouette sample on large data. */
  randomState?: number;
}

/**
 * The asked metrics of a clustering. Metrics that need ground truth are skipped when `y` is
 * null; metrics undefined for the partition (one cluster, all noise) are NaN, as a person would
 * read "not defined" rather than an error that loses the run. On more than
 * SILHOUETTE_SAMPLE_LIMIT samples the silhouette is estimated on a sample, and
 * `silhouetteSampleSize` says so.
 */
export function scoreClustering(
  names: readonly MetricName[],
  X: Matrix,
  labels: Int32Array,
  y: Int32Array | null,
  opts: ScoreOptions = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  const nLabels = new Set(labels).size;
  const internalDefined = nLabels >= 2 && nLabels <= X.rows - 1;
  names.forEach((name, i) => {
    const report = (f: number): void => opts.onProgress?.((i + f) / names.length);
    switch (name) {
      case 'silhouette': {
        if (!internalDefined) {
          out.silhouette = NaN;
          break;
        }
        const sampleSize = X.rows > SILHOUETTE_SAMPLE_LIMIT ? SILHOUETTE_SAMPLE_LIMIT : undefined;
        out.silhouette = silhouetteScore(X, labels, { sampleSize, randomState: opts.randomState ?? 0, onProgress: report });
        if (sampleSize) out.silhouetteSampleSize = sampleSize;
        break;
      }
      case 'calinski-harabasz':
        out.calinskiHarabasz = internalDefined ? calinskiHarabaszScore(X, labels) : NaN;
        break;
      case 'davies-bouldin':
        out.daviesBouldin = internalDefined ? daviesBouldinScore(X, labels) : NaN;
        break;
      case 'ari':
        if (y) out.ari = adjustedRandScore(y, labels);
        break;
      case 'nmi':
        if (y) out.nmi = normalizedMutualInfoScore(y, labels);
        break;
    }
    report(1);
  });
  return out;
}
