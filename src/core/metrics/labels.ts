/**
 * Label arrays as the metrics see them: any integers (−1 for noise is just another label, as in
 * scikit-learn), re-encoded to 0..k−1 in sorted order like scikit-learn's `LabelEncoder`.
 */
import { DataError } from '../errors';

export interface EncodedLabels {
  /** The code of every sample, shape (nSamples), values in 0..k−1. */
  codes: Int32Array;
  /** The distinct labels in increasing order, shape (k): code c stands for classes[c]. */
  classes: Int32Array;
  /** Samples per code, shape (k). */
  counts: Int32Array;
}

/** Checks that `labels` holds integers and encodes them (sorted distinct values → 0..k−1). */
export function encodeLabels(labels: ArrayLike<number>, name = 'labels'): EncodedLabels {
  const n = labels.length;
  if (n === undefined || typeof n !== 'number') throw new DataError(`${name} must be an array of integer labels`);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new DataError(`${name}[${i}] is ${v}, but labels must be 32-bit integers`);
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const codes = new Int32Array(n);
  if (n === 0) return { codes, classes: new Int32Array(0), counts: new Int32Array(0) };

  // Labels are nearly always a small dense range: encode through a table over min..max.
  const span = max - min + 1;
  if (span <= 4 * n + 1024) {
    const table = new Int32Array(span).fill(-1);
    for (let i = 0; i < n; i++) table[labels[i] - min] = 0;
    let k = 0;
    for (let v = 0; v < span; v++) if (table[v] === 0) table[v] = k++;
    const classes = new Int32Array(k);
    for (let v = 0; v < span; v++) if (table[v] >= 0) classes[table[v]] = v + min;
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = table[labels[i] - min];
      codes[i] = c;
      counts[c]++;
    }
    return { codes, classes, counts };
  }
  const classes = Int32Array.from(new Set(Array.from(labels))).sort();
  const index = new Map<number, number>();
  classes.forEach((v, c) => index.set(v, c));
  const counts = new Int32Array(classes.length);
  for (let i = 0; i < n; i++) {
    const c = index.get(labels[i]) as number;
    codes[i] = c;
    counts[c]++;
  }
  return { codes, classes, counts };
}

/** scikit-learn's `check_number_of_labels`: the cluster-validity indices need 2..n−1 labels. */
export function checkNumberOfLabels(nLabels: number, nSamples: number): void {
  if (!(nLabels > 1 && nLabels < nSamples)) {
    throw new DataError(`Number of labels is ${nLabels}. Valid values are 2 to n_samples - 1 (inclusive), here 2 to ${nSamples - 1}`);
  }
}

/** Throws unless `labels` has one entry per sample. */
export function checkLabelsLength(labels: ArrayLike<number>, nSamples: number, name = 'labels'): void {
  if (!labels || labels.length !== nSamples) {
    throw new DataError(`${name} has ${labels ? labels.length : 'no'} entries for ${nSamples} samples`);
  }
}
