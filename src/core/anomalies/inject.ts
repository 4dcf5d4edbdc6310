/**
 * Synthetic anomalies for checking a detector (the chapter's Olivetti exercise 12): copies of
 * real images rotated, flipped upside down or darkened, appended to the real ones. A copy is
 * named after its source with the transformation in brackets (`p01_3.png (rotated)`), which is
 * how the app later knows which rows were injected.
 *
 * Pixels are row-major, channels interleaved: pixel (r, c) channel k of an image of width w and
 * c channels is at (r·w + c)·channels + k.
 */
import { DataError, ParameterError } from '../errors';
import { matrix, type Matrix } from '../math/matrix';
import { makeRandom } from '../math/random';
import { checkInt, checkRandomState } from '../validate';

export type InjectionKind = 'rotated' | 'flipped' | 'darkened';
export const INJECTION_KINDS: readonly InjectionKind[] = ['rotated', 'flipped', 'darkened'];

export interface ImageShape {
  width: number;
  height: number;
  /** 1 for grayscale, 3 for colour. */
  channels: 1 | 3;
}

/** What a darkened copy is multiplied by (the chapter's 0.3). */
export const DARKEN_FACTOR = 0.3;

/** One copy to make: the source row and what is done to it. */
export interface Injection {
  row: number;
  kind: InjectionKind;
}

/** The copy's item name: `p01_3.png (rotated)`. */
export function injectedName(name: string, kind: InjectionKind): string {
  return `${name} (${kind})`;
}

const INJECTED = /^(.*) \((rotated|flipped|darkened)\)$/;

/** The transformation an item name says was injected, or null for a real sample. */
export function injectedKind(name: string): InjectionKind | null {
  const m = INJECTED.exec(name);
  return m ? (m[2] as InjectionKind) : null;
}

/** The rows whose item names mark them as injected copies, ascending. */
export function injectedRows(names: readonly string[] | null): Int32Array {
  if (!names) return new Int32Array(0);
  const out: number[] = [];
  names.forEach((n, i) => {
    if (injectedKind(n)) out.push(i);
  });
  return Int32Array.from(out);
}

/** Checks an image shape against a number of features. */
export function checkImageShape(shape: ImageShape, nFeatures: number): void {
  checkInt('width', shape?.width, 1);
  checkInt('height', shape?.height, 1);
  if (shape.channels !== 1 && shape.channels !== 3) throw new ParameterError(`channels must be 1 (grayscale) or 3 (colour), got ${JSON.stringify(shape.channels)}`);
  const size = shape.width * shape.height * shape.channels;
  if (size !== nFeatures) {
    throw new DataError(`an image of ${shape.width}×${shape.height}×${shape.channels} has ${size} values, the rows have ${nFeatures}`);
  }
}

/**
 * The image shape of rows of `nFeatures` values when none is known: a square grayscale image
 * (digits 8×8, faces 64×64), else null.
 */
export function guessImageShape(nFeatures: number): ImageShape | null {
  return shapeOfPixels(nFeatures, 1);
}

/**
 * The image shape that a dataset's feature names spell: `p0, p1, …` (grayscale pixels, as image
 * folders and the digits table name them) or `p0_r, p0_g, p0_b, …` (colour). The names do not
 * say the width: `aspect` (width / height, e.g. of a thumbnail) decides it, else the image is
 * taken to be square. Null when the names are not pixels or no shape fits.
 */
export function imageShapeOf(featureNames: readonly string[], aspect?: number): ImageShape | null {
  const layout = pixelLayout(featureNames);
  return layout ? shapeOfPixels(layout.pixels, layout.channels, aspect) : null;
}

/** How many pixels and channels feature names `p0, …` or `p0_r, p0_g, p0_b, …` spell; null for other names. */
export function pixelLayout(featureNames: readonly string[]): { pixels: number; channels: 1 | 3 } | null {
  const n = featureNames.length;
  if (n === 0) return null;
  if (featureNames.every((f, i) => f === `p${i}`)) return { pixels: n, channels: 1 };
  if (n % 3 === 0 && featureNames.every((f, i) => f === `p${Math.floor(i / 3)}_${'rgb'[i % 3]}`)) return { pixels: n / 3, channels: 3 };
  return null;
}

