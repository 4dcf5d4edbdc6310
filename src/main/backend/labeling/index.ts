/**
 * The backend side of the labeling workflow: the fit option that prepares the data (PCA, held-out
 * split) checked at the door, feature rows for drawing the samples of datasets that have no
 * thumbnails (digits, any square-pixel table), and the labels written to a file the person chose
 * in the native save dialog.
 */
import { writeFileSync } from 'node:fs';
import type { AlgorithmName } from '../../../core/cluster/registry';
import { ApiError } from '../../../shared/api';
import type { MatrixDTO } from '../../../shared/dto';
import type { FitPreprocess } from '../../../shared/jobs';
import { checkPreprocess } from '../../worker/labeling/preprocess';
import type { ProjectStore } from '../store/project-store';

/** Rows per `labeling.rows` call: a page of a gallery, not the dataset. */
export const MAX_ROWS_PER_CALL = 2000;

/** Checks `FitJobSpec.preprocess`; null when absent. A bad value is refused with its rule. */
export function checkFitPreprocess(p: unknown, algorithm: AlgorithmName): FitPreprocess | null {
  if (p === undefined || p === null) return null;
  try {
    return checkPreprocess(p, algorithm);
  } catch (e) {
    throw new ApiError((e as Error).message, 'bad-input');
  }
}

/** The feature values of `rows` (nRows, nFeatures), in the order asked, in the dataset's own precision. */
export function readRows(store: ProjectStore, datasetId: string, rows: unknown, nRows: number): MatrixDTO {
  if (!Array.isArray(rows) || rows.length > MAX_ROWS_PER_CALL || !rows.every((r) => Number.isInteger(r) && r >= 0 && r < nRows)) {
    throw new ApiError(`rows must be at most ${MAX_ROWS_PER_CALL.toLocaleString('en-US')} indices in 0..${nRows - 1}`, 'bad-input');
  }
  const { X } = store.getDatasetData(datasetId);
  const d = X.cols;
  const data = X.data instanceof Float32Array ? new Float32Array(rows.length * d) : new Float64Array(rows.length * d);
  rows.forEach((r: number, i) => data.set(X.data.subarray(r * d, (r + 1) * d), i * d));
  return { rows: rows.length, cols: d, data };
}

/** Writes the labels CSV where the person chose; the path must come from the native dialog. */
export function writeLabelsFile(path: string, csv: string): void {
  try {
    writeFileSync(path, csv, 'utf8');
  } catch (e) {
    throw new ApiError(`Could not write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'io');
  }
}
