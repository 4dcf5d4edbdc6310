/** Linear dimensionality reduction of the core. */
export { PCA, PCA_DEFAULTS, type PCAParams } from './pca';
