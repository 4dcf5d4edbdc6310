/**
 * Chooses and builds a neighbour index: a uniform grid for 1 to 3 features (where it beats any
 * tree), a KD-tree for moderate dimensions and a blocked brute-force scan above 15 features,
 * where trees stop pruning (scikit-learn's own switch point).
 */
import type { Matrix } from '../math/matrix';
import { ParameterError } from '../errors';
import { BruteIndex } from './brute';
import { GridIndex, GRID_MAX_FEATURES } from './grid';
import { KDTree } from './kdtree';
import type { IndexAlgorithm, NeighborIndex } from './query';

export interface IndexOptions {
  /** `'auto'`: grid for ≤ 3 features when a radius is given, KD-tree up to 15, brute force above. */
  algorithm?: 'auto' | IndexAlgorithm;
  /** The radius the index will mostly be queried with: the grid's cell size. */
  radius?: number;
  /** Points per KD-tree leaf (scikit-learn's `leaf_size`). */
  leafSize?: number;
}

/** scikit-learn switches from trees to brute force above this many features. */
export const TREE_MAX_FEATURES = 15;

/** The algorithm `'auto'` resolves to for data of `nFeatures` columns. */
export function chooseAlgorithm(nFeatures: number, radius?: number): IndexAlgorithm {
  if (radius !== undefined && nFeatures <= GRID_MAX_FEATURES) return 'grid';
  return nFeatures <= TREE_MAX_FEATURES ? 'kd_tree' : 'brute';
}

/** Builds a neighbour index over the rows of `X`, (nSamples, nFeatures). */
export function buildNeighborIndex(X: Matrix, opts: IndexOptions = {}): NeighborIndex {
  const auto = !opts.algorithm || opts.algorithm === 'auto';
  const algorithm = auto ? chooseAlgorithm(X.cols, opts.radius) : opts.algorithm;
  // A radius tiny against the data's extent would need too many cells: a tree then.
  if (auto && algorithm === 'grid') return GridIndex.tryBuild(X, opts.radius) ?? new KDTree(X, opts.leafSize);
  switch (algorithm) {
    case 'grid':
      return new GridIndex(X, opts.radius);
    case 'kd_tree':
      return new KDTree(X, opts.leafSize);
    case 'brute':
      return new BruteIndex(X);
    default:
      throw new ParameterError(`algorithm must be one of 'auto', 'grid', 'kd_tree', 'brute', got '${String(algorithm)}'`);
  }
}

