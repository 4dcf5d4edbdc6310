import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, NotFittedError, ParameterError } from '../../../../src/core/errors';
import { fromRows, takeRows } from '../../../../src/core/math/matrix';
import { KNeighborsClassifier } from '../../../../src/core/neighbors/classifier';
import { describeConformance } from '../conformance';
import { dataset } from '../reference';

const moons = dataset('moons.csv');
const trainIdx = Array.from({ length: 300 }, (_, i) => i);
const Xtrain = takeRows(moons.X, trainIdx);
const ytrain = Int32Array.from(trainIdx, (i) => moons.y![i]);

describe('KNeighborsClassifier', () => {
  it('votes among the k nearest and reports sorted classes', () => {
    const X = fromRows([[0], [1], [2], [10], [11], [12]]);
    const knn = new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, [7, 7, 7, -2, -2, -2]);
    expect(Array.from(knn.classes_!)).toEqual([-2, 7]);
    expect(Array.from(knn.predict(fromRows([[0.5], [11.2], [6.9]])))).toEqual([7, -2, -2]);
    expect(Array.from(knn.predictProba(fromRows([[0.5], [6.9]])).data)).toEqual([0, 1, 2 / 3, 1 / 3]);
  });

  it('gives equal votes to the lower class label', () => {
    const X = fromRows([[-1], [1], [-2], [2]]);
    const knn = new KNeighborsClassifier({ nNeighbors: 2 }).fit(X, [5, 3, 5, 3]);
    expect(Array.from(knn.predict(fromRows([[0]])))).toEqual([3]);
    const four = new KNeighborsClassifier({ nNeighbors: 4 }).fit(X, [5, 3, 5, 3]);
    expect(Array.from(four.predict(fromRows([[0.1]])))).toEqual([3]);
  });

  it('orders neighbours by distance, then by index', () => {
    const X = fromRows([[2], [1], [-1], [1], [0]]);
    const knn = new KNeighborsClassifier({ nNeighbors: 4 }).fit(X, [0, 0, 0, 0, 0]);
    const { distances, indices } = knn.kneighbors(fromRows([[0]]));
    expect(Array.from(indices)).toEqual([4, 1, 2, 3]);
    expect(Array.from(distances.data)).toEqual([0, 1, 1, 1]);
    expect(knn.kneighbors(fromRows([[0]]), 2).distances.cols).toBe(2);
  });

  it('weights by inverse distance, and an exact match takes the whole vote', () => {
    const X = fromRows([[0], [1], [3]]);
    const knn = new KNeighborsClassifier({ nNeighbors: 3, weights: 'distance' }).fit(X, [0, 1, 1]);
    const p = knn.predictProba(fromRows([[0.5], [1]])).data;
    const w0 = 1 / 0.5, w1 = 1 / 0.5, w2 = 1 / 2.5;
    expect(p[0]).toBe(w0 / (w0 + w1 + w2));
    expect(p[1]).toBe((w1 + w2) / (w0 + w1 + w2));
    expect([p[2], p[3]]).toEqual([0, 1]);
    expect(Array.from(knn.predict(fromRows([[0.4], [0]])))).toEqual([0, 0]);
  });

  it('gives probabilities that sum to 1 and agree with predict, on duplicates and k = n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom('uniform' as const, 'distance' as const),
        fc.constantFrom('kd_tree' as const, 'brute' as const, 'grid' as const),
        (rows, kPick, weights, algorithm) => {
          const X = fromRows(rows.map(([a, b]) => [a, b]));
          const y = rows.map((r) => r[2]);
          const k = 1 + (kPick % rows.length);
          const knn = new KNeighborsClassifier({ nNeighbors: k, weights, algorithm }).fit(X, y);
          const Q = fromRows([[0, 0], [0.5, -1], [2, 2], [7, 7]]);
          const p = knn.predictProba(Q), pred = knn.predict(Q), nc = p.cols;
          for (let r = 0; r < Q.rows; r++) {
            const row = Array.from(p.data.subarray(r * nc, (r + 1) * nc));
            expect(row.every((v) => v >= 0 && !Number.isNaN(v))).toBe(true);
            expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
            const best = row.indexOf(Math.max(...row));
            expect(pred[r]).toBe(knn.classes_![best]);
          }
        },
      ),
      { numRuns: 150, seed: 3 },
    );
  });

  it('rejects missing or mismatched labels, and use before fit', () => {
    expect(() => new KNeighborsClassifier().predict(Xtrain)).toThrow(NotFittedError);
    expect(() => new KNeighborsClassifier().fit(Xtrain)).toThrow(DataError);
    expect(() => new KNeighborsClassifier().fit(Xtrain, [1, 2])).toThrow(DataError);
    expect(() => new KNeighborsClassifier({ nNeighbors: 1 }).fit(fromRows([[0], [1]]), [0.5, 1])).toThrow(DataError);
    const knn = new KNeighborsClassifier().fit(Xtrain, ytrain);
    expect(() => knn.predict(fromRows([[1, 2, 3]]))).toThrow(DataError);
    expect(() => knn.kneighbors(Xtrain, 301)).toThrow(ParameterError);
  });
});

describeConformance('KNeighborsClassifier', {
  make: () => new KNeighborsClassifier({ nNeighbors: 7 }),
  X: Xtrain,
  y: ytrain,
  fingerprint: (e) => ({ pred: Array.from(e.predict(moons.X)), proba: Array.from(e.predictProba(moons.X).data) }),
  fromJSON: (j) => KNeighborsClassifier.fromJSON(j),
  badParams: [
    () => new KNeighborsClassifier({ nNeighbors: 0 }),
    () => new KNeighborsClassifier({ nNeighbors: 301 }),
    () => new KNeighborsClassifier({ nNeighbors: 2.5 }),
    () => new KNeighborsClassifier({ weights: 'gaussian' as never }),
    () => new KNeighborsClassifier({ algorithm: 'ball_tree' as never }),
    () => new KNeighborsClassifier({ leafSize: 0 }),
  ],
});
