/**
 * What a file dropped on the window is, from its name: a table, a NumPy array, an image, a
 * project, a folder (of images), or something the app does not open.
 */

export type DropKind = 'table' | 'npy' | 'image' | 'project' | 'folder' | 'unknown';

const TABLE = new Set(['csv', 'tsv', 'txt']);
const IMAGE = new Set(['png', 'jpg', 'jpeg', 'bmp', 'pgm', 'ppm', 'gif', 'webp', 'tif', 'tiff']);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function dropKind(name: string, isDirectory: boolean): DropKind {
  if (isDirectory) return 'folder';
  const ext = extensionOf(name);
  if (TABLE.has(ext)) return 'table';
  if (ext === 'npy') return 'npy';
  if (IMAGE.has(ext)) return 'image';
  if (ext === 'clusterscope') return 'project';
  return 'unknown';
}

/** A `.npy` import as a person reads it: `digits.npy: <f8, shape (1797, 64) → 1,797 × 64`. */
export function describeNpy(file: string, r: { dtype: string; shape: number[]; dataset: { nSamples: number; nFeatures: number } }): string {
  const shape = r.shape.length === 1 ? `(${r.shape[0]},)` : `(${r.shape.join(', ')})`;
  return `${file}: ${r.dtype}, shape ${shape} → ${r.dataset.nSamples.toLocaleString('en-US')} samples × ${r.dataset.nFeatures.toLocaleString('en-US')} features`;
}
