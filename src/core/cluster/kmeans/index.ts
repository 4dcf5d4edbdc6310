/** The K-Means family of the core: KMeans, MiniBatchKMeans, the step-through generator and the init helpers. */
export { KMeans, KMEANS_DEFAULTS, type KMeansParams, type KMeansIteration, type KMeansFitOptions, type KMeansAlgorithm, type KMeansRun } from './kmeans';
export { MiniBatchKMeans, MINIBATCH_DEFAULTS, type MiniBatchKMeansParams } from './minibatch';
export { kmeansPlusPlusIndices, randomIndices, explicitCenters } from './init';
export { nearestCenters, distancesToCenters } from './predict';
export { kmeansSteps, type KMeansStep, type KMeansStepsOptions, type KMeansStepsResult } from './steps';
