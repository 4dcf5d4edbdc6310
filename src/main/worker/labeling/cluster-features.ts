/**
 * Clustering as preprocessing (the chapter's digits pipeline): the distances to k K-Means
 * centroids, alone or after the original features, as the classifier's input. k is chosen by
 * validation accuracy on a part of the training rows, then the best k is refitted on all of them
 * and tested on the held-out rows, next to the classifier on the original features.
 */
import { KMeans } from '../../../core/cluster/kmeans';
import { ParameterError } from '../../../core/errors';
import { clusterDistanceFeatures } from '../../../core/semisupervised';
import { takeRows, type Matrix } from '../../../core/math/matrix';
import { checkInt, checkNumber, checkOneOf } from '../../../core/validate';
import { CHAPTER_SPLIT, type ClusterFeaturesParams, type ClusterFeaturesResult } from '../../../shared/analyses/labeling';
import type { AnalysisInput } from '../../../shared/jobs';
import { makeClassifier, type Progress } from './common';
import { checkSplitSpec, trainTestSplit } from './split';

/** Values of k one search may try. */
const MAX_KS = 100;

export function clusterFeatures(input: AnalysisInput, params: ClusterFeaturesParams, onProgress: Progress): ClusterFeaturesResult {
  const y = input.y;
  if (!y) throw new ParameterError('clustering as preprocessing is judged by a classifier: the dataset needs a label column (ground truth)');
  const mode = checkOneOf('mode', params.mode, ['distances', 'append'] as const);
  const nInit = checkInt('nInit', params.nInit ?? 10, 1, 100);
  const randomState = checkInt('randomState', params.randomState ?? 42, 0, 2 ** 32 - 1);
  const validationSize = checkNumber('validationSize', params.validationSize ?? 0.25, 0, 1, { minExclusive: true, maxExclusive: true });
  const classifier = makeClassifier(params.classifier);
  let split, inner;
  try {
    split = trainTestSplit(input.X.rows, checkSplitSpec(params.split ?? CHAPTER_SPLIT, 'split'));
    inner = trainTestSplit(split.train.length, { testSize: validationSize, randomState });
  } catch (e) {
    throw new ParameterError((e as Error).message);
  }
  const fitRows = Int32Array.from(inner.train, (i) => split.train[i]);
  const valRows = Int32Array.from(inner.test, (i) => split.train[i]);
  const ks = checkKs(params.ks, fitRows.length);

  const X = input.X as Matrix;
  const part = (rows: Int32Array) => ({ X: takeRows(X, rows), y: Int32Array.from(rows, (r) => y[r]) });
  const train = part(split.train), fitPart = part(fitRows), val = part(valRows), test = part(split.test);
  const steps = 2 + ks.length + 1;
  let step = 0;
  const tick = (message: string) => {
    const s = step++;
    return (f: number) => onProgress((s + f) / steps, message);
  };
  const features = (km: KMeans, M: Matrix) => clusterDistanceFeatures(M, km, { append: mode === 'append' });

  const baseline = {
    validation: classifier().fit(fitPart.X, fitPart.y, { onProgress: tick('classifier on the features') }).score(val.X, val.y),
    test: classifier().fit(train.X, train.y, { onProgress: tick('classifier on the features') }).score(test.X, test.y),
  };
  const points: ClusterFeaturesResult['points'] = [];
  for (const k of ks) {
    const progress = tick(`k = ${k}`);
    const km = new KMeans({ nClusters: k, nInit, randomState }).fit(fitPart.X, null, { onProgress: (f) => progress(f / 2) });
    const clf = classifier().fit(features(km, fitPart.X), fitPart.y, { onProgress: (f) => progress(0.5 + f / 2) });
    points.push({ k, validation: clf.score(features(km, val.X), val.y) });
  }
  // The smallest k among the best (points are in ascending k).
  const bestPoint = points.reduce((a, b) => (b.validation > a.validation ? b : a));
  const progress = tick(`refitting k = ${bestPoint.k}`);
  const km = new KMeans({ nClusters: bestPoint.k, nInit, randomState }).fit(train.X, null, { onProgress: (f) => progress(f / 2) });
  const clf = classifier().fit(features(km, train.X), train.y, { onProgress: (f) => progress(0.5 + f / 2) });
  const best = { k: bestPoint.k, validation: bestPoint.validation, test: clf.score(features(km, test.X), test.y) };
  onProgress(1, 'done');
  return { mode, nTrain: train.X.rows, nValidation: val.X.rows, nTest: test.X.rows, baseline, points, best };
}

function checkKs(ks: unknown, nFit: number): number[] {
  if (!Array.isArray(ks) || ks.length === 0 || ks.length > MAX_KS) throw new ParameterError(`ks must list 1 to ${MAX_KS} values of k`);
  ks.forEach((k, i) => {
    checkInt(`ks[${i}]`, k, 2, nFit);
    if (i > 0 && k <= ks[i - 1]) throw new ParameterError(`ks must be ascending without repeats, got ${ks[i - 1]} then ${k}`);
  });
  return ks as number[];
}
