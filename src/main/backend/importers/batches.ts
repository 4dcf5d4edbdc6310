/**
 * Tables read in row batches straight from disk, for fitting data that does not fit in the memory
 * budget (K-Means by mini-batches): a 1-D or 2-D `.npy` (any dtype the strict reader takes, C or
 * Fortran order) and a CSV/TSV (its numeric columns but the label column, chosen as the CLI
 * chooses them). A pass holds one batch at a time, never the matrix, and every pass reads the rows
 * in file order, so that any number of passes see the same batches.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Matrix } from '../../../core/math/matrix';
import { budgetOf, formatMiB, type BudgetOptions } from './budget';
import { inspectCsvFile, readCsvBatches, type ColumnRef, type CsvDelimiter } from './csv';
import { ImportError } from './errors';
import { asImportError, fileSize, readFileHead } from './io';
import { NPY_HEAD_BYTES, decodeNpyRows, readNpyHeader, type NpyLayout } from './npy';

/** Bytes of CSV text read at a time: small, since the rows parsed from one read are held together. */
export const CSV_BATCH_CHUNK_BYTES = 64 * 1024;

export interface BatchOptions extends BudgetOptions {
  /** Rows per batch; the last batch of a pass has the rows left. */
  batchSize: number;
  /** CSV: the column of labels (a header name or a 0-based index), left out of the features. */
  labelColumn?: ColumnRef | null;
  /** CSV: bytes of text read at a time, default {@link CSV_BATCH_CHUNK_BYTES}. */
  chunkBytes?: number;
  /** CSV: progress of the pass that chooses the columns, before `openBatches` returns. */
  onInspectProgress?: (fraction: number) => void;
}

/** A table on disk, readable in row batches as many times as needed. */
export interface BatchSource {
  /** The file's display name (its base name), as importer messages name it. */
  file: string;
  format: 'npy' | 'csv';
  nSamples: number;
  nFeatures: number;
  featureNames: string[];
  /** Rows per batch (at most nSamples). */
  batchSize: number;
  /**
   * One pass over every row in file order: batches of `batchSize` rows, (batchSize, nFeatures),
   * the last one shorter. Each batch is a fresh matrix (float32 for a float32 `.npy`, else
   * float64). `onProgress` gets the fraction of the pass done.
   */
  batches(onProgress?: (fraction: number) => void): AsyncGenerator<Matrix, void, undefined>;
}

/** A batch source for the `.npy` or CSV/TSV (`.csv`, `.tsv`, `.txt`) file at `path`, by its extension. */
export async function openBatches(path: string, opts: BatchOptions): Promise<BatchSource> {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return openNpyBatches(path, opts);
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return openCsvBatches(path, opts);
  throw new ImportError(basename(path), 'bad-option', `only .npy and CSV/TSV files can be read in batches from disk, not '${ext || '(no extension)'}' files`);
}

/**
 * The rows of a `.npy` file in batches, read with positioned reads from the offsets its header
 * gives: row after row in C order, or for a Fortran-order array the batch's stretch of every column
 * (one read per column), transposed.
 */
export async function openNpyBatches(path: string, opts: BatchOptions): Promise<BatchSource> {
  const file = basename(path);
  const budget = budgetOf(opts);
  const size = await fileSize(path);
  const layout = readNpyHeader(await readFileHead(path, file, NPY_HEAD_BYTES), file, size);
  const { rows, cols } = layout;
  if (rows === 0 || cols === 0) throw new ImportError(file, 'no-data', `the array of shape (${layout.shape.join(', ')}) has no values`);
  const batchSize = batchSizeOf(opts, rows);
  // The raw bytes, the decoded batch, and its transposed copy for a Fortran-order array.
  const perRow = cols * (layout.itemBytes + layout.outBytes * (layout.columnMajor ? 2 : 1));
  checkBatchBudget(file, batchSize, perRow, budget);
  return {
    file,
    format: 'npy',
    nSamples: rows,
    nFeatures: cols,
    featureNames: Array.from({ length: cols }, (_, j) => `x${j}`),
    batchSize,
    batches: (onProgress) => npyPass(path, file, size, layout, batchSize, onProgress),
  };
}

/**
 * The numeric columns of a CSV/TSV file (all but the label column) in batches. Opening it reads
 * it once, streaming, to find those columns and count the rows (as the CLI does before loading a
 * table); each pass then parses it again with the same checks and messages as `readCsvFile`.
 */
