/**
 * A fit with `preprocess` (PCA by variance ratio, a held-out split) in the worker: the estimator
 * sees only the training rows in the reduced space, the held-out rows are assigned by predict, the
 * centres come back in the original features, and the saved model restores the same space.
 */
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../../../src/core/cluster/kmeans';
import { PCA } from '../../../../src/core/decomposition';
import { takeRows } from '../../../../src/core/math/matrix';
import { silhouetteScore } from '../../../../src/core/metrics';
import { checkPreprocess, restoreCentroidModel, restoreRunSpace } from '../../../../src/main/worker/labeling/preprocess';
import { trainTestSplit } from '../../../../src/main/worker/labeling/split';
import { runTask } from '../../../../src/main/worker/tasks';
import type { FitResult } from '../../../../src/shared/jobs';
import { dataset, expected } from '../../core/reference';

const digits = dataset('digits.csv');
const HOLDOUT = { testSize: 0.25, randomState: 42 };
const PCA_REF = expected('pca_digits.json');

function fit(preprocess: object, algorithm: 'kmeans' | 'dbscan' = 'kmeans'): FitResult {
  return runTask({ kind: 'fit', algorithm, params: { nClusters: 10, nInit: 1, randomState: 3 }, metrics: ['silhouette'], X: digits.X, y: digits.y, preprocess }, () => {}) as FitResult;
}

describe('a fit with PCA on the training part of a held-out split', () => {
  const result = fit({ pcaVariance: 0.95, holdout: HOLDOUT });
  const split = trainTestSplit(digits.X.rows, HOLDOUT);
  const pca = new PCA({ nComponents: 0.95 }).fit(takeRows(digits.X, split.train));
  const direct = new KMeans({ nClusters: 10, nInit: 1, randomState: 3 }).fit(pca.transform(takeRows(digits.X, split.train)));

  it("keeps scikit-learn's number of components for X_train (28 at 0.95, 29 on all rows)", () => {
    expect(result.metrics.pcaComponents).toBe(PCA_REF['X_train_var0.95'].n_components);
    expect(PCA_REF['X_digits_full_var0.95'].n_components).not.toBe(result.metrics.pcaComponents);
  });

  it('labels the training rows as the estimator fitted on them, and predicts the held-out rows', () => {
    const heldOut = direct.predict(pca.transform(takeRows(digits.X, split.test)));
    split.train.forEach((r, i) => expect(result.labels[r]).toBe(direct.labels_[i]));
    split.test.forEach((r, i) => expect(result.labels[r]).toBe(heldOut[i]));
    expect(result.metrics.inertia).toBeCloseTo(direct.inertia_, 6);
  });

  it('gives the centres in the original 64 features (the inverse transform of the fitted ones)', () => {
    expect(result.centers).not.toBeNull();
    expect([result.centers!.rows, result.centers!.cols]).toEqual([10, 64]);
    const back = pca.inverseTransform(direct.clusterCenters_);
    for (let i = 0; i < back.data.length; i++) expect(result.centers!.data[i]).toBeCloseTo(back.data[i], 9);
  });

  it('saves PCA and split with the model, so that an analysis maps rows into the same space', () => {
    const json = JSON.parse(JSON.stringify(result.model));
    const space = restoreRunSpace(json);
    expect(space.holdout).toEqual(HOLDOUT);
    const model = restoreCentroidModel('kmeans', json);
    expect(Array.from(model.predict(space.toModelSpace(digits.X)))).toEqual(Array.from(result.labels));
  });

  it('computes the metrics in the space the clustering lives in', () => {
    const reduced = pca.transform(digits.X);
    expect(result.metrics.silhouette).toBeCloseTo(silhouetteScore(reduced, result.labels), 9);
    expect(result.metrics.silhouette).not.toBeCloseTo(silhouetteScore(digits.X, result.labels), 3);
  });
});

describe('preprocess options', () => {
  it('leave a run without them untouched (no preprocess in the model)', () => {
    const plain = runTask({ kind: 'fit', algorithm: 'kmeans', params: { nClusters: 3, nInit: 1, randomState: 0 }, metrics: [], X: digits.X, y: null }, () => {}) as FitResult;
    expect((plain.model as Record<string, unknown>).preprocess).toBeUndefined();
    expect(restoreRunSpace(plain.model).pca).toBeNull();
    expect(plain.metrics.pcaComponents).toBeUndefined();
  });

  it('are refused with the rule broken', () => {
    expect(() => checkPreprocess({ pcaVariance: 1.5 }, 'kmeans')).toThrow(/pcaVariance must be a share of the variance in \(0, 1\), got 1.5/);
    expect(() => checkPreprocess({ pca: 0.9 }, 'kmeans')).toThrow(/unknown preprocess option 'pca'/);
    expect(() => checkPreprocess({ holdout: { testSize: 0, randomState: 1 } }, 'kmeans')).toThrow(/holdout.testSize/);
    expect(() => checkPreprocess({ holdout: HOLDOUT }, 'dbscan')).toThrow(/needs an algorithm that assigns new rows/);
    expect(() => checkPreprocess([], 'kmeans')).toThrow(/must be an object/);
  });

  it('PCA alone works for any algorithm (DBSCAN has no centres to map back)', () => {
    const r = runTask({ kind: 'fit', algorithm: 'dbscan', params: { eps: 20, minSamples: 5 }, metrics: [], X: digits.X, y: null, preprocess: { pcaVariance: 0.5 } }, () => {}) as FitResult;
    expect(r.centers).toBeNull();
    expect(r.labels.length).toBe(digits.X.rows);
    expect(r.metrics.pcaComponents).toBeGreaterThan(0);
  });
});
