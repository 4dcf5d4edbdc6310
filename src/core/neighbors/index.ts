export { NeighborBuffer } from './buffer';
export { BruteIndex } from './brute';
export { KNeighborsClassifier, type KNeighborsClassifierParams } from './classifier';
export { GridIndex, GRID_MAX_FEATURES } from './grid';
export { KDTree } from './kdtree';
export type { IndexAlgorithm, KNeighborsResult, NeighborIndex } from './query';
export { buildNeighborIndex, chooseAlgorithm, type IndexOptions, TREE_MAX_FEATURES } from './search';
