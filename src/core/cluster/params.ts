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
  'minibatch-kmeans': [
    { name: 'nClusters', sklearn: 'n_clusters', type: 'int', default: 8, min: 1, help: 'Number of clusters (k).' },
    { name: 'init', sklearn: 'init', type: 'string', default: 'k-means++', choices: ['k-means++', 'random'], help: 'How the first centroids are chosen, on a sample of init_size points.' },
    { name: 'batchSize', sklearn: 'batch_size', type: 'int', default: 1024, min: 1, help: 'Samples per mini-batch step.' },
    { name: 'maxIter', sklearn: 'max_iter', type: 'int', default: 100, min: 1, help: 'Maximum passes over the data.' },
    { name: 'maxNoImprovement', sklearn: 'max_no_improvement', type: 'int', default: 10, min: 0, help: 'Stop after this many steps without improvement of the smoothed batch inertia.' },
    { name: 'nInit', sklearn: 'n_init', type: 'int', default: 3, min: 1, help: 'Initialisations compared on a validation sample; the best is kept.' },
    { name: 'initSize', sklearn: 'init_size', type: 'int', min: 1, help: 'Samples used to initialise (default 3 × batch_size).' },
    { name: 'reassignmentRatio', sklearn: 'reassignment_ratio', type: 'number', default: 0.01, min: 0, help: 'Centroids with fewer points than this fraction of the largest are moved.' },
    { name: 'tol', sklearn: 'tol', type: 'number', default: 0, min: 0, help: 'Stop when the centroids move less than this (relative to the feature variance); 0 disables it.' },
    randomState,
  ],
  dbscan: [
    { name: 'eps', sklearn: 'eps', type: 'number', default: 0.5, min: 0, help: 'Neighbourhood radius: points closer than eps are neighbours.' },
    { name: 'minSamples', sklearn: 'min_samples', type: 'int', default: 5, min: 1, help: 'Neighbours (the point itself included) that make a point a core point.' },
    { name: 'algorithm', sklearn: 'algorithm', type: 'string', default: 'auto', choices: ['auto', 'grid', 'kd_tree', 'brute'], help: "Neighbour search: 'auto' picks a grid (≤ 3 features), a KD-tree (≤ 15) or brute force." },
    { name: 'leafSize', sklearn: 'leaf_size', type: 'int', default: 30, min: 1, help: 'Points per KD-tree leaf.' },
  ],
  gmm: [
    { name: 'nComponents', sklearn: 'n_components', type: 'int', default: 1, min: 1, help: 'Number of Gaussian components.' },
    { name: 'covarianceType', sklearn: 'covariance_type', type: 'string', default: 'full', choices: ['full', 'tied', 'diag', 'spherical'], help: "Shape of each component: 'full' any ellipse, 'tied' one shared ellipse, 'diag' axis-aligned, 'spherical' round." },
    { name: 'nInit', sklearn: 'n_init', type: 'int', default: 1, min: 1, help: 'EM runs from different starts; the best lower bound is kept.' },
    { name: 'initParams', sklearn: 'init_params', type: 'string', default: 'kmeans', choices: ['kmeans', 'k-means++', 'random', 'random_from_data'], help: 'How the responsibilities start.' },
    { name: 'maxIter', sklearn: 'max_iter', type: 'int', default: 100, min: 1, help: 'EM iterations per run.' },
    { name: 'tol', sklearn: 'tol', type: 'number', default: 1e-3, min: 0, help: 'EM stops when the lower bound gains less than this.' },
    { name: 'regCovar', sklearn: 'reg_covar', type: 'number', default: 1e-6, min: 0, help: 'Added to the covariance diagonals so they stay positive definite.' },
    randomState,
  ],
  bgmm: [
    { name: 'nComponents', sklearn: 'n_components', type: 'int', default: 1, min: 1, help: 'Upper bound on the number of components; unneeded ones get weights near 0.' },
    { name: 'covarianceType', sklearn: 'covariance_type', type: 'string', default: 'full', choices: ['full', 'tied', 'diag', 'spherical'], help: 'Shape of each component.' },
    { name: 'weightConcentrationPriorType', sklearn: 'weight_concentration_prior_type', type: 'string', default: 'dirichlet_process', choices: ['dirichlet_process', 'dirichlet_distribution'], help: 'Prior on the weights: a stick-breaking Dirichlet process or a finite Dirichlet distribution.' },
    { name: 'weightConcentrationPrior', sklearn: 'weight_concentration_prior', type: 'number', min: 0, help: 'Concentration of the weight prior (default 1 / n_components); small values favour few components.' },
    { name: 'meanPrecisionPrior', sklearn: 'mean_precision_prior', type: 'number', min: 0, help: 'Precision of the prior on the means (default 1).' },
    { name: 'degreesOfFreedomPrior', sklearn: 'degrees_of_freedom_prior', type: 'number', help: 'Degrees of freedom of the Wishart prior (default n_features).' },
    { name: 'nInit', sklearn: 'n_init', type: 'int', default: 1, min: 1, help: 'Variational runs from different starts; the best lower bound is kept.' },
    { name: 'initParams', sklearn: 'init_params', type: 'string', default: 'kmeans', choices: ['kmeans', 'k-means++', 'random', 'random_from_data'], help: 'How the responsibilities start.' },
    { name: 'maxIter', sklearn: 'max_iter', type: 'int', default: 100, min: 1, help: 'Iterations per run.' },
    { name: 'tol', sklearn: 'tol', type: 'number', default: 1e-3, min: 0, help: 'Stops when the lower bound gains less than this.' },
    { name: 'regCovar', sklearn: 'reg_covar', type: 'number', default: 1e-6, min: 0, help: 'Added to the covariance diagonals so they stay positive definite.' },
    randomState,
  ],
  agglomerative: [
    { name: 'nClusters', sklearn: 'n_clusters', type: 'int', default: 2, min: 1, help: 'Number of clusters; leave empty when a distance threshold is given.' },
    { name: 'distanceThreshold', sklearn: 'distance_threshold', type: 'number', min: 0, help: 'Merge only below this linkage distance (then n_clusters must be empty).' },
    { name: 'linkage', sklearn: 'linkage', type: 'string', default: 'ward', choices: ['ward', 'complete', 'average', 'single'], help: 'Which distance between clusters decides the next merge.' },
    { name: 'computeDistances', sklearn: 'compute_distances', type: 'boolean', default: false, help: 'Keep the merge distances (for a dendrogram) even without a threshold.' },
  ],
  spectral: [
    { name: 'nClusters', sklearn: 'n_clusters', type: 'int', default: 8, min: 1, help: 'Number of clusters, and of eigenvectors in the embedding.' },
    { name: 'affinity', sklearn: 'affinity', type: 'string', default: 'rbf', choices: ['rbf', 'nearest_neighbors'], help: "How similar two points are: 'rbf' exp(−γ‖x − y‖²), or a k-nearest-neighbour graph." },
    { name: 'gamma', sklearn: 'gamma', type: 'number', default: 1, min: 0, help: 'Width of the RBF kernel: larger values make only close points similar.' },
    { name: 'nNeighbors', sklearn: 'n_neighbors', type: 'int', default: 10, min: 1, help: "Neighbours per point for affinity='nearest_neighbors'." },
    { name: 'assignLabels', sklearn: 'assign_labels', type: 'string', default: 'kmeans', choices: ['kmeans', 'discretize'], help: 'How labels are read off the spectral embedding.' },
    { name: 'nInit', sklearn: 'n_init', type: 'int', default: 10, min: 1, help: 'K-Means runs on the embedding.' },
    randomState,
  ],
};

/** scikit-learn's defaults of an algorithm, by the core's names. */
export function defaultParams(algorithm: AlgorithmName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ALGORITHM_PARAMS[algorithm]) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}