export async function openCsvBatches(path: string, opts: BatchOptions): Promise<BatchSource> {
  const file = basename(path);
  const budget = budgetOf(opts);
  const chunkBytes = opts.chunkBytes ?? CSV_BATCH_CHUNK_BYTES;
  const preview = await inspectCsvFile(path, { budgetBytes: budget, chunkBytes }, opts.onInspectProgress);
  const label = opts.labelColumn === undefined || opts.labelColumn === null ? -1 : labelIndex(file, preview.columns.map((c) => c.name), opts.labelColumn);
  const features = preview.columns.filter((c) => c.numeric && c.index !== label);
  if (features.length === 0) {
    throw new ImportError(file, 'no-numeric-columns', label >= 0 ? 'no column but the label holds numbers' : 'no column holds numbers');
  }
  const batchSize = batchSizeOf(opts, preview.nRows);
  checkBatchBudget(file, batchSize, features.length * 8, budget);
  const dialect: { delimiter: CsvDelimiter; hasHeader: boolean } = { delimiter: preview.delimiter, hasHeader: preview.hasHeader };
  const columns = features.map((c) => c.index);
  return {
    file,
    format: 'csv',
    nSamples: preview.nRows,
    nFeatures: features.length,
    featureNames: features.map((c) => c.name),
    batchSize,
    batches: (onProgress) => readCsvBatches(path, { ...dialect, columns, batchSize, chunkBytes }, onProgress),
  };
}

function batchSizeOf(opts: BatchOptions, nSamples: number): number {
  const b = opts.batchSize;
  if (!(Number.isInteger(b) && b >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${b}`);
  return Math.max(1, Math.min(b, nSamples));
}

function checkBatchBudget(file: string, batchSize: number, bytesPerRow: number, budget: number): void {
  const bytes = batchSize * bytesPerRow;
  if (bytes > budget) {
    throw new ImportError(
      file,
      'too-large',
      `a batch of ${batchSize.toLocaleString('en-US')} rows needs ${formatMiB(bytes)} of memory, more than the budget of ${formatMiB(budget)}; choose a smaller batch size`,
    );
  }
}

/** The label column by header name, else by 0-based index, as the CLI's `--label-column`. */
function labelIndex(file: string, names: string[], ref: ColumnRef): number {
  const byName = names.indexOf(String(ref));
  if (byName >= 0) return byName;
  const asIndex = Number(ref);
  if (Number.isInteger(asIndex) && asIndex >= 0 && asIndex < names.length) return asIndex;
  const some = names.slice(0, 8).map((s) => JSON.stringify(s)).join(', ') + (names.length > 8 ? ', …' : '');
  throw new ImportError(file, 'unknown-column', `no column is named ${JSON.stringify(String(ref))} (the columns are ${some})`);
}

async function* npyPass(
  path: string,
  file: string,
  size: number,
  layout: NpyLayout,
  batchSize: number,
  onProgress?: (fraction: number) => void,
): AsyncGenerator<Matrix, void, undefined> {
  // A file rewritten between passes would mix two arrays in one fit.
  if ((await fileSize(path)) !== size) throw new ImportError(file, 'length-mismatch', 'the file changed size while it was being read in batches');
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw asImportError(e, file, 0);
  }
  try {
    const { rows, cols, itemBytes, dataOffset } = layout;
    const raw = new Uint8Array(batchSize * cols * itemBytes);
    for (let r0 = 0; r0 < rows; r0 += batchSize) {
      const nb = Math.min(batchSize, rows - r0);
      if (layout.columnMajor) {
        // Column j of the batch is the stretch [r0, r0 + nb) of the j-th column on disk.
        for (let j = 0; j < cols; j++) await readFully(handle, raw, j * nb * itemBytes, nb * itemBytes, dataOffset + (j * rows + r0) * itemBytes, file);
      } else {
        await readFully(handle, raw, 0, nb * cols * itemBytes, dataOffset + r0 * cols * itemBytes, file);
      }
      const data = decodeNpyRows(raw, layout, nb);
      onProgress?.((r0 + nb) / rows);
      yield { rows: nb, cols, data };
    }
  } finally {
    await handle.close();
  }
}

async function readFully(handle: FileHandle, into: Uint8Array, offset: number, length: number, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      ({ bytesRead: n } = await handle.read(into, offset + done, length - done, position + done));
    } catch (e) {
      throw asImportError(e, file, 0);
    }
    if (n === 0) throw new ImportError(file, 'truncated', `the file ends at byte ${position + done}, inside the data its header announces (it changed while being read)`);
    done += n;
  }
}
