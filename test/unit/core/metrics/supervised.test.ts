import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accuracyScore,
  adjustedRandScore,
  contingencyMatrix,
  mutualInfoScore,
  normalizedMutualInfoScore,
} from '../../../../src/core/metrics/supervised';
import { DataError } from '../../../../src/core/errors';
import { dataset, expected, expectClose } from '../reference';
import { metricsExtra } from './extra';

const extra = metricsExtra();
const blobs = dataset('blobs5.csv');
const km = expected('kmeans_blobs5.json');
const spectral = expected('agglomerative_spectral.json');
const moons = dataset('moons.csv');
const iris = dataset('iris.csv');

describe('adjusted Rand index and NMI against scikit-learn 1.2.1 (rel 1e-12)', () => {
  it('gives the ARI of the blobs5 k-means labels against the truth', () => {
    const labels = km.kmeans_k5_random_state42_n_init10.labels_canonical as number[];
    expectClose(adjustedRandScore(blobs.y!, labels), km.kmeans_k5_random_state42_n_init10.ari_vs_truth, 1e-12);
    expectClose(adjustedRandScore(blobs.y!, labels), km.kmeans_good_init.ari_vs_truth, 1e-12);
  });

  it('gives the ARI of the iris k-means labels against the truth (iris.json)', () => {
    const ref = expected('iris.json').kmeans3_random_state42;
    expectClose(adjustedRandScore(iris.y!, ref.labels_canonical), ref.ari_vs_truth, 1e-12);
  });

  it('gives ARI and NMI of the spectral moons labels: 1.0 / 1.0 for gamma 100, 0.295 / 0.226 for gamma 1', () => {
    const sharp = spectral.spectral_moons_gamma100;
    expect(adjustedRandScore(moons.y!, sharp.labels)).toBe(sharp.ari_vs_truth);
    expect(normalizedMutualInfoScore(moons.y!, sharp.labels)).toBeCloseTo(sharp.nmi_vs_truth, 12);
    const soft = spectral.spectral_moons_gamma1;
    expectClose(adjustedRandScore(moons.y!, soft.labels), soft.ari_vs_truth, 1e-12);
    expectClose(normalizedMutualInfoScore(moons.y!, soft.labels), soft.nmi_vs_truth, 1e-12);
  });

  it('matches the fixture comparisons, including −1 labels and unrelated labelings (negative ARI)', () => {
    const digits = dataset('digits.csv');
    const pairs: Record<string, [ArrayLike<number>, ArrayLike<number>]> = {
      blobs5_kmeans_vs_truth: [blobs.y!, km.kmeans_k5_random_state42_n_init10.labels_canonical],
      moons_spectral_gamma1_vs_truth: [moons.y!, spectral.spectral_moons_gamma1.labels],
      iris_noise_vs_truth: [iris.y!, extra.iris_with_noise_labels],
      iris_truth_vs_digits_first150: [iris.y!, digits.y!.slice(0, 150)],
    };
    for (const [name, [a, b]] of Object.entries(pairs)) {
      const want = extra.compare[name];
      expectClose(adjustedRandScore(a, b), want.ari, 1e-12);
      expectClose(normalizedMutualInfoScore(a, b), want.nmi, 1e-12);
      expectClose(mutualInfoScore(a, b), want.mi, 1e-12);
    }
    expect(extra.compare.iris_truth_vs_digits_first150.ari).toBeLessThan(0);
  });

  it('builds the contingency table with sorted classes and clusters', () => {
    const c = contingencyMatrix(iris.y!, extra.iris_with_noise_labels);
    expect(Array.from(c.classes)).toEqual([0, 1, 2]);
    expect(Array.from(c.clusters)).toEqual([-1, 0, 1, 2]);
    expect(Array.from(c.counts)).toEqual((extra.contingency_iris_noise_vs_truth as number[][]).flat());
  });
});

