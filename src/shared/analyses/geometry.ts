/**
 * Analyses of the geometry views (decision boundaries, Gaussian-mixture densities, DBSCAN's
 * k-distance plot, the K-Means step-through, image segmentation): what each takes and returns.
 * The worker implements them in src/main/worker/analyses/geometry.ts.
 *
 * The 2-D views draw on a plane of the feature space: for a 2-D dataset the plane of its two
 * columns, for wider data the plane of its first two principal components (the `projection`
 * analysis). A point (u, v) of the view is the feature vector origin + u·axes[0] + v·axes[1].
 */

/** A plane of the feature space; the axes are orthonormal, (nFeatures) each. */
export interface Plane {
  origin: number[];
  axes: [number[], number[]];
}

/** A rectangle of the view, in plane coordinates. */
export interface Extent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * A grid of nx × ny cells over an extent, sampled at the cell centres: cell (i, j) is the point
 * (x0 + (i + ½)·(x1 − x0)/nx, y0 + (j + ½)·(y1 − y0)/ny). Grids are row-major, row 0 at y0, so
 * d3-contour's coordinate c maps back to x0 + c·(x1 − x0)/nx exactly.
 */
export interface GridSpec {
  extent: Extent;
  nx: number;
  ny: number;
}

/** The largest grid side an analysis accepts (a 1000 × 1000 grid is 4 MB of labels). */
export const MAX_GRID_SIDE = 1000;

/** How a clustering without `predict` (agglomerative, spectral) labels a new point. */
export type NearestRule = 'nearest-point' | 'nearest-mean';

export interface BoundariesParams {
  plane: Plane;
  grid: GridSpec;
  /** Agglomerative / spectral: the nearest labelled training point (default) or the nearest cluster mean. */
  rule?: NearestRule;
  /** DBSCAN: core samples that vote (default 50, the chapter's KNeighborsClassifier). */
  neighbors?: number;
  /** DBSCAN: a point farther than eps from every core sample is an anomaly, −1 (default true). */
  anomalies?: boolean;
}

export interface BoundariesResult {
  grid: GridSpec;
  /** Predicted label of every cell, (ny · nx) row-major; −1 = anomaly (DBSCAN). */
  labels: Int32Array;
  /** The distinct labels of the grid, ascending. */
  present: number[];
  /** How the labels were predicted, in words for the view. */
  predictor: string;
  /** Time spent predicting, milliseconds. */
  computeMs: number;
}

export interface DensityParams {
  plane: Plane;
  grid: GridSpec;
}

export interface DensityResult {
  grid: GridSpec;
  /** Negative log-likelihood −log p(x) of every cell, (ny · nx) row-major. */
  nll: Float64Array;
  /** Most probable component of every cell, (ny · nx): the decision boundaries. */
  labels: Int32Array;
  /** Smallest and largest finite value of `nll`. */
  min: number;
  max: number;
  /** Mixing weights, (k). */
  weights: Float64Array;
  /** Component means in plane coordinates, (k, 2) row-major. */
  means: Float64Array;
  computeMs: number;
}

export type CovarianceTypeName = 'full' | 'tied' | 'spherical' | 'diag';

export interface MixtureCompareParams {
  plane: Plane;
  grid: GridSpec;
  nComponents: number;
  /** Default: the chapter's order full, tied, spherical, diag. */
  covarianceTypes?: CovarianceTypeName[];
  /** Default 10, as in the chapter. */
  nInit?: number;
  randomState?: number;
}

export interface MixturePanel {
  covarianceType: CovarianceTypeName;
  bic: number;
  aic: number;
  converged: boolean;
  nIter: number;
  weights: Float64Array;
  /** (k, 2) in plane coordinates. */
  means: Float64Array;
  nll: Float64Array;
  labels: Int32Array;
  min: number;
  max: number;
}

export interface MixtureCompareResult {
  grid: GridSpec;
  nComponents: number;
  nInit: number;
  randomState: number;
  panels: MixturePanel[];
}

export interface KDistanceParams {
  /** DBSCAN's min_samples: the neighbour whose distance makes a point core (the point itself counted). */
  k: number;
}

export interface KDistanceResult {
  k: number;
  /**
   * Squared distance of every sample to its k-th nearest sample, the sample itself counted
   * first, (nSamples): the sample is a DBSCAN core sample for min_samples = k exactly when this
   * is ≤ eps², the same float64 test DBSCAN makes.
   */
  squared: Float64Array;
  /** The distances (square roots of `squared`), ascending: the k-distance curve. */
  sorted: Float64Array;
}

export interface KMeansStepsParams {
  nClusters: number;
  /** The chapter's step-through uses 'random' (k distinct samples). */
  init: 'random' | 'k-means++';
  /** One trajectory per seed, side by side (1 to 4). */
  seeds: number[];
  /** Lloyd iterations at most (default 300); steps beyond the cap are not kept. */
  maxIter?: number;
  tol?: number;
}

