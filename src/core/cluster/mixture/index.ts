/** Gaussian mixtures: EM (`GaussianMixture`) and variational (`BayesianGaussianMixture`). */
export { GaussianMixture, GAUSSIAN_MIXTURE_DEFAULTS } from './gaussianMixture';
export type { GaussianMixtureParams, GaussianMixtureParameters } from './gaussianMixture';
export {
  BayesianGaussianMixture,
  BAYESIAN_GAUSSIAN_MIXTURE_DEFAULTS,
  WEIGHT_CONCENTRATION_PRIOR_TYPES,
} from './bayesianGaussianMixture';
export type { BayesianGaussianMixtureParams, WeightConcentrationPriorType } from './bayesianGaussianMixture';
export { BaseMixture, INIT_PARAMS, MIXTURE_DEFAULTS } from './base';
export type { InitParams, MixtureFitOptions, MixtureParams, MixtureSample } from './base';
export { COVARIANCE_TYPES, covarianceShape } from './gaussian';
export type { CovarianceType } from './gaussian';
export { digamma, gammaln, betaln } from './special';