describe('partition comparison conventions', () => {
  it('gives 1 for two single-cluster labelings and for empty input, as scikit-learn', () => {
    expect(adjustedRandScore([3, 3, 3], [1, 1, 1])).toBe(1);
    expect(normalizedMutualInfoScore([3, 3, 3], [1, 1, 1])).toBe(1);
    expect(adjustedRandScore([], [])).toBe(1);
    expect(normalizedMutualInfoScore([], [])).toBe(1);
  });

  it('gives NMI 0 when one labeling is a single cluster and the other is not', () => {
    expect(normalizedMutualInfoScore([0, 0, 0, 0], [0, 1, 0, 1])).toBe(0);
  });

  it('gives ARI exactly 0 in sklearn\'s documented example of a split-everything labeling', () => {
    // sklearn doc: adjusted_rand_score([0, 0, 1, 1], [0, 1, 2, 3]) == 0.0, and 0.5714285714285714
    // for ([0, 0, 1, 2], [0, 0, 1, 1]) (checked with /usr/bin/python3, sklearn 1.2.1).
    expect(adjustedRandScore([0, 0, 1, 1], [0, 1, 2, 3])).toBe(0);
    expectClose(adjustedRandScore([0, 0, 1, 2], [0, 0, 1, 1]), 0.5714285714285714, 1e-15);
  });

  it('stays exact for large n, where pair-count products pass 2^53', () => {
    const n = 60000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 7);
    const b = Int32Array.from({ length: n }, (_, i) => (i < 5 ? 0 : i % 7));
    const ari = adjustedRandScore(a, b);
    // /usr/bin/python3 (sklearn 1.2.1): x = np.arange(60000) % 7; y = x.copy(); y[:5] = 0;
    // adjusted_rand_score(x, y) → 0.9998444185191242
    expectClose(ari, 0.9998444185191242, 1e-15);
    expect(adjustedRandScore(b, a)).toBe(ari);
  });

  it('computes accuracy as the fraction of equal labels', () => {
    expect(accuracyScore([0, 1, 2, 3], [0, 2, 1, 3])).toBe(0.5);
    expect(accuracyScore(Int32Array.from([1, 1]), Int32Array.from([1, 1]))).toBe(1);
  });

  it('rejects arrays of different lengths, non-integer labels and empty accuracy input', () => {
    expect(() => adjustedRandScore([0, 1], [0])).toThrow(DataError);
    expect(() => normalizedMutualInfoScore([0, 1.5], [0, 1])).toThrow(DataError);
    expect(() => contingencyMatrix([0, 1], [0, 1, 1])).toThrow(DataError);
    expect(() => accuracyScore([], [])).toThrow(DataError);
  });
});

const labelPair = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.tuple(
    fc.array(fc.integer({ min: -1, max: 5 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: -1, max: 5 }), { minLength: n, maxLength: n }),
  ),
);

describe('partition comparison properties (fast-check)', () => {
  it('ARI is symmetric (exactly) and NMI symmetric to rounding', () => {
    fc.assert(
      fc.property(labelPair, ([a, b]) => {
        expect(adjustedRandScore(a, b)).toBe(adjustedRandScore(b, a));
        expect(Math.abs(normalizedMutualInfoScore(a, b) - normalizedMutualInfoScore(b, a))).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('ARI and NMI are 1 for the same partition under any renaming of the labels', () => {
    fc.assert(
      fc.property(labelPair, fc.integer({ min: 1, max: 99 }), ([a], shift) => {
        const renamed = a.map((l) => shift - 3 * l);
        expect(adjustedRandScore(a, renamed)).toBe(1);
        expect(normalizedMutualInfoScore(a, renamed)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('ARI ≤ 1 and NMI in [0, 1], never NaN', () => {
    fc.assert(
      fc.property(labelPair, ([a, b]) => {
        const ari = adjustedRandScore(a, b), nmi = normalizedMutualInfoScore(a, b);
        expect(ari <= 1 + 1e-15).toBe(true);
        expect(nmi >= 0 && nmi <= 1 + 1e-12).toBe(true);
      }),
    );
  });
});
