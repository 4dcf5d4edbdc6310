/** The anomaly review's analyses, run in the worker (types in src/shared/analyses/anomalies.ts). */
import {
  DETECTOR_METHODS,
  DensityDetector,
  NoiseDetector,
  ReconstructionDetector,
  makeDetector,
  type AnomalyDetector,
  type ThresholdParams,
} from '../../../core/anomalies';
import { PCA } from '../../../core/decomposition';
import { DataError, ParameterError } from '../../../core/errors';
import { columnMeans, columnVariances, matrix, takeRows, type Matrix } from '../../../core/math/matrix';
import { checkInt, checkOneOf } from '../../../core/validate';
import type { AnomalyAnalyses, DensityGrid, DetectParams, DetectResult, GenerateResult, ReconstructResult } from '../../../shared/analyses/anomalies';
import type { AnalysisImpl } from './types';

type Progress = (fraction: number, message?: string) => void;

/** Reconstructions per call: 500 faces of 64×64 are 8 MB of float32. */
export const MAX_RECONSTRUCT_ROWS = 500;
export const MAX_GENERATED = 1000;
/** Above this many values, a 2-D PCA only for the scatter is left out (the view uses two columns instead). */
const PROJECTION_BUDGET = 5_000_000;
const GRID = 120;

export const ANOMALY_ANALYSES: { [K in keyof AnomalyAnalyses]: AnalysisImpl<K> } = {
  anomalies: (input, params, onProgress) => detect(input.X, params, onProgress),
  reconstruct: (input, params, onProgress) => {
    const X = input.X;
    const rows = checkRows('rows', params.rows, X.rows, MAX_RECONSTRUCT_ROWS);
    const det = new ReconstructionDetector({ variance: params.variance ?? 0.99 });
    det.fit(X, null, { fitRows: fitRowsWithout(params.excludeRows, X.rows), onProgress: (f) => onProgress(0.9 * f, 'principal components') });
    const R = det.reconstruct(takeRows(X, rows));
    const errors = new Float64Array(rows.length);
    rows.forEach((r, j) => (errors[j] = det.scores_![r]));
    const result: ReconstructResult = {
      rows: Int32Array.from(rows),
      nComponents: det.pca_!.nComponents_,
      reconstructions: { rows: R.rows, cols: R.cols, data: Float32Array.from(R.data) },
      errors,
    };
    return result;
  },
  generate: (input, params, onProgress) => {
    const n = checkInt('nSamples', params.nSamples, 1, MAX_GENERATED);
    const det = makeDetector('gmm', asParams(params.params)) as DensityDetector;
    det.fit(input.X, null, { fitRows: fitRowsWithout(params.excludeRows, input.X.rows), onProgress: (f) => onProgress(0.95 * f, 'fitting the mixture') });
    const seed = params.sampleSeed ?? det.randomState_!;
    const drawn = det.sample(n, seed);
    const result: GenerateResult = {
      samples: { rows: drawn.X.rows, cols: drawn.X.cols, data: Float32Array.from(drawn.X.data) },
      components: drawn.y,
      scores: det.scoreSamples(drawn.X),
      pcaComponents: det.pca_ ? det.pca_.nComponents_ : null,
      randomState: det.randomState_!,
      sampleSeed: seed,
    };
    return result;
  },
};

/** Runs one detector on the data and gathers what the review view shows. */
export function detect(X: Matrix, params: DetectParams, onProgress: Progress): DetectResult {
  const method = checkOneOf('method', params?.method, DETECTOR_METHODS);
  const hyper = asParams(params.params);
  const det = makeDetector(method, hyper);
  det.fit(X, null, { fitRows: fitRowsWithout(params.excludeRows, X.rows), onProgress: (f) => onProgress(0.9 * f, `fitting the ${method} detector`) });
  const mean = columnMeans(X);
  const std = columnVariances(X, mean).map(Math.sqrt);
  const used: Record<string, unknown> = { ...hyper };
  if (det instanceof DensityDetector) used.randomState = det.randomState_;
  return {
    method,
    scores: det.scores_!,
    threshold: det.threshold_,
    thresholdSource: det.thresholdSource_,
    percentile: typeof hyper.percentile === 'number' ? hyper.percentile : null,
    indices: det.flagged_!,
    nFitted: det.nFitted_,
    summary: det.summary(),
    params: used,
    labels: det instanceof NoiseDetector ? det.labels_! : null,
    featureMean: mean,
    featureStd: std,
    valueRange: valueRange(X),
    projection: projectionFor(det, X, onProgress),
    density: det instanceof DensityDetector && !det.pca_ && X.cols === 2 ? densityGrid(det, X) : null,
  };
}

