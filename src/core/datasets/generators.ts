/**
 * Toy data generators with scikit-learn's recipes (`make_blobs`, `make_moons`, `make_circles`)
 * and the chapter's anisotropic mixture. They draw from the core's seeded `Random`, not NumPy's
 * MT19937, so a seed gives the same data every time here but not sklearn's data: only the
 * recipe (shapes, class sizes, centers, spreads) is shared.
 */
import { ParameterError } from '../errors';
import { matrix, type Matrix } from '../math/matrix';
import { makeRandom, type Random } from '../math/random';
import { checkInt, checkNumber, checkRandomState } from '../validate';

export interface Dataset {
  /** (nSamples, nFeatures). */
  X: Matrix<Float64Array>;
  /** Class of every sample, (nSamples). */
  y: Int32Array;
}

export interface BlobsOptions {
  /** Total samples, split as evenly as possible (the first centers get the remainder), or one count per center. Default 100. */
  nSamples?: number | ArrayLike<number>;
  /** Features when centers are drawn. Default 2. */
  nFeatures?: number;
  /** How many centers to draw uniformly in `centerBox`, or the centers themselves. Default 3. */
  centers?: number | ArrayLike<ArrayLike<number>>;
  /** Standard deviation of every blob, or one per center. Default 1. */
  clusterStd?: number | ArrayLike<number>;
  /** Bounds of the drawn centers. Default [−10, 10]. */
  centerBox?: readonly [number, number];
  /** Shuffle the samples (else they come blob by blob). Default true. */
  shuffle?: boolean;
  randomState?: number;
}

/**
 * Isotropic Gaussian blobs (scikit-learn's `make_blobs`).
 * @returns X (nSamples, nFeatures), y the blob of each sample, and the centers (nCenters, nFeatures).
 */
export function makeBlobs(opts: BlobsOptions = {}): Dataset & { centers: Matrix<Float64Array> } {
  const rng = makeRandom(checkRandomState(opts.randomState));
  return blobs(opts, rng);
}

function blobs(opts: BlobsOptions, rng: Random): Dataset & { centers: Matrix<Float64Array> } {
  const nSamples = opts.nSamples ?? 100;
  const perCenterGiven = typeof nSamples !== 'number';
  let centers: Matrix<Float64Array>;
  if (opts.centers === undefined || typeof opts.centers === 'number') {
    const count = perCenterGiven ? (nSamples as ArrayLike<number>).length : checkInt('centers', opts.centers ?? 3, 1);
    const d = checkInt('nFeatures', opts.nFeatures ?? 2, 1);
    const [lo, hi] = opts.centerBox ?? [-10, 10];
    checkNumber('centerBox[0]', lo);
    checkNumber('centerBox[1]', hi, lo);
    centers = matrix(count, d);
    for (let t = 0; t < centers.data.length; t++) centers.data[t] = rng.uniform(lo, hi);
  } else {
    centers = centerRows(opts.centers);
  }
  const k = centers.rows, d = centers.cols;

  let counts: number[];
  if (perCenterGiven) {
    const given = nSamples as ArrayLike<number>;
    if (given.length !== k) {
      throw new ParameterError(`nSamples gives ${given.length} counts but there are ${k} centers`);
    }
    counts = Array.from(given, (c, i) => checkInt(`nSamples[${i}]`, c, 0));
  } else {
    const total = checkInt('nSamples', nSamples, 1);
    counts = Array.from({ length: k }, (_, i) => Math.floor(total / k) + (i < total % k ? 1 : 0));
  }

  const std = opts.clusterStd ?? 1;
  const stds: number[] =
    typeof std === 'number' ? new Array<number>(k).fill(std) : Array.from(std, (s, i) => checkNumber(`clusterStd[${i}]`, s, 0));
  if (typeof std === 'number') checkNumber('clusterStd', std, 0);
  if (stds.length !== k) throw new ParameterError(`clusterStd gives ${stds.length} values but there are ${k} centers`);

  const n = counts.reduce((a, b) => a + b, 0);
  const X = matrix(n, d);
  const y = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    for (let s = 0; s < counts[c]; s++, row++) {
      for (let f = 0; f < d; f++) X.data[row * d + f] = centers.data[c * d + f] + stds[c] * rng.normal();
      y[row] = c;
    }
  }
  if (opts.shuffle ?? true) shuffleRows(X, y, rng);
  return { X, y, centers };
}

