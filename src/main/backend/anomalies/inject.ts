/**
 * Validation data for the detectors (the chapter's Olivetti exercise): a NEW dataset holding every
 * row of an image dataset plus rotated, flipped and darkened copies of some of them. The source
 * is left as it was. Each copy's item is named after its source (`p01_3.png (rotated)`), keeps
 * the source's ground-truth label, and gets a thumbnail drawn from its pixels, so the review
 * queue shows it like any other image and knows it was injected.
 */
import type { Matrix } from '../../../core/math/matrix';
import {
  INJECTION_KINDS,
  checkImageShape,
  chooseInjections,
  imageShapeOf,
  injectAnomalies,
  injectedKind,
  injectedName,
  type InjectionKind,
} from '../../../core/anomalies';
import { ApiError } from '../../../shared/api';
import type { InjectRequest, InjectResult } from '../../../shared/analyses/anomalies';
import { thumbnailPng } from '../imagesets/thumbnail';
import { addItems, itemNames, thumbnails, type NewItem } from '../store/items-repo';
import type { ProjectStore } from '../store/project-store';

/** Copies per kind at most (the chapter makes 4, 3 and 3). */
export const MAX_COPIES_PER_KIND = 1000;

/** Checks an injection request and returns the counts per kind. */
function checkRequest(req: InjectRequest, nRows: number): Record<InjectionKind, number> {
  if (!req || typeof req !== 'object') throw new ApiError('expected an injection request', 'bad-input');
  const counts = {} as Record<InjectionKind, number>;
  let total = 0;
  for (const kind of INJECTION_KINDS) {
    const v = req[kind] ?? 0;
    if (!Number.isInteger(v) || v < 0 || v > Math.min(MAX_COPIES_PER_KIND, nRows)) {
      throw new ApiError(`${kind} must be a whole number of copies in 0..${Math.min(MAX_COPIES_PER_KIND, nRows)}, got ${JSON.stringify(v)}`, 'bad-input');
    }
    counts[kind] = v;
    total += v;
  }
  if (total === 0) throw new ApiError('Ask for at least one rotated, flipped or darkened copy', 'bad-input');
  if (req.randomState !== undefined && !(Number.isInteger(req.randomState) && req.randomState >= 0 && req.randomState < 2 ** 32)) {
    throw new ApiError(`randomState must be an integer in 0..4294967295, got ${JSON.stringify(req.randomState)}`, 'bad-input');
  }
  if (req.name !== undefined && (typeof req.name !== 'string' || req.name.length > 200)) throw new ApiError('the name must be a text of at most 200 characters', 'bad-input');
  return counts;
}

/** The 8-bit raster of one row, its values mapped from [lo, hi] to 0..255. */
function rasterOf(X: Matrix, row: number, lo: number, hi: number): Uint8Array {
  const d = X.cols, out = new Uint8Array(d), scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let f = 0; f < d; f++) out[f] = Math.max(0, Math.min(255, Math.round((X.data[row * d + f] - lo) * scale)));
  return out;
}

/**
 * Creates the validation dataset: the rows of `datasetId` (copies of earlier injections are not
 * copied again) followed by the transformed copies, in one transaction.
 */
export function injectIntoDataset(store: ProjectStore, datasetId: string, req: InjectRequest): InjectResult {
  const ds = store.getDataset(datasetId);
  const counts = checkRequest(req, ds.nSamples);
  const shape = req.image ?? imageShapeOf(ds.featureNames) ?? null;
  if (!shape) {
    throw new ApiError(`${ds.name} does not say its image size (its ${ds.nFeatures} features are not the pixels of a square image): give width, height and channels`, 'bad-input');
  }
  try {
    checkImageShape(shape, ds.nFeatures);
  } catch (e) {
    throw new ApiError((e as Error).message, 'bad-input');
  }
  const { X, labels } = store.getDatasetData(ds.id);
  const names = itemNames(store, ds.id);
  const candidates: number[] = [];
  for (let i = 0; i < ds.nSamples; i++) if (!names || !injectedKind(names[i])) candidates.push(i);
  for (const kind of INJECTION_KINDS) {
    if (counts[kind] > candidates.length) throw new ApiError(`${counts[kind]} ${kind} copies asked for, but only ${candidates.length} real rows exist`, 'bad-input');
  }
  const seed = req.randomState ?? 42;
  const injections = chooseInjections(candidates, counts, seed);
  const wide = injectAnomalies(X, shape, injections);
  const out: Matrix = X.data instanceof Float32Array ? { rows: wide.rows, cols: wide.cols, data: Float32Array.from(wide.data) } : wide;

  const n = ds.nSamples;
  const rowName = (i: number): string => (names ? names[i] : `row ${i}`);
  const sourceThumbs = names ? thumbnails(store, ds.id, Array.from({ length: n }, (_, i) => i)) : null;
  let lo = Infinity, hi = -Infinity;
  for (let t = 0; t < X.data.length; t++) {
    lo = Math.min(lo, X.data[t]);
    hi = Math.max(hi, X.data[t]);
  }
  const items: NewItem[] = [];
  for (let i = 0; i < n; i++) items.push({ name: rowName(i), thumbnail: sourceThumbs?.[i] ?? null });
  injections.forEach((inj, j) => {
    // Tables of pixels (digits) have no thumbnails: the views draw their rows; image sets do.
    const thumb = sourceThumbs ? thumbnailPng({ width: shape.width, height: shape.height, channels: shape.channels, pixels: rasterOf(out, n + j, lo, hi) }) : null;
    items.push({ name: injectedName(rowName(inj.row), inj.kind), thumbnail: thumb });
  });
  const newLabels = labels ? Int32Array.from([...labels, ...injections.map((inj) => labels[inj.row])]) : null;
  const total = injections.length;
  const dataset = store.transaction(() => {
    const created = store.addDataset({
      name: req.name?.trim() || `${ds.name} + ${total} injected`,
      source: `injected:${ds.id}`,
      X: out,
      featureNames: ds.featureNames,
      labelName: ds.labelName,
      labelClasses: ds.labelClasses,
      labels: newLabels,
    });
    addItems(store, created.id, items);
    return created;
  });
  return {
    dataset,
    injectedRows: injections.map((_, j) => n + j),
    sourceRows: injections.map((inj) => inj.row),
    kinds: injections.map((inj) => inj.kind),
    image: shape,
    randomState: seed,
  };
}
