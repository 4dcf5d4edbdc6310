/**
 * Builds an image dataset from files: one row per image that decodes, the others listed with
 * the reason. Runs where the work may take long (a worker process, or the CLI): each file is
 * decoded, brought to the dataset's size and colour, and thumbnailed; at the end the 8-bit
 * values are scaled to [0, 1] over the whole set as scikit-learn scales the Olivetti faces,
 * x = (v − min) / (max − min), in float32 (for 8-bit images, exactly scikit-learn's numbers).
 */
import { readFile } from 'node:fs/promises';
import { ImportError } from '../importers/errors';
import { formatMiB } from '../importers/budget';
import type { ImageFileSpec, ImageImportTask, ImageProblem, ImageSetResult } from '../../../shared/images';
import { decodeImage, type ImageTarget } from './decode';
import { readImageHeader } from './formats';
import { thumbnailPng } from './thumbnail';

export type Progress = (fraction: number, message?: string) => void;

/**
 * The largest matrix an import builds: SQLite stores a dataset as one value, and refuses values
 * of more than a billion bytes.
 */
export const MAX_MATRIX_BYTES = 960_000_000;
/** Files decoded at once: sharp works on a thread pool, so a few in flight keep it busy. */
const IN_FLIGHT = 4;

/** The size most images have (ties: the larger count seen first in row order). */
export function mostCommonSize(sizes: ReadonlyArray<{ width: number; height: number } | null>): { width: number; height: number } | null {
  const counts = new Map<string, { width: number; height: number; count: number }>();
  let best: { width: number; height: number; count: number } | null = null;
  for (const s of sizes) {
    if (!s || !(s.width >= 1 && s.height >= 1)) continue;
    const key = `${s.width}x${s.height}`;
    const c = counts.get(key) ?? { ...s, count: 0 };
    c.count++;
    counts.set(key, c);
    if (!best || c.count > best.count) best = c;
  }
  return best ? { width: best.width, height: best.height } : null;
}

/** Column names: `p0…` for gray pixels (as digits.csv), `p0_r, p0_g, p0_b…` for colour. */
export function pixelFeatureNames(width: number, height: number, channels: 1 | 3): string[] {
  const n = width * height;
  if (channels === 1) return Array.from({ length: n }, (_, i) => `p${i}`);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`p${i}_r`, `p${i}_g`, `p${i}_b`);
  return out;
}

/** Refuses a matrix too large to keep, with the numbers a person needs to choose a smaller size. */
export function checkMatrixSize(rows: number, width: number, height: number, channels: number, maxBytes = MAX_MATRIX_BYTES): void {
  const bytes = rows * width * height * channels * 4;
  const limit = Math.min(maxBytes, MAX_MATRIX_BYTES);
  if (bytes > limit) {
    throw new ImportError(
      'images',
      'too-large',
      `${rows.toLocaleString('en-US')} images of ${width}×${height}${channels === 3 ? ' in colour' : ''} take ${formatMiB(bytes)}, more than the ${formatMiB(limit)} ${limit < MAX_MATRIX_BYTES ? 'memory budget (Preferences)' : 'a dataset may hold'}; choose a smaller size or grayscale`,
    );
  }
}

