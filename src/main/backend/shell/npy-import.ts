/**
 * A `.npy` file as a dataset: read with the strict reader within the memory budget, stored with
 * columns named x0, x1, … (the file has no names), and reported with the dtype and shape its
 * header declared so the person sees what was read.
 */
import { basename } from 'node:path';
import type { NpyImportResult } from '../../../shared/dto';
import { readBytes } from '../importers/io';
import { readNpy } from '../importers/npy';
import type { ProjectStore } from '../store/project-store';

export interface NpyImportOptions {
  /** The file to read, and the name the person knows it by (an upload's original name). */
  path: string;
  fileName?: string;
  /** The dataset's name; defaults to the file name without `.npy`. */
  name?: string;
  budgetBytes: number;
}

export async function importNpy(store: ProjectStore, opts: NpyImportOptions): Promise<NpyImportResult> {
  const file = opts.fileName ?? basename(opts.path);
  const bytes = await readBytes(opts.path, { budgetBytes: opts.budgetBytes });
  const npy = readNpy(bytes, file, { budgetBytes: opts.budgetBytes });
  const { matrix } = npy;
  const dataset = store.addDataset({
    name: opts.name?.trim() || file.replace(/\.npy$/i, ''),
    source: `npy:${file}`,
    X: matrix,
    featureNames: Array.from({ length: matrix.cols }, (_, j) => `x${j}`),
    labelName: null,
    labelClasses: null,
    labels: null,
  });
  return { dataset, dtype: npy.dtype, shape: npy.shape, fortranOrder: npy.fortranOrder };
}
