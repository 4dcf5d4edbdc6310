/**
 * Analyses of the anomaly review (issue 6): a detector's scores and flags, PCA reconstructions of
 * the samples under review, and samples generated from a fitted mixture. The worker implements
 * them in src/main/worker/analyses/anomalies.ts with the detectors of src/core/anomalies (the
 * same code as the CLI's `anomalies` command).
 */
import type { DetectorMethod, DetectorSummary, ImageShape, InjectionKind, ThresholdSource } from '../../core/anomalies';
import type { DatasetSummary, MatrixDTO } from '../dto';

export type { DetectorMethod, ImageShape, InjectionKind };

export interface DetectParams {
  method: DetectorMethod;
  /**
   * The detector's hyperparameters by the core's names: gmm — nComponents, covarianceType, nInit,
   * maxIter, tol, regCovar, initParams, randomState, pcaVariance; pca — variance; dbscan — eps,
   * minSamples, pcaVariance; any — percentile or threshold (score units).
   */
  params: Record<string, unknown>;
  /** Rows the model does not learn from (they are still scored): injected copies, confirmed anomalies. */
  excludeRows?: number[];
}

/**
 * The log density of a mixture fitted on 2-D data on a grid of cells over the data, for
 * contours: cell (i, j) is centred at (x0 + (i + ½)(x1 − x0)/nx, y0 + (j + ½)(y1 − y0)/ny).
 */
export interface DensityGrid {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Cells per axis; values are row-major (ny, nx), row 0 at y0. */
  nx: number;
  ny: number;
  logDensity: Float64Array;
}

export interface DetectResult {
  method: DetectorMethod;
  /** One score per sample, higher = more anomalous: −log density, squared reconstruction error, distance to the nearest core sample. */
  scores: Float64Array;
  threshold: number;
  thresholdSource: ThresholdSource;
  /** The share asked for, when the threshold came from a percentile. */
  percentile: number | null;
  /** The flagged samples (score above the threshold), most anomalous first. */
  indices: Int32Array;
  /** Rows the model learned from. */
  nFitted: number;
  /** What the detector learned, in a few numbers (components kept, iterations, clusters…). */
  summary: DetectorSummary;
  /** The hyperparameters as used (a drawn seed included), to repeat the run. */
  params: Record<string, unknown>;
  /** DBSCAN: the cluster of each sample (−1 noise); null for the other detectors. */
  labels: Int32Array | null;
  /** Per-feature mean and standard deviation (ddof 0) of the data, for the queue's |z| highlights. */
  featureMean: Float64Array;
  featureStd: Float64Array;
  /** The smallest and largest value in the data: the scale images are drawn on. */
  valueRange: [number, number];
  /** The samples on their first two principal components when the data has more than two features (null when too large to compute here). */
  projection: { x: Float64Array; y: Float64Array; explained: [number, number] } | null;
  /** A mixture fitted on 2-D data: its log density on a grid (the chapter's contours). */
  density: DensityGrid | null;
}

export interface ReconstructParams {
  /** Components kept: a variance ratio in (0, 1) (default 0.99) or a count. */
  variance?: number;
  /** The rows to reconstruct (at most 500). */
  rows: number[];
  excludeRows?: number[];
}

export interface ReconstructResult {
  rows: Int32Array;
  nComponents: number;
  /** inverse_transform(transform(x)) of each row, (rows.length, nFeatures), float32. */
  reconstructions: MatrixDTO;
  /** Squared reconstruction error of each row. */
  errors: Float64Array;
}

export interface GenerateParams {
  /** The mixture's hyperparameters (as the gmm detector's: nComponents, covarianceType, pcaVariance, randomState…). */
  params: Record<string, unknown>;
  /** How many samples to draw (at most 1,000). */
  nSamples: number;
  /** Seed of the draw; default: the mixture's seed. */
  sampleSeed?: number;
  excludeRows?: number[];
}

export interface GenerateResult {
  /** The drawn samples in the data's feature space (through the inverse PCA when the mixture lives in a PCA space), (nSamples, nFeatures). */
  samples: MatrixDTO;
  /** The mixture component each sample came from. */
  components: Int32Array;
  /** −log density of each sample under the mixture (the detector's score). */
  scores: Float64Array;
  /** PCA components the mixture was fitted in, or null. */
  pcaComponents: number | null;
  /** The seed the mixture was fitted with, and the one the samples were drawn with. */
  randomState: number;
  sampleSeed: number;
}

export interface AnomalyAnalyses {
  /** One detector's score for every sample, its threshold and the flagged samples. */
  anomalies: { params: DetectParams; result: DetectResult; needsRun: false };
  /** PCA reconstructions of some rows, shown beside the originals in the review queue. */
  reconstruct: { params: ReconstructParams; result: ReconstructResult; needsRun: false };
  /** New samples drawn from a Gaussian mixture fitted on the data (new faces through the inverse PCA). */
  generate: { params: GenerateParams; result: GenerateResult; needsRun: false };
}

/** `anomalies.inject`: a new dataset of every row of an image dataset plus transformed copies. */
export interface InjectRequest {
  /** Copies of each kind (the chapter: 4 rotated, 3 flipped, 3 darkened), of distinct random rows per kind. */
  rotated?: number;
  flipped?: number;
  darkened?: number;
  /** Seed choosing the copied rows; default 42. */
  randomState?: number;
  /** The image size; default: read from the pixel feature names (square images). */
  image?: ImageShape;
  /** The new dataset's name; default "<name> + N injected". */
  name?: string;
}

export interface InjectResult {
  dataset: DatasetSummary;
  /** The rows of the new dataset that are copies, ascending (after every original row). */
  injectedRows: number[];
  /** The original row of each copy, and what was done to it. */
  sourceRows: number[];
  kinds: InjectionKind[];
  image: ImageShape;
  randomState: number;
}