function valueRange(X: Matrix): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let t = 0; t < X.data.length; t++) {
    const v = X.data[t];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function asParams(p: unknown): Record<string, unknown> {
  if (p === undefined || p === null) return {};
  if (typeof p !== 'object' || Array.isArray(p)) throw new ParameterError('params must be an object of detector hyperparameters');
  return { ...(p as Record<string, unknown>) };
}

/** Distinct row indices in 0..nRows−1, at most `max` of them. */
function checkRows(name: string, rows: unknown, nRows: number, max: number): number[] {
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > max) throw new ParameterError(`${name} must list 1 to ${max} rows`);
  for (const r of rows) if (!Number.isInteger(r) || r < 0 || r >= nRows) throw new ParameterError(`${name}: ${JSON.stringify(r)} is not a row in 0..${nRows - 1}`);
  return rows as number[];
}

/** Every row but the excluded ones (undefined when none is excluded: the detector fits all). */
export function fitRowsWithout(exclude: unknown, nRows: number): Int32Array | undefined {
  if (exclude === undefined || exclude === null) return undefined;
  if (!Array.isArray(exclude)) throw new ParameterError('excludeRows must be a list of rows');
  if (exclude.length === 0) return undefined;
  const out = new Uint8Array(nRows);
  for (const r of exclude) {
    if (!Number.isInteger(r) || r < 0 || r >= nRows) throw new ParameterError(`excludeRows: ${JSON.stringify(r)} is not a row in 0..${nRows - 1}`);
    out[r] = 1;
  }
  const keep: number[] = [];
  for (let i = 0; i < nRows; i++) if (!out[i]) keep.push(i);
  if (keep.length < 2) throw new DataError(`leaving out ${exclude.length} rows leaves ${keep.length} to learn from; at least 2 are needed`);
  return Int32Array.from(keep);
}

/**
 * The samples on two principal axes for the scatter: the detector's own PCA when it has one
 * (no extra work), else a 2-component PCA when the data is small enough to fit one here.
 */
function projectionFor(det: AnomalyDetector<ThresholdParams>, X: Matrix, onProgress: Progress): DetectResult['projection'] {
  if (X.cols <= 2) return null;
  const own = det instanceof DensityDetector || det instanceof NoiseDetector || det instanceof ReconstructionDetector ? det.pca_ : null;
  let pca: PCA | null = own && own.nComponents_ >= 2 ? own : null;
  if (!pca) {
    if (X.rows * X.cols > PROJECTION_BUDGET) return null;
    pca = new PCA({ nComponents: 2 }).fit(X, null, { onProgress: (f) => onProgress(0.9 + 0.08 * f, 'projection') });
  }
  // The first two axes only: projecting on all k kept components would cost k/2 times more.
  const n = X.rows, d = X.cols, C = pca.components_.data, m = pca.mean_;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0, b = 0;
    for (let f = 0; f < d; f++) {
      const v = X.data[i * d + f] - m[f];
      a += v * C[f];
      b += v * C[d + f];
    }
    x[i] = a;
    y[i] = b;
  }
  return { x, y, explained: [pca.explainedVarianceRatio_[0], pca.explainedVarianceRatio_[1]] };
}

/** The mixture's log density on GRID × GRID cells over the data (5 % margins). */
function densityGrid(det: DensityDetector, X: Matrix): DensityGrid {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < X.rows; i++) {
    const a = X.data[2 * i], b = X.data[2 * i + 1];
    x0 = Math.min(x0, a);
    x1 = Math.max(x1, a);
    y0 = Math.min(y0, b);
    y1 = Math.max(y1, b);
  }
  const padX = (x1 - x0 || 1) * 0.05, padY = (y1 - y0 || 1) * 0.05;
  x0 -= padX;
  x1 += padX;
  y0 -= padY;
  y1 += padY;
  const grid = matrix(GRID * GRID, 2);
  // Values at the cell centres, as d3-contour reads a grid (cell edges at whole numbers).
  for (let r = 0; r < GRID; r++)
    for (let c = 0; c < GRID; c++) {
      grid.data[2 * (r * GRID + c)] = x0 + ((x1 - x0) * (c + 0.5)) / GRID;
      grid.data[2 * (r * GRID + c) + 1] = y0 + ((y1 - y0) * (r + 0.5)) / GRID;
    }
  return { x0, x1, y0, y1, nx: GRID, ny: GRID, logDensity: det.mixture_!.scoreSamples(grid) };
}
