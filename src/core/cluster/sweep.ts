/**
 * Model selection over k: one pass that fits an algorithm for every k (and, for mixtures, every
 * covariance type) and records the curves the chapter plots — inertia (elbow), silhouette, BIC
 * and AIC — with the suggested choice for each. Used by the "Choose k" view, its job and the CLI.
 */
import type { FitOptions } from '../base';
import type { Matrix } from '../math/matrix';
import { ParameterError } from '../errors';
import { calinskiHarabaszScore, daviesBouldinScore } from '../metrics';
import { fitClustering, scoreClustering, type AlgorithmName } from './registry';

export const SWEEPABLE = ['kmeans', 'minibatch-kmeans', 'gmm', 'bgmm', 'agglomerative', 'spectral'] as const;
export type SweepAlgorithm = (typeof SWEEPABLE)[number];

export interface SweepOptions extends FitOptions {
  /** The other hyperparameters, fixed across the sweep. */
  params?: Record<string, unknown>;
  /** Mixtures only: each covariance type gets its own curve. */
  covarianceTypes?: readonly string[];
  /** Seed for every fit and for the silhouette sample; one is drawn when absent. */
  randomState?: number;
}

export interface SweepPoint {
  k: number;
  covarianceType?: string;
  inertia?: number;
  silhouette?: number;
  calinskiHarabasz?: number;
  daviesBouldin?: number;
  bic?: number;
  aic?: number;
  /** Mean log-likelihood per sample (mixtures). */
  score?: number;
  /** Clusters actually found (a Bayesian mixture may use fewer than k). */
  nClusters: number;
}

export interface SweepResult {
  algorithm: SweepAlgorithm;
  ks: number[];
  points: SweepPoint[];
  /** Set when the silhouette was estimated on a sample (large data). */
  silhouetteSampleSize: number | null;
  randomState: number;
  /** The suggested k by each criterion (and covariance type for BIC/AIC). */
  best: {
    silhouette?: { k: number; value: number };
    elbow?: { k: number; value: number };
    bic?: { k: number; covarianceType?: string; value: number };
    aic?: { k: number; covarianceType?: string; value: number };
  };
}

/** Parses '1..10', '2,4,8' or '3' into an ascending list of distinct positive integers. */
export function parseKRange(spec: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)\s*\.\.\s*(\d+)$/.exec(part);
    if (m) {
      const a = Number(m[1]), b = Number(m[2]);
      if (a > b) throw new ParameterError(`k range '${part}' is empty (start > end)`);
      if (b - a > 500) throw new ParameterError(`k range '${part}' has more than 500 values`);
      for (let k = a; k <= b; k++) out.add(k);
    } else if (/^\d+$/.test(part)) out.add(Number(part));
    else throw new ParameterError(`'${part}' is not a k (use 3, 2,4,8 or 1..10)`);
  }
  const ks = [...out].sort((x, y) => x - y);
  if (ks.length === 0) throw new ParameterError('the k range is empty');
  if (ks[0] < 1) throw new ParameterError('k must be at least 1');
  return ks;
}

/**
 * The elbow of a decreasing curve (inertia against k): the k after which the gains collapse, i.e.
 * the largest ratio between the drop that reached k and the drop that follows it. Drops smaller
 * than 5 % of the whole decrease are ignored, so that noise at large k cannot win. The chord
 * ("kneedle") rule is a common alternative, but on the chapter's blobs it picks k = 2, against
 * the k = 4 the chapter reads off its figure.
 */
export function elbow(ks: readonly number[], values: readonly number[]): number | null {
  const n = ks.length;
  if (n < 3) return null;
  const total = values[0] - values[n - 1];
  if (!(total > 0)) return null;
  let best: number | null = null;
  let bestRatio = 1;
  for (let i = 1; i < n - 1; i++) {
    const before = values[i - 1] - values[i];
    const after = values[i] - values[i + 1];
    if (before < 0.05 * total) continue;
    const ratio = before / Math.max(after, total * 1e-9);
    if (ratio > bestRatio) {
      bestRatio = ratio;
      best = ks[i];
    }
  }
  return best;
}

function kParam(algorithm: SweepAlgorithm): 'nClusters' | 'nComponents' {
  return algorithm === 'gmm' || algorithm === 'bgmm' ? 'nComponents' : 'nClusters';
}

/** The (covariance type, k) pairs of a sweep, in the order of its points: types outer, k inner. */
export function sweepPlan(algorithm: AlgorithmName, X: Matrix, ks: readonly number[], opts: SweepOptions = {}): Array<{ k: number; covarianceType?: string }> {
  if (!(SWEEPABLE as readonly string[]).includes(algorithm)) {
    throw new ParameterError(`a sweep over k needs an algorithm with a number of clusters: ${SWEEPABLE.join(', ')} (not ${algorithm})`);
  }
  const mixture = algorithm === 'gmm' || algorithm === 'bgmm';
  const types = mixture ? (opts.covarianceTypes?.length ? [...opts.covarianceTypes] : [String(opts.params?.covarianceType ?? 'full')]) : [undefined];
  for (const k of ks) if (!(Number.isInteger(k) && k >= 1 && k <= X.rows)) throw new ParameterError(`k = ${k} is outside 1..${X.rows} (the number of samples)`);
  return types.flatMap((covarianceType) => ks.map((k) => (covarianceType ? { k, covarianceType } : { k })));
}

