/**
 * The K-Means form's fields as typed text, their scikit-learn defaults, and the validation that
 * turns them into parameters — or into one message per field saying what is wrong.
 */
import type { KMeansParams } from './state/workspace.svelte';

export interface KMeansFields {
  nClusters: string;
  nInit: string;
  init: 'k-means++' | 'random';
  maxIter: string;
  tol: string;
  algorithm: 'lloyd' | 'elkan';
  /** Empty: a fresh seed, recorded with the run. */
  randomState: string;
}

export type FieldErrors = Partial<Record<keyof KMeansFields, string>>;

/** scikit-learn's defaults; n_clusters starts at the number of known classes when there are labels. */
export function defaultFields(classCount: number | null): KMeansFields {
  return {
    nClusters: String(classCount && classCount >= 2 ? classCount : 8),
    nInit: '10',
    init: 'k-means++',
    maxIter: '300',
    tol: '1e-4',
    algorithm: 'lloyd',
    randomState: '',
  };
}

const MAX_SEED = 2 ** 32 - 1;

function int(text: string, name: string, min: number, max: number, errors: FieldErrors, key: keyof KMeansFields): number {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isInteger(v)) errors[key] = `${name} must be a whole number`;
  else if (v < min) errors[key] = `${name} must be at least ${min}`;
  else if (v > max) errors[key] = `${name} must be at most ${max.toLocaleString('en-US')}`;
  return v;
}

/** Validates against a dataset of `nSamples` rows. */
export function validateKMeans(f: KMeansFields, nSamples: number): { params: KMeansParams | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const nClusters = int(f.nClusters, 'n_clusters', 1, nSamples, errors, 'nClusters');
  if (errors.nClusters && Number.isInteger(Number(f.nClusters)) && Number(f.nClusters) > nSamples) {
    errors.nClusters = `n_clusters cannot exceed the ${nSamples.toLocaleString('en-US')} samples`;
  }
  const nInit = int(f.nInit, 'n_init', 1, 1000, errors, 'nInit');
  const maxIter = int(f.maxIter, 'max_iter', 1, 100_000, errors, 'maxIter');
  const tolText = f.tol.trim();
  const tol = Number(tolText);
  if (tolText === '' || !Number.isFinite(tol)) errors.tol = 'tol must be a number, e.g. 1e-4';
  else if (tol < 0) errors.tol = 'tol cannot be negative';
  let randomState: number | undefined;
  if (f.randomState.trim() !== '') randomState = int(f.randomState, 'random_state', 0, MAX_SEED, errors, 'randomState');
  if (Object.keys(errors).length > 0) return { params: null, errors };
  const params: KMeansParams = { nClusters, nInit, init: f.init, maxIter, tol, algorithm: f.algorithm };
  if (randomState !== undefined) params.randomState = randomState;
  return { params, errors };
}
