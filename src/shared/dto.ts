/**
 * Plain, structured-clonable data that crosses the renderer ↔ backend boundary. Typed arrays
 * travel as themselves (structured clone over IPC, binary frames over WebSocket).
 */

/** A matrix on the wire: row-major, like the core's `Matrix`. */
export interface MatrixDTO {
  rows: number;
  cols: number;
  data: Float64Array | Float32Array;
}

/**
 * A file the backend may read: a path chosen in a native dialog (Electron, CLI) or the id of a
 * file uploaded to the browser host. The renderer never reads files itself.
 */
export type FileRef = { kind: 'path'; path: string } | { kind: 'upload'; id: string; name: string };

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'browser';
  platform: string;
  versions: Record<string, string>;
  /** Where projects are created when the user gives only a name. */
  projectsDir: string;
  workerCount: number;
}

export interface ProjectSummary {
  path: string;
  name: string;
  /** An untitled project lives in the app's data folder until it is saved under a name. */
  untitled: boolean;
  readOnly: boolean;
  datasetCount: number;
  runCount: number;
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

export interface CsvColumnDTO {
  index: number;
  name: string;
  numeric: boolean;
  missing: number;
  distinctCount: number;
  isLabelCandidate: boolean;
  nonNumericExample?: { line: number; value: string };
}

export interface CsvPreviewDTO {
  file: string;
  delimiter: string;
  hasHeader: boolean;
  nRows: number;
  columns: CsvColumnDTO[];
  sample: string[][];
}

export interface CsvImportRequest {
  file: FileRef;
  /** Name shown in the app; defaults to the file name. */
  name?: string;
  /** Column indices used as features (numeric columns only). */
  columns: number[];
  /** Column index holding a label (ground truth), or null. */
  labelColumn: number | null;
  missing?: 'error' | 'drop-rows';
}

export interface DatasetSummary {
  id: string;
  name: string;
  source: string;
  nSamples: number;
  nFeatures: number;
  featureNames: string[];
  labelName: string | null;
  /** The distinct ground-truth labels, in code order, when a label column was imported. */
  labelClasses: string[] | null;
  dtype: 'float64' | 'float32';
  createdAt: string;
}

/** Two columns of a dataset for a scatter, with the ground-truth label codes when present. */
export interface ColumnPairDTO {
  datasetId: string;
  columns: [number, number];
  x: Float64Array;
  y: Float64Array;
  /** Index into `DatasetSummary.labelClasses` per sample, or null. */
  labels: Int32Array | null;
}

export type RunStatus = 'done' | 'failed' | 'cancelled';

export interface RunSummary {
  id: string;
  datasetId: string;
  algorithm: string;
  params: Record<string, unknown>;
  /** The seed actually used (drawn when the user gave none), so every run can be repeated. */
  randomState: number | null;
  status: RunStatus;
  createdAt: string;
  durationMs: number;
  nClusters: number;
  metrics: Record<string, number>;
  error: string | null;
}

export interface RunDetail extends RunSummary {
  /** Cluster of each sample (−1 = noise), shape (nSamples). */
  labels: Int32Array;
  /** Cluster centres, shape (nClusters, nFeatures), when the algorithm has them. */
  centers: MatrixDTO | null;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  progress: number;
  message: string | null;
  startedAt: string;
  /** The run a fit job saved. */
  runId: string | null;
  /** The analysis an analysis job saved. */
  analysisId: string | null;
  error: string | null;
}

/** A saved analysis (a sweep, a silhouette diagram, a boundary grid…) without its result. */
export interface AnalysisSummary {
  id: string;
  datasetId: string;
  /** The run it analyses, when it is about one run. */
  runId: string | null;
  kind: string;
  params: Record<string, unknown>;
  durationMs: number;
  createdAt: string;
}

export interface AnalysisDetail<R = unknown> {
  summary: AnalysisSummary;
  result: R;
}

export type LabelSource = 'hand' | 'propagated';
export type Decision = 'confirmed' | 'dismissed' | 'skipped';

export interface LabelEntry {
  row: number;
  label: string;
  source: LabelSource;
}

export interface DecisionEntry {
  row: number;
  decision: Decision;
  detector: string | null;
  score: number | null;
}

export interface LabelChange {
  row: number;
  /** null removes the label. */
  label: string | null;
  source?: LabelSource;
}

export interface DecisionChange {
  row: number;
  /** null removes the decision. */
  decision: Decision | null;
  detector?: string | null;
  score?: number | null;
}

/** What an undo or redo changed, for the views to refresh. */
export interface HistoryStep {
  target: 'label' | 'decision';
  rows: number[];
}

/** The last write to the project that failed (disk full, file gone read-only), until one succeeds. */
export interface SaveFailure {
  /** The store's reason, as a person reads it. */
  message: string;
  /** The project that could not be saved. */
  path: string | null;
  /** When it failed (ISO time). */
  at: string;
}

/** A `.npy` imported as a dataset, with what its header said. */
export interface NpyImportResult {
  dataset: DatasetSummary;
  /** The dtype as the file states it, e.g. `<f8`, `|u1`. */
  dtype: string;
  /** The shape as the file states it: `[n]` or `[rows, cols]`. */
  shape: number[];
  fortranOrder: boolean;
}

/** A file or folder dropped on the desktop app's window, now granted to the renderer. */
export interface DroppedPath {
  ref: { kind: 'path'; path: string };
  name: string;
  isDirectory: boolean;
}
