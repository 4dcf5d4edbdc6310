/**
 * The anomaly review's pure logic: thresholds from a share, the queue, the detectors' agreement,
 * the most unusual values of a table row, and image rows as pixels on a fixed scale (so that a
 * darkened face looks dark, which a per-image stretch would hide).
 */
import {
  agreementMatrix,
  flaggedAbove,
  imageShapeOf,
  thresholdForShare,
  vennRegions,
  type DetectorMethod,
  type ImageShape,
} from '../../../../core/anomalies';
import type { Decision, DecisionEntry } from '../../../../shared/dto';

export const METHODS: readonly DetectorMethod[] = ['gmm', 'pca', 'dbscan'];

export const METHOD_TITLES: Record<DetectorMethod, string> = {
  gmm: 'Density (Gaussian mixture)',
  pca: 'Reconstruction (PCA)',
  dbscan: 'Noise (DBSCAN)',
};

/** One letter per detector for badges. */
export const METHOD_LETTERS: Record<DetectorMethod, string> = { gmm: 'G', pca: 'P', dbscan: 'D' };

export const SCORE_NAMES: Record<DetectorMethod, string> = {
  gmm: '−log density',
  pca: 'squared reconstruction error',
  dbscan: 'distance to the nearest core sample',
};

/** The keys of the review and what they do. */
export const DECISION_KEYS: Record<string, Decision> = { c: 'confirmed', d: 'dismissed', s: 'skipped' };

/** The score above which `percent` % of the samples lie (the detector's own rule). */
export function thresholdAtShare(scores: Float64Array, percent: number): number {
  return thresholdForShare(scores, Math.min(100, Math.max(0, percent)));
}

/** The share of samples (in %) whose score is above `threshold`. */
export function shareAbove(scores: Float64Array, threshold: number): number {
  if (scores.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > threshold) n++;
  return (100 * n) / scores.length;
}

/** The queue: the samples above the threshold, most anomalous first. */
export function queueOf(scores: Float64Array, threshold: number): Int32Array {
  return flaggedAbove(scores, threshold);
}

/**
 * Where the cursor goes after a decision: the next entry of the queue without a decision, after
 * `from` (wrapping to the first undecided one), or just the next entry when all are decided.
 */
export function nextUndecided(queue: ArrayLike<number>, decisions: ReadonlyMap<number, DecisionEntry>, from: number): number {
  const n = queue.length;
  if (n === 0) return 0;
  for (let k = 1; k <= n; k++) {
    const i = (from + k) % n;
    if (!decisions.has(queue[i])) return i;
  }
  return Math.min(from + 1, n - 1);
}

/** One detector's flags at the view's threshold. */
export interface DetectorFlags {
  method: DetectorMethod;
  flagged: Int32Array;
}

export interface Agreement {
  methods: DetectorMethod[];
  /** counts[a][b]: flagged by both a and b; the diagonal, by a. */
  counts: number[][];
  /** Samples flagged by exactly the detectors of each bit mask (bit j = methods[j]); [0] by none. */
  regions: Int32Array;
  /** Flagged by every detector. */
  all: number;
}

export function agreementOf(flags: readonly DetectorFlags[], nSamples: number): Agreement {
  const sets = flags.map((f) => f.flagged);
  const regions = vennRegions(sets, nSamples);
  return { methods: flags.map((f) => f.method), counts: agreementMatrix(sets, nSamples), regions, all: flags.length ? regions[regions.length - 1] : 0 };
}

/** Which detectors flag each sample, as a bit mask over `flags`' order, (nSamples). */
export function flagBits(flags: readonly DetectorFlags[], nSamples: number): Uint8Array {
  const bits = new Uint8Array(nSamples);
  flags.forEach((f, j) => {
    for (const r of f.flagged) bits[r] |= 1 << j;
  });
  return bits;
}

/** A feature of a table row and how far it is from the feature's mean, in standard deviations. */
export interface FeatureValue {
  index: number;
  value: number;
  z: number;
}

