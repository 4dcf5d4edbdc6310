import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { silhouetteSamples, silhouetteScore } from '../../../../src/core/metrics/silhouette';
import { DataError, ParameterError } from '../../../../src/core/errors';
import { fromRows, takeRows, type Matrix } from '../../../../src/core/math/matrix';
import { dataset, expected, expectClose } from '../reference';
import { metricsExtra } from './extra';

const blobs = dataset('blobs5.csv');
const km = expected('kmeans_blobs5.json');
const kmLabels = Int32Array.from(km.kmeans_k5_random_state42_n_init10.labels_canonical as number[]);
const extra = metricsExtra();

describe('silhouette against scikit-learn 1.2.1 (rel 1e-9)', () => {
  it('scores the k-means labels of blobs5 as 0.655517642572828', () => {
    expectClose(silhouetteScore(blobs.X, kmLabels), km.kmeans_k5_random_state42_n_init10.silhouette_score);
  });

  it('gives all 2000 per-sample coefficients of the k-means labels of blobs5', () => {
    const want = km.kmeans_k5_random_state42_n_init10.silhouette_samples as number[];
    const got = silhouetteSamples(blobs.X, kmLabels);
    expect(got.length).toBe(2000);
    for (let i = 0; i < want.length; i++) expectClose(got[i], want[i]);
  });

  it('scores the ground-truth labels of blobs5', () => {
    expectClose(silhouetteScore(blobs.X, blobs.y!), km.seed_independent.silhouette_score_of_ground_truth_labels);
  });

  it('scores the iris k-means labels (0.5528) and the iris ground truth (0.5035) of iris.json', () => {
    const iris = dataset('iris.csv');
    const ref = expected('iris.json');
    expectClose(silhouetteScore(iris.X, ref.kmeans3_random_state42.labels_canonical), ref.kmeans3_random_state42.silhouette_score);
    expectClose(silhouetteScore(iris.X, iris.y!), ref.seed_independent.silhouette_ground_truth);
  });

  it('matches the scores of the fixture datasets (iris, gm3, digits in 64-d, moons)', () => {
    const cases: Array<[string, Matrix, ArrayLike<number>]> = [
      ['blobs5_truth', blobs.X, blobs.y!],
      ['gm3_truth', dataset('gm3.csv').X, dataset('gm3.csv').y!],
      ['iris_truth', dataset('iris.csv').X, dataset('iris.csv').y!],
      ['digits_truth', dataset('digits.csv').X, dataset('digits.csv').y!],
      [
        'moons_spectral_gamma1',
        dataset('moons.csv').X,
        expected('agglomerative_spectral.json').spectral_moons_gamma1.labels as number[],
      ],
    ];
    for (const [name, X, y] of cases) expectClose(silhouetteScore(X, y), extra.indices[name].silhouette_score);
  });

  it('gives 0 to the members of singleton clusters', () => {
    const iris = dataset('iris.csv');
    const labels = extra.iris_singletons_labels as number[];
    const got = silhouetteSamples(iris.X, labels);
    expect(got[5]).toBe(0);
    expect(got[60]).toBe(0);
    const want = extra.silhouette_samples.iris_singletons as number[];
    for (let i = 0; i < want.length; i++) expectClose(got[i], want[i]);
  });

  it('treats the noise label −1 as an ordinary cluster, as scikit-learn does', () => {
    const iris = dataset('iris.csv');
    const labels = Int32Array.from(extra.iris_with_noise_labels as number[]);
    expect(labels).toContain(-1);
    const got = silhouetteSamples(iris.X, labels);
    const want = extra.silhouette_samples.iris_with_noise_label as number[];
    for (let i = 0; i < want.length; i++) expectClose(got[i], want[i]);
    expectClose(silhouetteScore(iris.X, labels), extra.indices.iris_with_noise_label.silhouette_score);
  });

  it('gives the per-sample coefficients on digits (64 features, 1797 rows: a partial last tile)', () => {
    const digits = dataset('digits.csv');
    const got = silhouetteSamples(digits.X, digits.y!);
    const want = extra.silhouette_samples.digits_truth_first200 as number[];
    for (let i = 0; i < want.length; i++) expectClose(got[i], want[i]);
  });

  it('computes float32 input in float64: equal to the float64 copy, within 1e-6 of sklearn (which sums in float32)', () => {
    const iris = dataset('iris.csv');
    const X32 = { rows: iris.X.rows, cols: iris.X.cols, data: Float32Array.from(iris.X.data) };
    const X64 = { rows: iris.X.rows, cols: iris.X.cols, data: Float64Array.from(X32.data) };
    const s32 = silhouetteScore(X32, iris.y!);
    expect(s32).toBe(silhouetteScore(X64, iris.y!));
    expectClose(s32, extra.indices.iris_truth_float32.silhouette_score, 1e-6);
  });
});

