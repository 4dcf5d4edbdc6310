/**
 * A folder of images as CLI input, read exactly as the app imports it (../backend/imagesets):
 * one row per image in natural order of the paths, the most common size unless --image-size,
 * values scaled to [0, 1] over the folder; the files that cannot be read are listed on stderr
 * and left out. Ground truth: `--label-column folder` (sub-folder names), `--label-column NAME`
 * (a column of the folder's labels.csv), or by default labels.csv when it labels every image,
 * else the sub-folders when every image is in one.
 */
import { basename } from 'node:path';
import type { ImageFileSpec, ImageImportTask, ImageProblem } from '../../shared/images';
import { buildImageSet } from '../backend/imagesets/build';
import { FolderError, labelsFromCsv, listImageFolder } from '../backend/imagesets/folder';
import { DEFAULT_MAX_PIXELS } from '../backend/importers/pgm';
import { encodeLabels } from '../backend/labels';
import { UsageError } from './args';
import type { LoadedData } from './data';

export interface FolderLoadOptions {
  labelColumn?: string;
  /** "WxH", e.g. "64x64". */
  imageSize?: string;
  colour?: string;
  resize?: string;
  onProgress?: (fraction: number, message?: string) => void;
}

/** `--label-column folder`: the sub-folder names are the labels. */
export const FOLDER_LABELS = 'folder';

export function parseImageSize(s: string): { width: number; height: number } {
  const m = /^(\d{1,4})[x×](\d{1,4})$/i.exec(s.trim());
  const w = m ? Number(m[1]) : NaN, h = m ? Number(m[2]) : NaN;
  if (!(w >= 1 && w <= 1024 && h >= 1 && h <= 1024)) throw new UsageError(`--image-size expects WIDTHxHEIGHT with sides from 1 to 1024, got '${s}'`);
  return { width: w, height: h };
}

export async function loadImageFolder(path: string, opts: FolderLoadOptions = {}): Promise<LoadedData> {
  const column = opts.labelColumn;
  let listing;
  try {
    listing = await listImageFolder(path, { labelColumn: column !== undefined && column !== FOLDER_LABELS ? column : undefined });
  } catch (e) {
    if (e instanceof FolderError) throw new UsageError(e.message);
    throw e;
  }
  const images = listing.images;
  if (images.length === 0) throw new UsageError(`${basename(path)} holds no images (.png, .jpg, .jpeg, .webp, .pgm, .bmp)`);
  if (column !== undefined && column !== FOLDER_LABELS && !listing.labelsCsv) {
    throw new UsageError(listing.labelsCsvError ?? `${basename(path)} has no labels.csv: --label-column ${FOLDER_LABELS} takes the sub-folder names as labels`);
  }
  const fromCsv = listing.labelsCsv ? labelsFromCsv(images, listing.labelsCsv) : null;
  const fromFolders = images.map((i) => i.folderLabel);
  let labels: Array<string | null> | null = null;
  let labelName: string | null = null;
  let why = '';
  if (column === FOLDER_LABELS) {
    labels = fromFolders;
    labelName = FOLDER_LABELS;
    why = 'not in a sub-folder, so it has no label';
  } else if (column !== undefined) {
    labels = fromCsv;
    labelName = listing.labelsCsv!.labelColumn;
    why = `not listed in ${listing.labelsCsv!.file}`;
  } else if (fromCsv && fromCsv.every((l) => l !== null)) {
    labels = fromCsv;
    labelName = listing.labelsCsv!.labelColumn;
  } else if (fromFolders.every((l) => l !== null) && new Set(fromFolders).size >= 2) {
    labels = fromFolders;
    labelName = FOLDER_LABELS;
  }
  const unlabeled: ImageProblem[] = [];
  const files: ImageFileSpec[] = [];
  images.forEach((img, i) => {
    const label = labels ? labels[i] : null;
    if (labels && label === null) unlabeled.push({ file: img.name, reason: why });
    else files.push({ path: img.path, name: img.name, label });
  });
  if (files.length === 0) throw new UsageError(`none of the ${images.length} images has a label (${why})`);
  const colour = opts.colour ?? 'grayscale';
  if (colour !== 'grayscale' && colour !== 'rgb') throw new UsageError(`--colour expects grayscale or rgb, got '${colour}'`);
  const resize = opts.resize ?? 'stretch';
  if (resize !== 'stretch' && resize !== 'crop') throw new UsageError(`--resize expects stretch or crop, got '${resize}'`);
  const task: ImageImportTask = {
    kind: 'images',
    files,
    size: opts.imageSize ? parseImageSize(opts.imageSize) : null,
    colour,
    resize,
    maxPixels: DEFAULT_MAX_PIXELS,
    maxBytes: Infinity,
    labelName,
  };
  const r = await buildImageSet(task, opts.onProgress);
  const skipped = [...unlabeled, ...r.skipped];
  const enc = r.labels ? encodeLabels(r.labels) : null;
  return {
    X: r.X,
    featureNames: r.featureNames,
    y: enc?.codes ?? null,
    labelClasses: enc?.classes ?? null,
    files: r.names,
    skipped,
    image: { width: r.width, height: r.height, channels: r.channels, resized: r.resized, scale: r.scale },
  };
}
