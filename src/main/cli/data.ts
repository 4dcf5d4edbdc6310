/**
 * Loading the data a CLI command works on, exactly as the app would: a CSV/TSV (every numeric
 * column except the label column), an `.npy` matrix (labels from a sibling CSV are not guessed:
 * pass --labels FILE.npy for those), or a folder of images (./images.ts).
 */
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Matrix } from '../../core/math/matrix';
import { inspectCsvFile, readCsvFile } from '../backend/importers/csv';
import { readNpyFile } from '../backend/importers/npy';
import { encodeLabels } from '../backend/labels';
import { UsageError } from './args';
import { loadImageFolder } from './images';
import type { ImageProblem } from '../../shared/images';

export interface LoadedData {
  X: Matrix;
  featureNames: string[];
  /** Ground-truth codes when a label column was given. */
  y: Int32Array | null;
  labelClasses: string[] | null;
  /** The file each row came from (image folders), else null. */
  files: string[] | null;
  /** Image folders: the files left out, and why. */
  skipped?: ImageProblem[];
  /** Image folders: the size every image was brought to, how many were resized, the value scaling. */
  image?: { width: number; height: number; channels: 1 | 3; resized: number; scale: { min: number; max: number } | null };
}

export interface LoadOptions {
  labelColumn?: string;
  labels?: string;
  /** Image folders: "WxH" (default: the most common size). */
  imageSize?: string;
  /** Image folders: grayscale (default) or rgb. */
  colour?: string;
  /** Image folders: stretch (default) or crop. */
  resize?: string;
  /** CSV and .npy: the most bytes the table may take (the importers' default when undefined). */
  budgetBytes?: number;
  onProgress?: (fraction: number, message?: string) => void;
}

export async function loadData(path: string, opts: LoadOptions = {}): Promise<LoadedData> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file`);
  }
  const ext = extname(path).toLowerCase();
  if (st.isDirectory()) {
    if (opts.labels) throw new UsageError('--labels applies to .npy files; for a folder, --label-column folder or a labels.csv column');
    const data = await loadImageFolder(path, { labelColumn: opts.labelColumn, imageSize: opts.imageSize, colour: opts.colour, resize: opts.resize, onProgress: opts.onProgress });
    if (data.skipped?.length) {
      process.stderr.write(`clusterscope: ${data.skipped.length} file${data.skipped.length === 1 ? '' : 's'} of ${basename(path)} left out:\n${data.skipped.map((p) => `  ${p.file}: ${p.reason}`).join('\n')}\n`);
    }
    return data;
  }
  if (opts.imageSize || opts.colour || opts.resize) throw new UsageError('--image-size, --colour and --resize apply to folders of images');
  if (ext === '.npy') {
    const budget = { budgetBytes: opts.budgetBytes };
    const { matrix } = await readNpyFile(path, budget);
    if (opts.labelColumn) throw new UsageError('--label-column applies to CSV files; for .npy give --labels LABELS.npy');
    let y: Int32Array | null = null;
    let labelClasses: string[] | null = null;
    if (opts.labels) {
      const lab = (await readNpyFile(opts.labels, budget)).matrix;
      if (lab.rows !== matrix.rows) throw new UsageError(`--labels has ${lab.rows} rows, the data has ${matrix.rows}`);
      const enc = encodeLabels(Array.from(lab.data, (v) => String(v)));
      y = enc.codes;
      labelClasses = enc.classes;
    }
    return { X: matrix, featureNames: Array.from({ length: matrix.cols }, (_, j) => `x${j}`), y, labelClasses, files: null };
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') {
    // Streamed: the text of a large file is never held whole, only the table within the budget.
    const preview = await inspectCsvFile(path, { budgetBytes: opts.budgetBytes });
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
    const table = await readCsvFile(path, { columns, labelColumn: labelIndex, budgetBytes: opts.budgetBytes });
    const enc = table.labels ? encodeLabels(table.labels) : null;
    return { X: table.X, featureNames: table.featureNames, y: enc?.codes ?? null, labelClasses: enc?.classes ?? null, files: null };
  }
  throw new UsageError(`${basename(path)}: unsupported file type '${ext || '(none)'}' (use .csv, .tsv, .npy or a folder of images)`);
}
