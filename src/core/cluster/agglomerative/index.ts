export { AgglomerativeClustering, MAX_SAMPLES_PAIRWISE, type AgglomerativeParams } from './agglomerative';
export {
  condensedDistances,
  condensedIndex,
  cutTree,
  mstSingleLinkage,
  nnChainLinkage,
  type Linkage,
  type MergeProgress,
  type MergeTree,
} from './linkage';
