/** Clustering for semi-supervised learning: representatives, label propagation, active learning, distance features. */
export {
  UNLABELED,
  type CentroidModel,
  representatives,
  nearestSamples,
  ownCentroidDistances,
  propagateToClusters,
  propagateToPercentile,
  clusterCutoffs,
  leastConfident,
  clusterDistanceFeatures,
} from './propagation';
export { percentile, percentileOfSorted } from './percentile';