function shapeOfPixels(pixels: number, channels: 1 | 3, aspect?: number): ImageShape | null {
  if (aspect !== undefined && aspect > 0 && Number.isFinite(aspect)) {
    const height = Math.round(Math.sqrt(pixels / aspect));
    if (height >= 1 && pixels % height === 0) return { width: pixels / height, height, channels };
  }
  const side = Math.round(Math.sqrt(pixels));
  return side >= 2 && side * side === pixels ? { width: side, height: side, channels } : null;
}

/**
 * Writes the transformed image of `src` into `out` (both width·height·channels long).
 * rotated: a square image is transposed, as the chapter does (`np.transpose(.., axes=[0, 2, 1])`,
 * a quarter turn mirrored); any other shape is turned by 180°, which keeps its shape.
 * flipped: upside down (the chapter's `[:, ::-1]`). darkened: every value × 0.3.
 */
export function transformImage(src: ArrayLike<number>, shape: ImageShape, kind: InjectionKind, out: Float64Array): Float64Array {
  const { width: w, height: h, channels: ch } = shape;
  switch (kind) {
    case 'rotated':
      for (let r = 0; r < h; r++)
        for (let c = 0; c < w; c++) {
          const to = w === h ? (c * w + r) * ch : ((h - 1 - r) * w + (w - 1 - c)) * ch;
          const from = (r * w + c) * ch;
          for (let k = 0; k < ch; k++) out[to + k] = src[from + k];
        }
      return out;
    case 'flipped':
      for (let r = 0; r < h; r++) {
        const from = r * w * ch, to = (h - 1 - r) * w * ch;
        for (let t = 0; t < w * ch; t++) out[to + t] = src[from + t];
      }
      return out;
    case 'darkened':
      for (let t = 0; t < w * h * ch; t++) out[t] = src[t] * DARKEN_FACTOR;
      return out;
    default:
      throw new ParameterError(`unknown transformation '${String(kind)}'; choose one of ${INJECTION_KINDS.join(', ')}`);
  }
}

/**
 * Chooses the source rows of the copies: for each kind, `counts[kind]` distinct rows drawn from
 * `candidates` with a seeded generator (the same seed, the same copies).
 */
export function chooseInjections(candidates: ArrayLike<number>, counts: Partial<Record<InjectionKind, number>>, randomState?: number): Injection[] {
  const rng = makeRandom(checkRandomState(randomState) ?? 0);
  const out: Injection[] = [];
  for (const kind of INJECTION_KINDS) {
    const k = checkInt(`counts.${kind}`, counts[kind] ?? 0, 0, candidates.length);
    const picked = rng.sample(candidates.length, k);
    for (let j = 0; j < k; j++) out.push({ row: candidates[picked[j]], kind });
  }
  return out;
}

/**
 * The rows of `X` followed by one transformed copy per injection, (nSamples + injections, nFeatures).
 */
export function injectAnomalies(X: Matrix, shape: ImageShape, injections: readonly Injection[]): Matrix<Float64Array> {
  checkImageShape(shape, X.cols);
  const n = X.rows, d = X.cols;
  const out = matrix(n + injections.length, d);
  for (let t = 0; t < n * d; t++) out.data[t] = X.data[t];
  injections.forEach((inj, j) => {
    if (!Number.isInteger(inj.row) || inj.row < 0 || inj.row >= n) throw new DataError(`injection ${j}: row ${inj.row} is outside 0..${n - 1}`);
    transformImage(X.data.subarray(inj.row * d, (inj.row + 1) * d), shape, inj.kind, out.data.subarray((n + j) * d, (n + j + 1) * d));
  });
  return out;
}