export interface MoonsOptions {
  /** Total samples: ⌊n/2⌋ on the upper moon (class 0), the rest on the lower one. Default 100. */
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to every coordinate. Default 0 (none). */
  noise?: number;
  shuffle?: boolean;
  randomState?: number;
}

/** Two interleaving half circles (scikit-learn's `make_moons`). @returns X (nSamples, 2), y in {0, 1}. */
export function makeMoons(opts: MoonsOptions = {}): Dataset {
  const n = checkInt('nSamples', opts.nSamples ?? 100, 1);
  const noise = checkNumber('noise', opts.noise ?? 0, 0);
  const rng = makeRandom(checkRandomState(opts.randomState));
  const nOut = Math.floor(n / 2), nIn = n - nOut;
  const X = matrix(n, 2);
  const y = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = linspace(0, Math.PI, nOut, i, true);
    X.data[2 * i] = Math.cos(t);
    X.data[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = linspace(0, Math.PI, nIn, i, true);
    const r = nOut + i;
    X.data[2 * r] = 1 - Math.cos(t);
    X.data[2 * r + 1] = 1 - Math.sin(t) - 0.5;
    y[r] = 1;
  }
  return finish(X, y, noise, opts.shuffle ?? true, rng);
}

export interface CirclesOptions {
  /** Total samples: ⌊n/2⌋ on the outer circle (class 0), the rest on the inner one. Default 100. */
  nSamples?: number;
  noise?: number;
  /** Radius of the inner circle relative to the outer one, in [0, 1). Default 0.8. */
  factor?: number;
  shuffle?: boolean;
  randomState?: number;
}

/** A small circle inside a large one (scikit-learn's `make_circles`). @returns X (nSamples, 2), y in {0, 1}. */
export function makeCircles(opts: CirclesOptions = {}): Dataset {
  const n = checkInt('nSamples', opts.nSamples ?? 100, 1);
  const noise = checkNumber('noise', opts.noise ?? 0, 0);
  const factor = checkNumber('factor', opts.factor ?? 0.8, 0, 1, { maxExclusive: true });
  const rng = makeRandom(checkRandomState(opts.randomState));
  const nOut = Math.floor(n / 2), nIn = n - nOut;
  const X = matrix(n, 2);
  const y = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = linspace(0, 2 * Math.PI, nOut, i, false);
    X.data[2 * i] = Math.cos(t);
    X.data[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = linspace(0, 2 * Math.PI, nIn, i, false);
    const r = nOut + i;
    X.data[2 * r] = Math.cos(t) * factor;
    X.data[2 * r + 1] = Math.sin(t) * factor;
    y[r] = 1;
  }
  return finish(X, y, noise, opts.shuffle ?? true, rng);
}

/** The chapter's stretching matrix for its "limits of K-Means" and Gaussian mixture examples. */
export const CHAPTER_TRANSFORMATION: readonly (readonly [number, number])[] = Object.freeze([
  Object.freeze([0.374, 0.95] as const),
  Object.freeze([0.732, 0.598] as const),
]);

export interface AnisotropicBlobsOptions extends BlobsOptions {
  /**
   * (nFeatures, nFeatures) matrix the blobs are multiplied by on the right (X · T).
   * Default: the chapter's [[0.374, 0.95], [0.732, 0.598]]; scikit-learn's k-means assumptions
   * example uses [[0.6, −0.6], [−0.4, 0.8]].
   */
  transformation?: ArrayLike<ArrayLike<number>>;
}

