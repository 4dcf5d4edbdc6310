/**
 * Anomaly detection (the chapter's Gaussian-mixture densities, PCA reconstruction errors and
 * DBSCAN noise) behind one interface, shared by the app's worker and the CLI: a score per sample
 * (higher = more anomalous), a threshold, the flagged samples most anomalous first.
 */
import type { EstimatorJSON } from '../base';
import { DataError, ParameterError } from '../errors';
import type { AnomalyDetector, DetectorMethod } from './detector';
import { DensityDetector, type DensityDetectorParams } from './density';
import { NoiseDetector, type NoiseDetectorParams } from './noise';
import { ReconstructionDetector, type ReconstructionDetectorParams } from './reconstruction';
import type { ThresholdParams } from './threshold';

export { AnomalyDetector, DETECTOR_METHODS, checkFitRows, type DetectorFitOptions, type DetectorMethod, type DetectorSummary } from './detector';
export { DensityDetector, DENSITY_DEFAULTS, type DensityDetectorParams, type DensitySample } from './density';
export { ReconstructionDetector, RECONSTRUCTION_DEFAULTS, type ReconstructionDetectorParams } from './reconstruction';
export { NoiseDetector, NOISE_DEFAULTS, type NoiseDetectorParams } from './noise';
export {
  DEFAULT_PERCENTILE,
  flaggedAbove,
  rankByScore,
  resolveThreshold,
  thresholdForShare,
  type ThresholdParams,
  type ThresholdSource,
} from './threshold';
export { agreementMatrix, flagMasks, validationReport, vennRegions, type ValidationReport } from './agreement';
export {
  DARKEN_FACTOR,
  INJECTION_KINDS,
  checkImageShape,
  chooseInjections,
  guessImageShape,
  imageShapeOf,
  pixelLayout,
  injectAnomalies,
  injectedKind,
  injectedName,
  injectedRows,
  transformImage,
  type ImageShape,
  type Injection,
  type InjectionKind,
} from './inject';

/** The hyperparameters of each method's detector. */
export interface DetectorParamsByMethod {
  gmm: DensityDetectorParams;
  pca: ReconstructionDetectorParams;
  dbscan: NoiseDetectorParams;
}

/** Every parameter name a method accepts (for the CLI and the backend to reject strays). */
export const DETECTOR_PARAM_NAMES: { readonly [M in DetectorMethod]: readonly string[] } = {
  gmm: ['nComponents', 'covarianceType', 'tol', 'regCovar', 'maxIter', 'nInit', 'initParams', 'randomState', 'pcaVariance', 'percentile', 'threshold'],
  pca: ['variance', 'percentile', 'threshold'],
  dbscan: ['eps', 'minSamples', 'algorithm', 'leafSize', 'pcaVariance', 'percentile', 'threshold'],
};

/**
 * A detector for `method` with the given hyperparameters (scikit-learn names in camelCase);
 * a parameter the method does not have is refused.
 */
export function makeDetector(method: DetectorMethod, params: Record<string, unknown> = {}): AnomalyDetector<ThresholdParams> {
  const names = DETECTOR_PARAM_NAMES[method];
  if (!names) throw new ParameterError(`method must be one of 'gmm', 'pca', 'dbscan', got ${JSON.stringify(method)}`);
  for (const k of Object.keys(params)) {
    if (!names.includes(k)) throw new ParameterError(`${k} is not a parameter of the ${method} detector (it takes ${names.join(', ')})`);
  }
  switch (method) {
    case 'gmm':
      return new DensityDetector(params as Partial<DensityDetectorParams>);
    case 'pca':
      return new ReconstructionDetector(params as Partial<ReconstructionDetectorParams>);
    case 'dbscan':
      return new NoiseDetector(params as Partial<NoiseDetectorParams>);
  }
}

/** Restores any detector from its JSON. */
export function detectorFromJSON(j: EstimatorJSON): AnomalyDetector<ThresholdParams> {
  switch (j?.estimator) {
    case 'DensityDetector':
      return DensityDetector.fromJSON(j);
    case 'ReconstructionDetector':
      return ReconstructionDetector.fromJSON(j);
    case 'NoiseDetector':
      return NoiseDetector.fromJSON(j);
    default:
      throw new DataError(`not a saved anomaly detector: ${String(j?.estimator)}`);
  }
}