describe('silhouette conventions and errors', () => {
  const X = fromRows([[0, 0], [0, 1], [5, 5], [5, 6], [9, 9]]);

  it('rejects fewer than 2 or more than n − 1 distinct labels', () => {
    expect(() => silhouetteScore(X, [0, 0, 0, 0, 0])).toThrow(DataError);
    expect(() => silhouetteScore(X, [0, 1, 2, 3, 4])).toThrow(/Number of labels is 5/);
    expect(() => silhouetteScore(X, [0, 1, 2, 3, 3])).not.toThrow();
  });

  it('rejects labels of the wrong length or that are not integers, and NaN in X', () => {
    expect(() => silhouetteScore(X, [0, 1, 1])).toThrow(DataError);
    expect(() => silhouetteScore(X, [0, 1, 1, 0.5, 1])).toThrow(DataError);
    expect(() => silhouetteScore(fromRows([[0], [NaN], [1]]), [0, 1, 1])).toThrow(DataError);
  });

  it('gives 0 where a point and everything else coincide (a = b = 0)', () => {
    const same = fromRows([[1, 2], [1, 2], [1, 2], [1, 2]]);
    expect(Array.from(silhouetteSamples(same, [0, 0, 1, 1]))).toEqual([0, 0, 0, 0]);
  });

  it('scores a subset when sampleSize is given: reproducible per seed, everything when ≥ n', () => {
    const a = silhouetteScore(blobs.X, kmLabels, { sampleSize: 300, randomState: 3 });
    expect(silhouetteScore(blobs.X, kmLabels, { sampleSize: 300, randomState: 3 })).toBe(a);
    expect(silhouetteScore(blobs.X, kmLabels, { sampleSize: 300, randomState: 4 })).not.toBe(a);
    expect(Math.abs(a - 0.6555)).toBeLessThan(0.05);
    expect(silhouetteScore(blobs.X, kmLabels, { sampleSize: 5000, randomState: 1 })).toBe(silhouetteScore(blobs.X, kmLabels));
  });

  it('rejects a sampleSize that is not a positive integer and a bad randomState', () => {
    expect(() => silhouetteScore(X, [0, 0, 1, 1, 1], { sampleSize: 0 })).toThrow(ParameterError);
    expect(() => silhouetteScore(X, [0, 0, 1, 1, 1], { sampleSize: 2.5 })).toThrow(ParameterError);
    expect(() => silhouetteScore(X, [0, 0, 1, 1, 1], { sampleSize: 3, randomState: -1 })).toThrow(ParameterError);
  });

  it('reports progress ending at 1', () => {
    const fractions: number[] = [];
    silhouetteSamples(blobs.X, kmLabels, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions[fractions.length - 1]).toBe(1);
  });
});

/** Small clusterings: n rows in d dims (integer-valued coordinates make duplicates likely), labels with 2..n−1 values. */
const clustering = fc
  .record({ n: fc.integer({ min: 3, max: 30 }), d: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 2, max: 5 }) })
  .chain(({ n, d, k }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      values: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -10, max: 10, noNaN: true })), {
        minLength: n * d,
        maxLength: n * d,
      }),
      labels: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
    }),
  )
  .filter(({ n, labels }) => {
    const distinct = new Set(labels).size;
    return distinct >= 2 && distinct <= n - 1;
  });

describe('silhouette properties (fast-check)', () => {
  it('stays within [−1, 1] and is never NaN, duplicate points included', () => {
    fc.assert(
      fc.property(clustering, ({ n, d, values, labels }) => {
        const s = silhouetteSamples({ rows: n, cols: d, data: Float64Array.from(values) }, labels);
        for (const v of s) expect(v >= -1 && v <= 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('does not change when the label values are renamed (exactly)', () => {
    fc.assert(
      fc.property(clustering, fc.integer({ min: 1, max: 1000 }), ({ n, d, values, labels }, shift) => {
        const X = { rows: n, cols: d, data: Float64Array.from(values) };
        // A non-monotone renaming: reverses the code order and moves labels to negative numbers.
        const renamed = labels.map((l) => -l * 7 - shift);
        expect(Array.from(silhouetteSamples(X, renamed))).toEqual(Array.from(silhouetteSamples(X, labels)));
      }),
      { numRuns: 100 },
    );
  });

  it('follows the rows when rows and labels are permuted alike (to rounding, 1e-12)', () => {
    fc.assert(
      fc.property(clustering, fc.integer(), ({ n, d, values, labels }, seed) => {
        const X = { rows: n, cols: d, data: Float64Array.from(values) };
        const order = Array.from({ length: n }, (_, i) => i);
        let state = seed >>> 0;
        for (let i = n - 1; i > 0; i--) {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          const j = state % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        const before = silhouetteSamples(X, labels);
        const after = silhouetteSamples(takeRows(X, order), order.map((i) => labels[i]));
        for (let r = 0; r < n; r++) expect(Math.abs(after[r] - before[order[r]])).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 100 },
    );
  });
});
