import { describe, expect, it } from 'vitest';
import { DBSCAN } from '../../../../../src/core/cluster/dbscan/dbscan';
import { dbscanPredict, fitCoreClassifier } from '../../../../../src/core/cluster/dbscan/predict';
import { NotFittedError } from '../../../../../src/core/errors';
import { fromRows } from '../../../../../src/core/math/matrix';
import { dataset, expectClose, expected } from '../../reference';

const moons = dataset('moons.csv').X;
const ref = expected('dbscan_moons.json')['eps0.2_min_samples5'].knn50_on_core;
const Xnew = fromRows(ref.X_new);

describe('dbscanPredict (the book: KNN(50) on the core samples, anomalies beyond eps)', () => {
  const dbscan = new DBSCAN({ eps: 0.2 }).fit(moons);

  it("matches scikit-learn's KNeighborsClassifier(50) on the book's X_new", () => {
    const knn = fitCoreClassifier(dbscan)!;
    expect(knn.params.nNeighbors).toBe(50);
    expect(Array.from(knn.predict(Xnew))).toEqual(ref.predict);
    const proba = knn.predictProba(Xnew);
    expect(proba.cols).toBe(2);
    ref.predict_proba.flat().forEach((p: number, i: number) => expectClose(proba.data[i], p, 1e-9));
  });

  it('marks as anomalies the points whose nearest core sample is farther than eps', () => {
    const p = dbscanPredict(dbscan, Xnew);
    expect(Array.from(p.labels)).toEqual(ref['predict_with_0.2_outlier_cut']);
    ref.nearest_core_dist.forEach((d: number, i: number) => expectClose(p.nearestDistance[i], d, 1e-9));
    expect(Array.from(p.classes)).toEqual([0, 1]);
    ref.predict_proba.flat().forEach((v: number, i: number) => expectClose(p.proba.data[i], v, 1e-9));
  });

  it('takes a cut-off other than eps and a prebuilt classifier', () => {
    const classifier = fitCoreClassifier(dbscan)!;
    const loose = dbscanPredict(dbscan, Xnew, { maxDistance: 1, classifier });
    expect(Array.from(loose.labels)).toEqual(ref.predict);
    const strict = dbscanPredict(dbscan, Xnew, { maxDistance: 0.03, classifier });
    expect(Array.from(strict.labels)).toEqual([-1, 0, -1, -1]);
  });

  it('caps the vote at the number of core samples and calls everything an anomaly without cores', () => {
    const few = new DBSCAN({ eps: 0.3, minSamples: 2 }).fit(fromRows([[0, 0], [0.1, 0], [5, 5]]));
    expect(fitCoreClassifier(few)!.params.nNeighbors).toBe(2);
    expect(Array.from(dbscanPredict(few, fromRows([[0.05, 0], [4, 4]])).labels)).toEqual([0, -1]);
    const none = new DBSCAN({ eps: 1e-3, minSamples: 3 }).fit(fromRows([[0, 0], [1, 1]]));
    const p = dbscanPredict(none, fromRows([[0, 0]]));
    expect(Array.from(p.labels)).toEqual([-1]);
    expect(p.proba.cols).toBe(0);
  });

  it('needs a fitted DBSCAN', () => {
    expect(() => dbscanPredict(new DBSCAN(), Xnew)).toThrow(NotFittedError);
  });
});
