/** Clustering metrics of the core, with scikit-learn 1.2's definitions and conventions. */
export { silhouetteSamples, silhouetteScore, type SilhouetteOptions, type SilhouetteScoreOptions } from './silhouette';
export { inertia, calinskiHarabaszScore, daviesBouldinScore } from './unsupervised';
export {
  adjustedRandScore,
  normalizedMutualInfoScore,
  mutualInfoScore,
  accuracyScore,
  contingencyMatrix,
  type Contingency,
} from './supervised';
export { encodeLabels, type EncodedLabels } from './labels';
export { distanceSumsByCluster, type DistanceSumsOptions, type DistanceSumsVisitor } from './distance-sums';
