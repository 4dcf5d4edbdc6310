/**
 * Loading the data a CLI command works on, exactly as the app would: a CSV/TSV (every numeric
 * column except the label column), or an `.npy` matrix (labels from a sibling CSV are not
 * guessed: pass --labels FILE.npy for those).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Matrix } from '../../core/math/matrix';
import { inspectCsv, readCsvFile } from '../backend/importers/csv';
import { readNpy } from '../backend/importers/npy';
import { encodeLabels } from '../backend/labels';
import { UsageError } from './args';

export interface LoadedData {
  X: Matrix;
  featureNames: string[];
  /** Ground-truth codes when a label column was given. */
  y: Int32Array | null;
  labelClasses: string[] | null;
  /** The file each row came from (image folders), else null. */
  files: string[] | null;
}

export interface LoadOptions {
  labelColumn?: string;
  labels?: string;
}

export async function loadData(path: string, opts: LoadOptions = {}): Promise<LoadedData> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file`);
  }
  const ext = extname(path).toLowerCase();
  if (st.isDirectory()) throw new UsageError(`${basename(path)} is a folder; image folders are not supported by this command yet`);
  if (ext === '.npy') {
    const { matrix } = readNpy(readFileSync(path), basename(path));
    if (opts.labelColumn) throw new UsageError('--label-column applies to CSV files; for .npy give --labels LABELS.npy');
    let y: Int32Array | null = null;
    let labelClasses: string[] | null = null;
    if (opts.labels) {
      const lab = readNpy(readFileSync(opts.labels), basename(opts.labels)).matrix;
      if (lab.rows !== matrix.rows) throw new UsageError(`--labels has ${lab.rows} rows, the data has ${matrix.rows}`);
      const enc = encodeLabels(Array.from(lab.data, (v) => String(v)));
      y = enc.codes;
      labelClasses = enc.classes;
    }
    return { X: matrix, featureNames: Array.from({ length: matrix.cols }, (_, j) => `x${j}`), y, labelClasses, files: null };
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') {
    const preview = inspectCsv(readFileSync(path), basename(path));
    let labelIndex: number | null = null;
    if (opts.labelColumn !== undefined) {
      const byName = preview.columns.find((c) => c.name === opts.labelColumn);
      const asIndex = Number(opts.labelColumn);
      labelIndex = byName ? byName.index : Number.isInteger(asIndex) && asIndex >= 0 && asIndex < preview.columns.length ? asIndex : null;
      if (labelIndex === null) {
        throw new UsageError(`--label-column ${opts.labelColumn}: no such column (columns: ${preview.columns.map((c) => c.name).join(', ')})`);
      }
    }
    const columns = preview.columns.filter((c) => c.numeric && c.index !== labelIndex).map((c) => c.index);
    if (columns.length === 0) throw new UsageError(`${basename(path)} has no numeric feature columns`);
    const table = await readCsvFile(path, { columns, labelColumn: labelIndex });
    const enc = table.labels ? encodeLabels(table.labels) : null;
    return { X: table.X, featureNames: table.featureNames, y: enc?.codes ?? null, labelClasses: enc?.classes ?? null, files: null };
  }
  throw new UsageError(`${basename(path)}: unsupported file type '${ext || '(none)'}' (use .csv, .tsv or .npy)`);
}