/**
 * The values of a row with their |z|, the most unusual first (features without spread last);
 * `limit` of them.
 */
export function unusualValues(values: ArrayLike<number>, mean: ArrayLike<number>, std: ArrayLike<number>, limit = values.length): FeatureValue[] {
  const out: FeatureValue[] = [];
  for (let f = 0; f < values.length; f++) out.push({ index: f, value: values[f], z: std[f] > 0 ? (values[f] - mean[f]) / std[f] : 0 });
  out.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.index - b.index);
  return out.slice(0, limit);
}

/** How a |z| reads: ordinary, unusual (≥ 2), extreme (≥ 3). */
export function zLevel(z: number): 'normal' | 'unusual' | 'extreme' {
  const a = Math.abs(z);
  return a >= 3 ? 'extreme' : a >= 2 ? 'unusual' : 'normal';
}

/** The image shape of a dataset's rows, when its features are pixels (see core imageShapeOf). */
export function imageShape(featureNames: readonly string[], aspect?: number): ImageShape | null {
  return imageShapeOf(featureNames, aspect);
}

/**
 * RGBA bytes of one image row on a fixed value scale [lo, hi] (the dataset's range): values
 * outside are clamped; grayscale or colour (channels interleaved).
 */
export function imageRgba(values: ArrayLike<number>, shape: ImageShape, lo: number, hi: number): Uint8ClampedArray<ArrayBuffer> {
  const n = shape.width * shape.height, ch = shape.channels;
  if (values.length !== n * ch) throw new RangeError(`a ${shape.width}×${shape.height}×${ch} image needs ${n * ch} values, got ${values.length}`);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < 3; k++) out[p * 4 + k] = (values[p * ch + (ch === 3 ? k : 0)] - lo) * scale;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** CSV text as a file the browser downloads. */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from a dataset name (no path separators or control characters). */
export function safeFileName(name: string): string {
  return Array.from(name, (c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('').trim() || 'dataset';
}

/** A detector form's fields, by the core's parameter names. */
export type DetectorForm = Record<string, number | string | undefined>;

/**
 * Starting values of each detector's form: the chapter's settings. Images (pixels): PCA keeping
 * 99 % of the variance, then a 40-component mixture (the Olivetti exercise); tables: the chapter's
 * GaussianMixture(n_components=3, n_init=10, random_state=42). With two or three features a 0.99
 * PCA would keep every component (no error to measure): one component fewer is kept instead.
 */
export function defaultForm(method: DetectorMethod, nFeatures: number, isImage: boolean): DetectorForm {
  switch (method) {
    case 'gmm':
      return isImage
        ? { nComponents: 40, covarianceType: 'full', nInit: 1, randomState: 42, pcaVariance: 0.99, percentile: 4 }
        : { nComponents: 3, covarianceType: 'full', nInit: 10, randomState: 42, pcaVariance: undefined, percentile: 4 };
    case 'pca':
      return { variance: nFeatures <= 3 ? Math.max(1, nFeatures - 1) : 0.99, percentile: 4 };
    case 'dbscan':
      return { eps: 0.5, minSamples: 5, pcaVariance: isImage ? 0.99 : undefined, percentile: undefined };
  }
}

/** The form as detector parameters: empty fields left out. */
export function formParams(form: DetectorForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) if (v !== undefined && v !== '' && !(typeof v === 'number' && Number.isNaN(v))) out[k] = v;
  return out;
}

/** A new immutable snapshot of a map with some entries added (state replaced whole, never mutated). */
export function mapWith<K, V>(m: ReadonlyMap<K, V> | null, entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> {
  const out = new Map(m ?? []);
  for (const [k, v] of entries) out.set(k, v);
  return out;
}

/** Rows being fetched or computed, so that a second request does not repeat the work (not state). */
export function pendingRows(): Set<number> {
  return new Set<number>();
}
