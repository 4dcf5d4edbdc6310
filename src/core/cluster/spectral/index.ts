export {
  SpectralClustering,
  KEEP_AFFINITY_MAX_SAMPLES,
  MAX_SAMPLES_DENSE,
  type SpectralParams,
  type SpectralAffinity,
  type SpectralAssignLabels,
} from './spectral';
export { rbfAffinity, knnAffinity } from './affinity';
export { normalizedLaplacianInPlace, embeddingFromLaplacian } from './embedding';
export { discretize } from './discretize';