/** Decodes the task's files into a dataset. */
export async function buildImageSet(task: ImageImportTask, onProgress: Progress = () => {}): Promise<ImageSetResult> {
  const files = task.files;
  if (files.length === 0) throw new ImportError('images', 'no-data', 'the folder holds no image files (.png, .jpg, .jpeg, .webp, .pgm, .bmp)');
  const failed: Array<{ index: number; problem: ImageProblem }> = [];
  let size = task.size;
  // A first pass over the headers finds the most common size; it costs a read of each header.
  let headerShare = 0;
  if (!size) {
    headerShare = 0.1;
    const sizes = await mapInOrder(files, 16, async (f, i) => {
      if (i % 50 === 0) onProgress((headerShare * i) / files.length, `reading headers: ${i} of ${files.length}`);
      try {
        return await readImageHeader(f.path, f.name);
      } catch {
        return null; // reported when the file itself fails to decode
      }
    });
    size = mostCommonSize(sizes);
    if (!size) throw new ImportError('images', 'no-data', `none of the ${files.length} files has a readable image header`);
  }
  const channels = task.colour === 'rgb' ? 3 : 1;
  const target: ImageTarget = { width: size.width, height: size.height, channels, resize: task.resize, maxPixels: task.maxPixels };
  checkMatrixSize(files.length, size.width, size.height, channels, task.maxBytes);
  const d = size.width * size.height * channels;
  const X = new Float32Array(files.length * d);
  const ok = new Uint8Array(files.length);
  const thumbs: Array<Uint8Array | null> = new Array(files.length).fill(null);
  let resized = 0, done = 0;
  let min = 255, max = 0;

  await mapInOrder(files, IN_FLIGHT, async (f, i) => {
    try {
      const img = await decodeImage(await readImage(f), f.name, target);
      const row = X.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < d; j++) {
        const v = img.pixels[j];
        row[j] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      thumbs[i] = thumbnailPng({ width: size.width, height: size.height, channels, pixels: img.pixels });
      if (img.resized) resized++;
      ok[i] = 1;
    } catch (e) {
      failed.push({ index: i, problem: { file: f.name, reason: reasonOf(e, f.name) } });
    }
    done++;
    onProgress(headerShare + ((1 - headerShare) * done) / files.length, `${done} of ${files.length} images`);
  });

  const skipped = failed.sort((a, b) => a.index - b.index).map((f) => f.problem);
  const keep: number[] = [];
  for (let i = 0; i < files.length; i++) if (ok[i]) keep.push(i);
  if (keep.length === 0) throw new ImportError('images', 'no-data', `none of the ${files.length} images could be read (first: ${skipped[0]?.file}: ${skipped[0]?.reason})`);
  // Only rows that decoded are kept; the buffer is copied then, so that no unused rows travel.
  const data = keep.length === files.length ? X : compactRows(X, keep, d);
  const scale = { min: Math.min(min, max), max };
  scaleInPlace(data, scale.min, scale.max);
  const packed = packThumbnails(keep.map((i) => thumbs[i]));
  const labels = files.some((f) => f.label !== null) ? keep.map((i) => files[i].label ?? '') : null;
  return {
    kind: 'images',
    X: { rows: keep.length, cols: d, data },
    width: size.width,
    height: size.height,
    channels,
    names: keep.map((i) => files[i].name),
    labels,
    labelName: labels ? task.labelName : null,
    thumbnails: packed.bytes,
    thumbnailOffsets: packed.offsets,
    skipped,
    resized,
    scale,
    featureNames: pixelFeatureNames(size.width, size.height, channels),
    source: 'images',
  };
}

async function readImage(f: ImageFileSpec): Promise<Uint8Array> {
  try {
    const b = await readFile(f.path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ImportError(f.name, code === 'ENOENT' ? 'not-found' : 'io-error', code === 'ENOENT' ? 'the file is gone' : `the file cannot be read (${(e as Error).message})`);
  }
}

/** x = (v − min) / (max − min), rounded once to float32 (a constant set becomes all zeros). */
export function scaleInPlace(data: Float32Array, min: number, max: number): void {
  const range = max - min;
  if (range <= 0) {
    data.fill(0);
    return;
  }
  for (let i = 0; i < data.length; i++) data[i] = (data[i] - min) / range;
}

function compactRows(X: Float32Array, keep: number[], d: number): Float32Array {
  const out = new Float32Array(keep.length * d);
  keep.forEach((r, k) => out.set(X.subarray(r * d, (r + 1) * d), k * d));
  return out;
}

/** Thumbnails end to end with their offsets (one buffer crosses the process boundary, not thousands). */
export function packThumbnails(thumbs: ReadonlyArray<Uint8Array | null>): { bytes: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(thumbs.length + 1);
  for (let i = 0; i < thumbs.length; i++) offsets[i + 1] = offsets[i] + (thumbs[i]?.length ?? 0);
  const bytes = new Uint8Array(offsets[thumbs.length]);
  thumbs.forEach((t, i) => t && bytes.set(t, offsets[i]));
  return { bytes, offsets };
}

function reasonOf(e: unknown, file: string): string {
  const m = e instanceof Error ? e.message : String(e);
  // ImportErrors start with the file's name; the report lists it beside the reason already.
  return m.startsWith(`${file}: `) ? m.slice(file.length + 2) : m;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in item order. */
async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
