/**
 * Job specs (what the renderer asks for), worker tasks (what the backend hands a worker process)
 * and the worker message protocol. Every union is discriminated on `kind` or `type`.
 */
import type { AlgorithmName, MetricName } from '../core/cluster/registry';
import type { MatrixDTO } from './dto';
import type { AnalysisKind } from './analyses';
import type { ImageImportTask, ImageSetResult, SampleTask } from './images';

export type { AlgorithmName, MetricName };

/** Fit one clustering algorithm on a dataset of the open project; the result is saved as a run. */
export interface FitJobSpec {
  kind: 'fit';
  datasetId: string;
  algorithm: AlgorithmName;
  /** Hyperparameters by the core's (camelCase scikit-learn) names; validated by the estimator. */
  params: Record<string, unknown>;
  metrics: MetricName[];
  /** Data preparation before the fit (the labeling workflow's options); recorded with the run's params. */
  preprocess?: FitPreprocess;
}

/**
 * What the worker does to the data before a fit. With PCA the clustering lives in the reduced
 * space: the run's centres are mapped back to the original features (inverse transform), and its
 * model JSON carries `preprocess: { pca, holdout }` next to the estimator's own fields
 * so that analyses can map rows into that space again (src/main/worker/labeling/preprocess.ts).
 */
export interface FitPreprocess {
  /** Keep the principal components explaining this share of the variance, in (0, 1) (the chapter: 0.99). */
  pcaVariance?: number;
  /**
   * Fit (PCA included) on the training part of a seeded split only, as the chapter fits on
   * X_train; the held-out rows get the cluster the fitted model predicts for them. Needs an
   * algorithm that predicts (K-Means, mini-batch K-Means, Gaussian mixtures).
   */
  holdout?: { testSize: number; randomState: number };
}

/** Run an analysis on a dataset (and one of its runs); the result is saved with the project. */
export interface AnalysisJobSpec {
  kind: 'analysis';
  analysis: AnalysisKind;
  datasetId: string;
  runId?: string | null;
  params: Record<string, unknown>;
}

export type JobSpec = FitJobSpec | AnalysisJobSpec;

/** A fit task as the worker receives it: the spec with its data attached. */
export interface FitTask {
  kind: 'fit';
  algorithm: AlgorithmName;
  params: Record<string, unknown>;
  metrics: MetricName[];
  X: MatrixDTO;
  /** Ground-truth label codes, needed by the external metrics (ARI, NMI). */
  y: Int32Array | null;
  preprocess?: FitPreprocess | null;
}

/** What an analysis receives: the data, ground truth, and the run it is about (if any). */
export interface AnalysisInput {
  X: MatrixDTO;
  y: Int32Array | null;
  /** The class names of `y`'s codes. */
  labelClasses: string[] | null;
  featureNames: string[];
  run: { algorithm: string; labels: Int32Array; centers: MatrixDTO | null; model: unknown; params: Record<string, unknown> } | null;
  /** The file of each row for image datasets, else null. */
  itemNames: string[] | null;
}

export interface AnalysisTask extends AnalysisInput {
  kind: 'analysis';
  analysis: AnalysisKind;
  params: Record<string, unknown>;
}

export type WorkerTask = FitTask | AnalysisTask | ImageImportTask | SampleTask;

export interface FitResult {
  kind: 'fit';
  labels: Int32Array;
  centers: MatrixDTO | null;
  nClusters: number;
  /** The seed the estimator used (drawn when the params had none). */
  randomState: number | null;
  /** Learned scalars (inertia, nIter, …) and the asked metrics. */
  metrics: Record<string, number>;
  /** The fitted estimator's JSON, kept with the run. */
  model: unknown;
}

export interface AnalysisTaskResult {
  kind: 'analysis';
  result: unknown;
}

export type WorkerResult = FitResult | AnalysisTaskResult | ImageSetResult;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type ToWorker = { type: 'run'; jobId: string; task: WorkerTask };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'heartbeat' }
  | { type: 'progress'; jobId: string; fraction: number; message?: string }
  | { type: 'result'; jobId: string; result: WorkerResult }
  | { type: 'error'; jobId: string; error: SerializedError };