/** One point of a sweep, and the silhouette's sample size when it was estimated on a sample. */
export interface SweepPointResult {
  point: SweepPoint;
  silhouetteSampleSize: number | null;
}

/**
 * One point of a sweep: the fit for k (and covariance type) with the sweep's seed, and its
 * scores. A point depends only on its inputs, so the points of a sweep can be computed in any
 * order, in any process, and `sweepResult` of them gives what `sweepK` gives.
 * @param X (nSamples, nFeatures)
 */
export function sweepPoint(
  algorithm: SweepAlgorithm,
  X: Matrix,
  k: number,
  covarianceType: string | undefined,
  randomState: number,
  opts: SweepOptions = {},
): SweepPointResult {
  const params: Record<string, unknown> = { ...opts.params, [kParam(algorithm)]: k };
  if (algorithm !== 'agglomerative') params.randomState = randomState;
  if (covarianceType) params.covarianceType = covarianceType;
  if (algorithm === 'agglomerative') delete params.distanceThreshold;
  const share = (f: number): void => opts.onProgress?.(f * 0.8, `k = ${k}${covarianceType ? `, ${covarianceType}` : ''}`);
  const out = fitClustering(algorithm, params, X, { onProgress: share });
  const point: SweepPoint = { k, nClusters: out.nClusters };
  if (covarianceType) point.covarianceType = covarianceType;
  if (out.scalars.inertia !== undefined) point.inertia = out.scalars.inertia;
  if (out.scalars.bic !== undefined) point.bic = out.scalars.bic;
  if (out.scalars.aic !== undefined) point.aic = out.scalars.aic;
  if (out.scalars.score !== undefined) point.score = out.scalars.score;
  let sampleSize: number | null = null;
  const distinct = out.nClusters;
  if (distinct >= 2 && distinct <= X.rows - 1) {
    const s = scoreClustering(['silhouette'], X, out.labels, null, { randomState, onProgress: (f) => share(1 + f / 4) });
    point.silhouette = s.silhouette;
    if (s.silhouetteSampleSize) sampleSize = s.silhouetteSampleSize;
    point.calinskiHarabasz = calinskiHarabaszScore(X, out.labels);
    point.daviesBouldin = daviesBouldinScore(X, out.labels);
  }
  return { point, silhouetteSampleSize: sampleSize };
}

/** A sweep's result from its points (in `sweepPlan` order), with the suggested k by each criterion. */
export function sweepResult(algorithm: SweepAlgorithm, ks: readonly number[], points: readonly SweepPointResult[], randomState: number): SweepResult {
  let sampleSize: number | null = null;
  for (const p of points) if (p.silhouetteSampleSize) sampleSize = p.silhouetteSampleSize;
  const list = points.map((p) => p.point);
  return { algorithm, ks: [...ks], points: list, silhouetteSampleSize: sampleSize, randomState, best: pickBest(list, ks) };
}

export function sweepK(algorithm: AlgorithmName, X: Matrix, ks: readonly number[], opts: SweepOptions = {}): SweepResult {
  const plan = sweepPlan(algorithm, X, ks, opts);
  const algo = algorithm as SweepAlgorithm;
  const randomState = opts.randomState ?? Math.floor(Math.random() * 2147483647);
  const points: SweepPointResult[] = [];
  plan.forEach(({ k, covarianceType }, done) => {
    const onProgress = opts.onProgress ? (f: number, m?: string) => opts.onProgress!((done + f) / plan.length, m) : undefined;
    points.push(sweepPoint(algo, X, k, covarianceType, randomState, { ...opts, onProgress }));
    opts.onProgress?.((done + 1) / plan.length, `k = ${k}${covarianceType ? `, ${covarianceType}` : ''}`);
  });
  return sweepResult(algo, ks, points, randomState);
}

function pickBest(points: SweepPoint[], ks: readonly number[]): SweepResult['best'] {
  const best: SweepResult['best'] = {};
  for (const p of points) {
    if (p.silhouette !== undefined && Number.isFinite(p.silhouette) && (!best.silhouette || p.silhouette > best.silhouette.value)) {
      best.silhouette = { k: p.k, value: p.silhouette };
    }
    for (const c of ['bic', 'aic'] as const) {
      const v = p[c];
      if (v !== undefined && (!best[c] || v < best[c]!.value)) best[c] = { k: p.k, value: v, ...(p.covarianceType ? { covarianceType: p.covarianceType } : {}) };
    }
  }
  const inertia = points.filter((p) => p.inertia !== undefined && !p.covarianceType);
  if (inertia.length === ks.length) {
    const k = elbow(ks, inertia.map((p) => p.inertia!));
    if (k !== null) best.elbow = { k, value: inertia.find((p) => p.k === k)!.inertia! };
  }
  return best;
}
