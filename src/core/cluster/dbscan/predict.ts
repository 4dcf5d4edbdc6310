/**
 * DBSCAN has no `predict`: the book's recipe (Géron, ch. 9) trains a k-nearest-neighbours
 * classifier on the core samples and their cluster labels, classifies new points with it, and
 * calls a new point an anomaly (−1) when its nearest core sample is farther than a cut-off
 * (the book uses 0.2 = eps; we default to the model's eps).
 */
import { DataError, NotFittedError } from '../../errors';
import { checkMatrix, type Matrix } from '../../math/matrix';
import { KNeighborsClassifier } from '../../neighbors/classifier';
import { checkInt, checkNumber } from '../../validate';
import type { DBSCAN } from './dbscan';

export interface DbscanPredictOptions {
  /** Neighbours that vote (default 50, capped at the number of core samples). */
  nNeighbors?: number;
  /** Farther than this from every core sample makes an anomaly (default: the model's eps). */
  maxDistance?: number;
  weights?: 'uniform' | 'distance';
  /** A classifier from `fitCoreClassifier`, to reuse across many calls. */
  classifier?: KNeighborsClassifier;
}

export interface DbscanPrediction {
  /** Cluster of each new point, −1 for anomalies, (nQueries). */
  labels: Int32Array;
  /** Vote shares per cluster, (nQueries, classes.length); not zeroed for anomalies. */
  proba: Matrix<Float64Array>;
  /** The cluster labels of proba's columns, ascending. */
  classes: Int32Array;
  /** Distance from each new point to its nearest core sample, (nQueries). */
  nearestDistance: Float64Array;
}

/** The k-NN classifier of the core samples (components_) and their cluster labels. */
export function fitCoreClassifier(
  dbscan: DBSCAN,
  opts: { nNeighbors?: number; weights?: 'uniform' | 'distance' } = {},
): KNeighborsClassifier | null {
  const { labels_, coreSampleIndices_, components_ } = dbscan;
  if (!labels_ || !coreSampleIndices_ || !components_) throw new NotFittedError('DBSCAN');
  const nNeighbors = checkInt('nNeighbors', opts.nNeighbors ?? 50, 1);
  if (coreSampleIndices_.length === 0) return null;
  const y = new Int32Array(coreSampleIndices_.length);
  for (let i = 0; i < y.length; i++) y[i] = labels_[coreSampleIndices_[i]];
  return new KNeighborsClassifier({
    nNeighbors: Math.min(nNeighbors, y.length),
    weights: opts.weights ?? 'uniform',
  }).fit(components_, y);
}

/**
 * Assigns new points `X`, (nQueries, nFeatures), to the clusters of a fitted DBSCAN: the vote of
 * the `nNeighbors` nearest core samples, or −1 when the nearest core is farther than
 * `maxDistance`. (The book's last step labels with the single nearest core instead of the vote;
 * the two agree on every point that is not an anomaly in its example.)
 */
export function dbscanPredict(dbscan: DBSCAN, X: Matrix, opts: DbscanPredictOptions = {}): DbscanPrediction {
  const maxDistance = checkNumber('maxDistance', opts.maxDistance ?? dbscan.params.eps, 0);
  checkMatrix(X, { minSamples: 0 });
  const knn = opts.classifier ?? fitCoreClassifier(dbscan, opts);
  const n = X.rows;
  if (!knn) {
    // No core samples: nothing to vote, every point is an anomaly.
    return { labels: new Int32Array(n).fill(-1), proba: { rows: n, cols: 0, data: new Float64Array(0) }, classes: new Int32Array(0), nearestDistance: new Float64Array(n).fill(Infinity) };
  }
  if (X.cols !== knn.nFeaturesIn_) throw new DataError(`X has ${X.cols} features, the model was fitted on ${knn.nFeaturesIn_}`);
  const proba = knn.predictProba(X);
  const classes = knn.classes_!;
  const nearest = knn.kneighbors(X, 1).distances.data;
  const labels = knn.predict(X);
  for (let i = 0; i < n; i++) if (nearest[i] > maxDistance) labels[i] = -1;
  return { labels, proba, classes, nearestDistance: nearest };
}
