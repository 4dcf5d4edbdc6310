/**
 * The silhouette coefficient (Rousseeuw 1987) as scikit-learn computes it, exactly and in row
 * blocks: s(i) = (b − a) / max(a, b), with a the mean distance from i to the other members of its
 * cluster and b the smallest mean distance from i to the members of another cluster.
 * Conventions: 0 for members of singleton clusters (and where a = b = 0); an error unless there
 * are 2..n−1 distinct labels. Labels are any integers; −1 (noise) is an ordinary label here.
 */
import type { ProgressHook } from '../base';
import { checkMatrix, takeRows, type Matrix } from '../math/matrix';
import { makeRandom } from '../math/random';
import { checkInt, checkRandomState } from '../validate';
import { distanceSumsByCluster } from './distance-sums';
import { checkLabelsLength, checkNumberOfLabels, encodeLabels } from './labels';

export interface SilhouetteOptions {
  /** Called after each block of rows with the fraction done. */
  onProgress?: ProgressHook;
}

export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /**
   * Score a random subset of this many samples (scikit-learn's `sample_size`); values above
   * nSamples use every sample. The subset is drawn with the core's generator, so it differs from
   * NumPy's for the same seed.
   */
  sampleSize?: number;
  randomState?: number;
}

/**
 * The silhouette coefficient of every sample.
 * @param X (nSamples, nFeatures), Euclidean distances.
 * @param labels (nSamples) integer cluster labels.
 * @returns (nSamples) coefficients in [−1, 1].
 */
export function silhouetteSamples(X: Matrix, labels: ArrayLike<number>, opts: SilhouetteOptions = {}): Float64Array {
  checkMatrix(X);
  checkLabelsLength(labels, X.rows);
  const { codes, counts } = encodeLabels(labels);
  const k = counts.length;
  checkNumberOfLabels(k, X.rows);

  const out = new Float64Array(X.rows);
  distanceSumsByCluster(
    X,
    codes,
    k,
    (start, end, sums, base) => {
      for (let i = start; i < end; i++) {
        const o = (i - base) * k;
        const own = codes[i];
        const others = counts[own] - 1;
        if (others === 0) continue; // a singleton's silhouette is 0 by convention
        const a = sums[o + own] / others;
        let b = Infinity;
        for (let c = 0; c < k; c++) {
          if (c === own) continue;
          const mean = sums[o + c] / counts[c];
          if (mean < b) b = mean;
        }
        const m = a > b ? a : b;
        out[i] = m > 0 ? (b - a) / m : 0;
      }
    },
    { onProgress: opts.onProgress },
  );
  return out;
}

/**
 * The mean silhouette coefficient over all samples, or over a random subset of `sampleSize`.
 * @param X (nSamples, nFeatures).
 * @param labels (nSamples) integer cluster labels.
 */
export function silhouetteScore(X: Matrix, labels: ArrayLike<number>, opts: SilhouetteScoreOptions = {}): number {
  checkMatrix(X);
  checkLabelsLength(labels, X.rows);
  let data = X;
  let lab = labels;
  if (opts.sampleSize !== undefined && opts.sampleSize !== null) {
    const size = checkInt('sampleSize', opts.sampleSize, 1);
    const rng = makeRandom(checkRandomState(opts.randomState));
    if (size < X.rows) {
      const idx = rng.sample(X.rows, size);
      data = takeRows(X, idx);
      lab = Int32Array.from(idx, (i) => labels[i]);
    }
  } else if (opts.randomState !== undefined && opts.randomState !== null) {
    checkRandomState(opts.randomState);
  }
  const s = silhouetteSamples(data, lab, { onProgress: opts.onProgress });
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}

