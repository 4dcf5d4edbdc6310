/**
 * Comparing two labelings of the same samples (scikit-learn's `metrics.cluster._supervised`):
 * contingency table, adjusted Rand index, normalized mutual information, plus accuracy.
 * Labels are any integers (−1 is an ordinary label); only the partition matters, not the names.
 */
import { DataError } from '../errors';
import { encodeLabels } from './labels';

export interface Contingency {
  /** Distinct values of the first labeling, increasing, shape (nClasses). */
  classes: Int32Array;
  /** Distinct values of the second labeling, increasing, shape (nClusters). */
  clusters: Int32Array;
  /** Co-occurrence counts, shape (nClasses, nClusters) row-major: counts[i · nClusters + j]. */
  counts: Int32Array;
}

/**
 * The contingency table of two labelings (scikit-learn's `contingency_matrix`, dense).
 * @param labelsTrue (nSamples) reference labels (rows of the table).
 * @param labelsPred (nSamples) labels to compare (columns).
 */
export function contingencyMatrix(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): Contingency {
  const { a, b } = encodePair(labelsTrue, labelsPred);
  const ka = a.classes.length, kb = b.classes.length;
  if (ka * kb > 2 ** 28) throw new DataError(`a dense ${ka} × ${kb} contingency table is too large`);
  const counts = new Int32Array(ka * kb);
  for (let i = 0; i < a.codes.length; i++) counts[a.codes[i] * kb + b.codes[i]]++;
  return { classes: a.classes, clusters: b.classes, counts };
}

/**
 * The adjusted Rand index: the Rand index corrected for chance, 1 for identical partitions (up to
 * renaming), about 0 for independent ones, symmetric in its arguments. Computed from the pair
 * confusion counts with exact integer arithmetic, as scikit-learn does with Python integers.
 */
export function adjustedRandScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const { a, b } = encodePair(labelsTrue, labelsPred);
  const n = a.codes.length;
  const cells = nonzeroCells(a.codes, b.codes, b.classes.length);
  // Ordered pair counts; all below n² (exact in float64 up to n ≈ 9.4e7).
  let sumSquares = 0, byCol = 0, byRow = 0;
  for (let t = 0; t < cells.count.length; t++) {
    const c = cells.count[t];
    sumSquares += c * c;
    byCol += c * b.counts[cells.col[t]];
    byRow += c * a.counts[cells.row[t]];
  }
  const tp = BigInt(sumSquares - n);
  const fp = BigInt(byCol - sumSquares);
  const fn = BigInt(byRow - sumSquares);
  const tn = BigInt(n) * BigInt(n) - fp - fn - BigInt(sumSquares);
  if (fn === 0n && fp === 0n) return 1;
  return (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/**
 * Normalized mutual information with scikit-learn's default `average_method='arithmetic'`:
 * MI / ((H(true) + H(pred)) / 2); 1 when both labelings are a single cluster, 0 when MI is 0.
 */
export function normalizedMutualInfoScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const { a, b } = encodePair(labelsTrue, labelsPred);
  const ka = a.classes.length, kb = b.classes.length;
  if ((ka === 1 && kb === 1) || (ka === 0 && kb === 0)) return 1;
  const mi = mutualInfo(a.codes, a.counts, b.codes, b.counts);
  if (mi === 0) return 0;
  const normalizer = (entropy(a.counts) + entropy(b.counts)) / 2;
  return mi / normalizer;
}

/**
 * Mutual information of two labelings in nats (scikit-learn's `mutual_info_score`).
 */
export function mutualInfoScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const { a, b } = encodePair(labelsTrue, labelsPred);
  return mutualInfo(a.codes, a.counts, b.codes, b.counts);
}

/** The fraction of samples whose two labels are equal (scikit-learn's `accuracy_score`). */
export function accuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  const n = yTrue.length;
  if (n === 0) throw new DataError('accuracyScore needs at least one sample');
  let hits = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / n;
}

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (!a || !b || typeof a.length !== 'number' || typeof b.length !== 'number') {
    throw new DataError('expected two label arrays');
  }
  if (a.length !== b.length) throw new DataError(`label arrays differ in length: ${a.length} and ${b.length}`);
}

function encodePair(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>) {
  checkPair(labelsTrue, labelsPred);
  return { a: encodeLabels(labelsTrue, 'labelsTrue'), b: encodeLabels(labelsPred, 'labelsPred') };
}

/**
 * The non-zero cells of the contingency table in row-major order (as scipy's `find` lists a
 * sparse table), without allocating the dense table: sort the cell index of every sample.
 */
function nonzeroCells(rowCodes: Int32Array, colCodes: Int32Array, nCols: number) {
  const n = rowCodes.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = rowCodes[i] * nCols + colCodes[i];
  keys.sort();
  const row: number[] = [], col: number[] = [], count: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && keys[j] === keys[i]) j++;
    const r = Math.floor(keys[i] / nCols);
    row.push(r);
    col.push(keys[i] - r * nCols);
    count.push(j - i);
    i = j;
  }
  return { row, col, count };
}

function mutualInfo(aCodes: Int32Array, aCounts: Int32Array, bCodes: Int32Array, bCounts: Int32Array): number {
  if (aCounts.length === 1 || bCounts.length === 1) return 0;
  const n = aCodes.length;
  const cells = nonzeroCells(aCodes, bCodes, bCounts.length);
  const logN = Math.log(n);
  let mi = 0;
  for (let t = 0; t < cells.count.length; t++) {
    const nij = cells.count[t];
    const p = nij / n;
    const logOuter = -Math.log(aCounts[cells.row[t]] * bCounts[cells.col[t]]) + logN + logN;
    const term = p * (Math.log(nij) - logN) + p * logOuter;
    // scikit-learn zeroes terms below machine epsilon before summing.
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return mi > 0 ? mi : 0;
}

/** Entropy (nats) of a labeling given its class counts (all positive). */
function entropy(counts: Int32Array): number {
  if (counts.length <= 1) return 0;
  let total = 0;
  for (let c = 0; c < counts.length; c++) total += counts[c];
  const logTotal = Math.log(total);
  let h = 0;
  for (let c = 0; c < counts.length; c++) h += (counts[c] / total) * (Math.log(counts[c]) - logTotal);
  return -h;
}