/** Gaussian blobs stretched by a linear map: elongated, non-spherical clusters. */
export function makeAnisotropicBlobs(opts: AnisotropicBlobsOptions = {}): Dataset & { centers: Matrix<Float64Array> } {
  const { X, y, centers } = makeBlobs(opts);
  const T = centerRows(opts.transformation ?? CHAPTER_TRANSFORMATION, 'transformation');
  if (T.rows !== X.cols || T.cols !== X.cols) {
    throw new ParameterError(`transformation must be ${X.cols} × ${X.cols} for ${X.cols} features, got ${T.rows} × ${T.cols}`);
  }
  return { X: multiply(X, T), y, centers: multiply(centers, T) };
}

/**
 * Where the chapter's third blob lands: `make_blobs(250, centers=1, random_state=42)` draws its
 * center uniformly in [−10, 10]² (NumPy gives (−2.50919762305275, 9.014286128198322) for seed
 * 42), and the chapter adds (6, −8).
 */
export const CHAPTER_THIRD_CENTER: readonly [number, number] = Object.freeze([3.49080237694725, 1.0142861281983215] as const);

/**
 * The chapter's mixture (reference dataset `gm3`): 1000 samples of blobs at (4, −4) and (0, 0)
 * (std 1) times `CHAPTER_TRANSFORMATION`, classes 0 and 1 (shuffled), then 250 samples of a
 * std-1 blob at `CHAPTER_THIRD_CENTER` (class 2), in that order as the chapter's `np.r_[X1, X2]`.
 */
export function makeChapterMixture(opts: { randomState?: number } = {}): Dataset {
  const rng = makeRandom(checkRandomState(opts.randomState));
  const first = blobs({ nSamples: 1000, centers: [[4, -4], [0, 0]] }, rng);
  const X1 = multiply(first.X, centerRows(CHAPTER_TRANSFORMATION));
  const second = blobs({ nSamples: 250, centers: [CHAPTER_THIRD_CENTER] }, rng);
  const X = matrix(1250, 2);
  X.data.set(X1.data, 0);
  X.data.set(second.X.data, 2000);
  const y = new Int32Array(1250);
  y.set(first.y, 0);
  y.fill(2, 1000);
  return { X, y };
}

/** numpy.linspace(start, stop, count, endpoint)[i]. */
function linspace(start: number, stop: number, count: number, i: number, endpoint: boolean): number {
  const div = endpoint ? count - 1 : count;
  if (div <= 0) return start;
  return start + ((stop - start) / div) * i;
}

/** Shuffle (rows and labels alike), then add the noise, in scikit-learn's order. */
function finish(X: Matrix<Float64Array>, y: Int32Array, noise: number, shuffle: boolean, rng: Random): Dataset {
  if (shuffle) shuffleRows(X, y, rng);
  if (noise > 0) for (let t = 0; t < X.data.length; t++) X.data[t] += noise * rng.normal();
  return { X, y };
}

function shuffleRows(X: Matrix<Float64Array>, y: Int32Array, rng: Random): void {
  const d = X.cols;
  const order = rng.permutation(X.rows);
  const data = X.data.slice();
  const labels = y.slice();
  for (let r = 0; r < order.length; r++) {
    X.data.set(data.subarray(order[r] * d, (order[r] + 1) * d), r * d);
    y[r] = labels[order[r]];
  }
}

function centerRows(rows: ArrayLike<ArrayLike<number>>, name = 'centers'): Matrix<Float64Array> {
  const k = rows.length;
  if (!(k >= 1)) throw new ParameterError(`${name} must have at least one row`);
  const d = rows[0]?.length;
  if (!(d >= 1)) throw new ParameterError(`${name} rows must have at least one value`);
  const out = matrix(k, d);
  for (let c = 0; c < k; c++) {
    if (rows[c].length !== d) throw new ParameterError(`${name}[${c}] has ${rows[c].length} values, expected ${d}`);
    for (let f = 0; f < d; f++) out.data[c * d + f] = checkNumber(`${name}[${c}][${f}]`, rows[c][f]);
  }
  return out;
}

/** A · B for row-major A (n, m) and B (m, p). */
function multiply(A: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
  const out = matrix(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let t = 0; t < A.cols; t++) s += A.data[i * A.cols + t] * B.data[t * B.cols + j];
      out.data[i * B.cols + j] = s;
    }
  }
  return out;
}
