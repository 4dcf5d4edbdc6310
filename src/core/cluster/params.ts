/**
 * Every algorithm's hyperparameters in one table: the core's camelCase name, scikit-learn's name,
 * type, default and a one-line explanation. The CLI derives its flags from it, the app its forms
 * and their help text, so the three never disagree.
 */
import type { AlgorithmName } from './registry';

export type ParamType = 'int' | 'number' | 'string' | 'int-or-string' | 'number-or-string' | 'boolean';

export interface ParamSpec {
  /** The core's name, e.g. `nClusters`. */
  name: string;
  /** scikit-learn's name, e.g. `n_clusters`. */
  sklearn: string;
  type: ParamType;
  /** scikit-learn's default (undefined = None). */
  default?: number | string | boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  help: string;
}

const randomState: ParamSpec = {
  name: 'randomState',
  sklearn: 'random_state',
  type: 'int',
  min: 0,
  help: 'Seed of the random generator; empty for a fresh seed (the run records the seed it used).',
};

export const ALGORITHM_PARAMS: Record<AlgorithmName, readonly ParamSpec[]> = {
  kmeans: [
    { name: 'nClusters', sklearn: 'n_clusters', type: 'int', default: 8, min: 1, help: 'Number of clusters (k) and of centroids to find.' },
    { name: 'init', sklearn: 'init', type: 'string', default: 'k-means++', choices: ['k-means++', 'random'], help: "How the first centroids are chosen: 'k-means++' spreads them out, 'random' picks k samples." },
    { name: 'nInit', sklearn: 'n_init', type: 'int', default: 10, min: 1, help: 'Runs with different initial centroids; the one with the lowest inertia is kept.' },
    { name: 'maxIter', sklearn: 'max_iter', type: 'int', default: 300, min: 1, help: 'Maximum number of iterations of one run.' },
    { name: 'tol', sklearn: 'tol', type: 'number', default: 1e-4, min: 0, help: 'Convergence tolerance on the centroid shift, relative to the mean feature variance.' },
    { name: 'algorithm', sklearn: 'algorithm', type: 'string', default: 'lloyd', choices: ['lloyd', 'elkan'], help: "'lloyd' is classic EM-style K-Means; 'elkan' skips distances with the triangle inequality (same result)." },
    randomState,
  ],
  'minibatch-kmeans': [],
  dbscan: [],
  gmm: [],
  bgmm: [],
  agglomerative: [],
  spectral: [],
};

/** scikit-learn's defaults of an algorithm, by the core's names. */
export function defaultParams(algorithm: AlgorithmName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ALGORITHM_PARAMS[algorithm]) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}
