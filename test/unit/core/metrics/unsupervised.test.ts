import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calinskiHarabaszScore, daviesBouldinScore, inertia } from '../../../../src/core/metrics/unsupervised';
import { DataError } from '../../../../src/core/errors';
import { fromRows, type Matrix } from '../../../../src/core/math/matrix';
import { dataset, expected, expectClose } from '../reference';
import { metricsExtra } from './extra';

const extra = metricsExtra();
const km = expected('kmeans_blobs5.json').kmeans_k5_random_state42_n_init10;

describe('Calinski–Harabasz and Davies–Bouldin against scikit-learn 1.2.1 (rel 1e-9)', () => {
  const iris = dataset('iris.csv');
  const cases: Array<[string, Matrix, ArrayLike<number>]> = [
    ['blobs5_kmeans_labels', dataset('blobs5.csv').X, km.labels_canonical],
    ['blobs5_truth', dataset('blobs5.csv').X, dataset('blobs5.csv').y!],
    ['gm3_truth', dataset('gm3.csv').X, dataset('gm3.csv').y!],
    ['iris_truth', iris.X, iris.y!],
    ['iris_with_noise_label', iris.X, extra.iris_with_noise_labels],
    ['digits_truth', dataset('digits.csv').X, dataset('digits.csv').y!],
    ['moons_spectral_gamma1', dataset('moons.csv').X, expected('agglomerative_spectral.json').spectral_moons_gamma1.labels],
  ];
  for (const [name, X, labels] of cases) {
    it(`scores ${name}`, () => {
      expectClose(calinskiHarabaszScore(X, labels), extra.indices[name].calinski_harabasz);
      expectClose(daviesBouldinScore(X, labels), extra.indices[name].davies_bouldin);
    });
  }

  it('computes float32 input in float64 (within 1e-6 of sklearn, which keeps float32)', () => {
    const X32 = { rows: iris.X.rows, cols: iris.X.cols, data: Float32Array.from(iris.X.data) };
    expectClose(calinskiHarabaszScore(X32, iris.y!), extra.indices.iris_truth_float32.calinski_harabasz, 1e-6);
    expectClose(daviesBouldinScore(X32, iris.y!), extra.indices.iris_truth_float32.davies_bouldin, 1e-6);
  });
});

describe('index conventions', () => {
  it('gives CH 1 when every cluster is one repeated point, and DB 0 when all centroids coincide', () => {
    const X = fromRows([[0, 0], [0, 0], [3, 1], [3, 1]]);
    expect(calinskiHarabaszScore(X, [0, 0, 1, 1])).toBe(1);
    const ring = fromRows([[1, 0], [-1, 0], [0, 1], [0, -1]]);
    expect(daviesBouldinScore(ring, [0, 0, 1, 1])).toBe(0);
  });

  it('rejects a single cluster or one cluster per sample', () => {
    const X = fromRows([[0], [1], [2]]);
    expect(() => calinskiHarabaszScore(X, [0, 0, 0])).toThrow(DataError);
    expect(() => daviesBouldinScore(X, [0, 1, 2])).toThrow(DataError);
  });
});

describe('inertia', () => {
  it('reproduces the KMeans inertia of blobs5 from its labels and centers (rel 1e-9)', () => {
    const X = dataset('blobs5.csv').X;
    expectClose(inertia(X, km.labels_canonical, fromRows(km.centers_canonical)), km.inertia);
  });

  it('reproduces the KMeans inertia of iris (iris.json, rel 1e-9)', () => {
    const ref = expected('iris.json').kmeans3_random_state42;
    expectClose(inertia(dataset('iris.csv').X, ref.labels_canonical, fromRows(ref.centers_canonical)), ref.inertia);
  });

  it('rejects labels that are not center indices (noise −1 included) and mismatched shapes', () => {
    const X = fromRows([[0, 0], [1, 1]]);
    const C = fromRows([[0, 0]]);
    expect(() => inertia(X, [0, -1], C)).toThrow(DataError);
    expect(() => inertia(X, [0, 1], C)).toThrow(DataError);
    expect(() => inertia(X, [0, 0], fromRows([[0, 0, 0]]))).toThrow(DataError);
    expect(inertia(X, [0, 0], C)).toBe(2);
  });
});

describe('index properties (fast-check)', () => {
  const clustering = fc.integer({ min: 3, max: 25 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      values: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 2 * n, maxLength: 2 * n }),
      labels: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: n, maxLength: n }),
    }),
  );

  it('CH and DB are finite, non-negative and unchanged by renaming labels, duplicates included', () => {
    fc.assert(
      fc.property(clustering, ({ n, values, labels }) => {
        const distinct = new Set(labels).size;
        fc.pre(distinct >= 2 && distinct <= n - 1);
        const X = { rows: n, cols: 2, data: Float64Array.from(values) };
        const renamed = labels.map((l) => 10 - 2 * l);
        const ch = calinskiHarabaszScore(X, labels), db = daviesBouldinScore(X, labels);
        expect(Number.isFinite(ch) && ch >= 0).toBe(true);
        expect(Number.isFinite(db) && db >= 0).toBe(true);
        expect(calinskiHarabaszScore(X, renamed)).toBeCloseTo(ch, 9);
        expect(daviesBouldinScore(X, renamed)).toBeCloseTo(db, 9);
      }),
    );
  });
});
