/**
 * The Choose-k form: which algorithm, the range of k, the covariance types of a mixture and the
 * seed, checked before the sweep starts (one message per field), and the fit a chosen k runs.
 */
import type { SweepParams } from '../../../../shared/analyses/explore';
import type { AlgorithmName } from '../algorithm-form';

export type SweepAlgorithm = SweepParams['algorithm'];

export const SWEEP_ALGORITHMS: readonly SweepAlgorithm[] = ['kmeans', 'minibatch-kmeans', 'gmm', 'bgmm', 'agglomerative', 'spectral'];
export const COVARIANCE_TYPES = ['full', 'tied', 'diag', 'spherical'] as const;
/** More values of k than this in one sweep is a mistake, not a wish. */
export const MAX_KS = 50;
const MAX_SEED = 2 ** 32 - 1;

export interface SweepFields {
  algorithm: SweepAlgorithm;
  kMin: string;
  kMax: string;
  /** Mixtures only. */
  covarianceTypes: string[];
  /** Empty: a fresh seed, reported with the sweep. */
  randomState: string;
}

export type SweepErrors = Partial<Record<keyof SweepFields, string>>;

export function isMixture(a: string): boolean {
  return a === 'gmm' || a === 'bgmm';
}

export function isSweepAlgorithm(a: unknown): a is SweepAlgorithm {
  return typeof a === 'string' && (SWEEP_ALGORITHMS as readonly string[]).includes(a);
}

/** k from 1 to 10 (the chapter's curves), fewer on tiny data; seed 42 as in the chapter. */
export function defaultSweepFields(nSamples: number): SweepFields {
  return { algorithm: 'kmeans', kMin: '1', kMax: String(Math.max(1, Math.min(10, nSamples - 1))), covarianceTypes: ['full'], randomState: '42' };
}

function whole(text: string, name: string): { v: number; error?: string } {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isInteger(v)) return { v, error: `${name} must be a whole number` };
  return { v };
}

export function validateSweep(f: SweepFields, nSamples: number): { params: SweepParams | null; errors: SweepErrors } {
  const errors: SweepErrors = {};
  const lo = whole(f.kMin, 'the smallest k');
  const hi = whole(f.kMax, 'the largest k');
  if (lo.error) errors.kMin = lo.error;
  else if (lo.v < 1) errors.kMin = 'the smallest k must be at least 1';
  if (hi.error) errors.kMax = hi.error;
  else if (hi.v > nSamples) errors.kMax = `the largest k cannot exceed the ${nSamples.toLocaleString('en-US')} samples`;
  else if (!errors.kMin && hi.v < lo.v) errors.kMax = 'the largest k must be at least the smallest';
  else if (!errors.kMin && hi.v - lo.v + 1 > MAX_KS) errors.kMax = `at most ${MAX_KS} values of k in one sweep`;
  const mixture = isMixture(f.algorithm);
  const types = f.covarianceTypes.filter((t) => (COVARIANCE_TYPES as readonly string[]).includes(t));
  if (mixture && types.length === 0) errors.covarianceTypes = 'choose at least one covariance type';
  let randomState: number | undefined;
  if (f.randomState.trim() !== '') {
    const s = whole(f.randomState, 'random_state');
    if (s.error) errors.randomState = s.error;
    else if (s.v < 0 || s.v > MAX_SEED) errors.randomState = `random_state must be in 0..${MAX_SEED}`;
    else randomState = s.v;
  }
  if (Object.keys(errors).length > 0) return { params: null, errors };
  const ks = Array.from({ length: hi.v - lo.v + 1 }, (_, i) => lo.v + i);
  const params: SweepParams = { algorithm: f.algorithm, ks };
  // Keep COVARIANCE_TYPES order, so the series always come in the same order.
  if (mixture) params.covarianceTypes = COVARIANCE_TYPES.filter((t) => types.includes(t));
  if (randomState !== undefined) params.randomState = randomState;
  return { params, errors };
}

/**
 * The fit that reproduces the sweep's model at k: same algorithm, fixed parameters and seed,
 * k and (for mixtures) the covariance type of the chosen curve.
 */
export function fitForK(
  sweep: { algorithm: SweepAlgorithm; params?: Record<string, unknown>; randomState: number },
  k: number,
  covarianceType: string | null,
): { algorithm: AlgorithmName; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { ...(sweep.params ?? {}) };
  params[isMixture(sweep.algorithm) ? 'nComponents' : 'nClusters'] = k;
  if (sweep.algorithm === 'agglomerative') delete params.distanceThreshold;
  else params.randomState = sweep.randomState;
  if (isMixture(sweep.algorithm) && covarianceType && covarianceType !== 'all') params.covarianceType = covarianceType;
  return { algorithm: sweep.algorithm, params };
}

/**
 * A short list of k to compare side by side ("3, 4, 5, 6"): distinct whole numbers from 2 to
 * nSamples − 1 (a silhouette needs two clusters and one sample to spare), at most `max`.
 */
export function parseKList(text: string, nSamples: number, max: number): { ks: number[] | null; error: string | null } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { ks: null, error: 'list the values of k, e.g. 3, 4, 5, 6' };
  const ks: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v)) return { ks: null, error: `'${p}' is not a whole number` };
    if (v < 2) return { ks: null, error: 'a silhouette needs k ≥ 2' };
    if (v > nSamples - 1) return { ks: null, error: `k must be at most ${(nSamples - 1).toLocaleString('en-US')} (the samples − 1)` };
    if (!ks.includes(v)) ks.push(v);
  }
  if (ks.length > max) return { ks: null, error: `at most ${max} values of k side by side` };
  return { ks: ks.sort((a, b) => a - b), error: null };
}