/** One Lloyd run, step by step (assign, update, assign, …). */
export interface KMeansTrajectory {
  seed: number;
  /** The rows chosen as initial centres, (k). */
  initialRows: Int32Array;
  nSteps: number;
  /** Per step: 0 = assign (points take their nearest centre), 1 = update (centres move to their means). */
  phase: Uint8Array;
  /** Per step: the 1-based Lloyd iteration. */
  iteration: Int32Array;
  /** Per step: the inertia of the labels against the step's centres. */
  inertia: Float64Array;
  /** Per step: labels that changed (assign steps). */
  changed: Int32Array;
  /** Centres of every step, (nSteps, k, nFeatures) row-major. */
  centers: Float64Array;
  /** Labels after each assign step, (nAssign, nSamples) row-major. */
  labels: Int32Array;
  /** Per step: its row in `labels`. */
  labelRow: Int32Array;
  /** Lloyd iterations run, and whether the run stopped by itself (not by the step cap). */
  nIter: number;
  complete: boolean;
  finalInertia: number;
}

export interface KMeansStepsResult {
  nClusters: number;
  nFeatures: number;
  nSamples: number;
  runs: KMeansTrajectory[];
}

/** The most labels a step-through keeps (steps × samples): 40 MB of int32. */
export const MAX_STEP_LABELS = 10_000_000;

export interface SegmentParams {
  /** Numbers of colours, e.g. the chapter's 10, 8, 6, 4, 2 (each 1..255). */
  ks: number[];
  /** Default 42, the chapter's. */
  randomState?: number;
  /** K-Means initialisations per k (default 10, scikit-learn 1.2's). */
  nInit?: number;
  /**
   * Fit on a seeded random sample of this many pixels, then give every pixel its nearest colour
   * (scikit-learn's colour-quantisation recipe; the inertia is the whole image's). 0 or absent
   * with `allPixels`: fit on every pixel, as the chapter does.
   */
  sampleSize?: number;
}

export interface Segmentation {
  k: number;
  /** The k colours, (k, 3) in the dataset's units (0..1). */
  palette: Float64Array;
  /** Colour index of every pixel, (nPixels). */
  labels: Uint8Array;
  /** Sum of squared distances of every pixel to its colour. */
  inertia: number;
  nIter: number;
}

export interface SegmentResult {
  nPixels: number;
  /** Pixels the colours were fitted on (nPixels when all were). */
  fittedOn: number;
  segments: Segmentation[];
}

export interface GeometryAnalyses {
  /** Predicted cluster of every cell of a grid on the view's plane (regions and boundaries). */
  boundaries: { params: BoundariesParams; result: BoundariesResult; needsRun: true };
  /** A Gaussian mixture's −log density and components on a grid. */
  density: { params: DensityParams; result: DensityResult; needsRun: true };
  /** The four covariance types fitted on the same data, each with its density grid and BIC. */
  'mixture-compare': { params: MixtureCompareParams; result: MixtureCompareResult; needsRun: false };
  /** Distance of every sample to its k-th nearest neighbour: DBSCAN's eps helper. */
  kdistance: { params: KDistanceParams; result: KDistanceResult; needsRun: false };
  /** Lloyd's iterations one phase at a time, for one or more seeds. */
  'kmeans-steps': { params: KMeansStepsParams; result: KMeansStepsResult; needsRun: false };
  /** An image dataset's colours clustered with K-Means for several k. */
  segment: { params: SegmentParams; result: SegmentResult; needsRun: false };
}

/** Kinds of GeometryAnalyses that need a run. */
export const GEOMETRY_NEEDING_RUN = ['boundaries', 'density'] as const;

// ── Images ──────────────────────────────────────────────────────────────────────────────────

/** An image the app can download on demand. */
export interface ImageSourceInfo {
  id: string;
  title: string;
  url: string;
  credit: string;
  /** Whether it is already in the data folder. */
  downloaded: boolean;
}

/** An image dataset's pixels: one row per pixel, row by row from the top left, RGB in 0..1. */
export interface ImagePixels {
  width: number;
  height: number;
  /** (height · width · 3) bytes, RGB. */
  rgb: Uint8Array;
}

const IMAGE_SOURCE = /^image:(\d+)x(\d+):(.+)$/;

/** The `source` of a dataset imported from an image: its size travels with it. */
export function imageSource(width: number, height: number, name: string): string {
  return `image:${width}x${height}:${name}`;
}

/** The size and file name of an image dataset, or null for any other dataset. */
export function parseImageSource(source: string): { width: number; height: number; name: string } | null {
  const m = IMAGE_SOURCE.exec(source);
  if (!m) return null;
  return { width: Number(m[1]), height: Number(m[2]), name: m[3] };
}
