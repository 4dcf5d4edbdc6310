import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PCA } from '../../../../src/core/decomposition/pca';
import { DataError, NotFittedError, ParameterError } from '../../../../src/core/errors';
import { fromRows, takeRows, type Matrix } from '../../../../src/core/math/matrix';
import { Random } from '../../../../src/core/math/random';
import { describeConformance } from '../conformance';
import { dataset, expected, expectClose, REFERENCE } from '../reference';
import { metricsExtra } from '../metrics/extra';

const digits = dataset('digits.csv').X;
const split = JSON.parse(readFileSync(resolve(REFERENCE, 'datasets/digits_split.json'), 'utf8'));
const digitsTrain = takeRows(digits, split.train_idx);
const ref = expected('pca_digits.json');
const extra = metricsExtra();
const iris = dataset('iris.csv').X;

function closeAll(got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-9, abs = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expectClose(got[i], want[i], rel, abs);
}

/** Entries that differ (bitwise, as Object.is), for large arrays where toEqual is slow. */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

function randomMatrix(seed: number, n: number, d: number): Matrix<Float64Array> {
  const rng = new Random(seed);
  // Correlated columns with decreasing scales, so that the spectrum is spread out.
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let carry = 0;
    for (let f = 0; f < d; f++) {
      carry = 0.5 * carry + rng.normal() / (1 + f);
      data[i * d + f] = carry + 3;
    }
  }
  return { rows: n, cols: d, data };
}

describe('PCA on digits against scikit-learn 1.2.1', () => {
  // Tolerances: rel 1e-9 (we measure ≤ 2e-13). The eigen route squares the data, so a variance
  // is accurate to about ε · λ₁ absolutely: relative 1e-13 for digits' smallest kept component.
  const cases: Array<[string, Matrix, number]> = [
    ['X_train_var0.95', digitsTrain, 0.95],
    ['X_train_var0.99', digitsTrain, 0.99],
    ['X_digits_full_var0.95', digits, 0.95],
    ['X_digits_full_var0.99', digits, 0.99],
  ];
  for (const [name, X, ratio] of cases) {
    it(`keeps ${ref[name].n_components} components for ${name} with their ratios, variances and singular values`, () => {
      const want = ref[name];
      const pca = new PCA({ nComponents: ratio }).fit(X);
      expect(pca.nComponents_).toBe(want.n_components);
      expect(pca.route_).toBe('features');
      closeAll(pca.explainedVarianceRatio_, want.explained_variance_ratio);
      closeAll(pca.explainedVariance_, want.explained_variance);
      closeAll(pca.singularValues_, want.singular_values);
      closeAll(pca.mean_, want.mean, 1e-12);
      // sklearn's rule: the smallest k whose cumulative ratio exceeds the threshold.
      const cumulative = want.cumulative as number[];
      expect(cumulative[cumulative.length - 1]).toBeGreaterThan(ratio);
      expect(cumulative[cumulative.length - 2]).toBeLessThanOrEqual(ratio);
    });
  }

  it('gives all 64 ratios of the full digits (the three constant-pixel components are 0 up to 1e-15)', () => {
    const pca = new PCA().fit(digits);
    const want = ref.X_digits_full_all_components_explained_variance_ratio as number[];
    expect(pca.nComponents_).toBe(64);
    for (let j = 0; j < 64; j++) {
      // sklearn's last three are rounding noise (~1e-33) of exactly zero variances.
      if (want[j] < 1e-20) expect(Math.abs(pca.explainedVarianceRatio_[j])).toBeLessThan(1e-15);
      else expectClose(pca.explainedVarianceRatio_[j], want[j]);
    }
  });

  it('reconstructs the training set with the variance it discards (sum of errors = (n−1) · discarded variance)', () => {
    const pca = new PCA({ nComponents: 0.95 }).fit(digitsTrain);
    const errors = pca.reconstructionError(digitsTrain);
    const total = errors.reduce((a, b) => a + b, 0);
    const kept = pca.explainedVarianceRatio_.reduce((a, b) => a + b, 0);
    const totalVariance = pca.explainedVariance_[0] / pca.explainedVarianceRatio_[0];
    expectClose(total, (1 - kept) * totalVariance * (digitsTrain.rows - 1), 1e-9);
    // And the test split, never seen, is reconstructed about as well (within 25%).
    const test = takeRows(digits, split.test_idx);
    const meanTest = pca.reconstructionError(test).reduce((a, b) => a + b, 0) / test.rows;
    expect(Math.abs(meanTest / (total / digitsTrain.rows) - 1)).toBeLessThan(0.25);
  });
});

describe('PCA components, projections and signs against scikit-learn 1.2.1 (abs 1e-9 on unit vectors)', () => {
  const cases: Array<[string, Matrix, number | undefined, number]> = [
    ['iris_n2', iris, 2, 2],
    ['digits_n10', digits, 10, 10],
    // n < d: the Gram route. The last component (singular value 0) is arbitrary in both.
    ['digits_first40_all', takeRows(digits, Array.from({ length: 40 }, (_, i) => i)), undefined, 39],
  ];
  for (const [name, X, nComponents, comparable] of cases) {
    it(`matches ${name}: svd_flip signs, variances, noise variance, transform and reconstruction`, () => {
      const want = extra.pca[name];
      const pca = new PCA({ nComponents }).fit(X);
      expect(pca.nComponents_).toBe(want.n_components_);
      expect(pca.route_).toBe(X.rows < X.cols ? 'samples' : 'features');
      const d = X.cols;
      let worst = 0;
      for (let j = 0; j < comparable; j++) {
        for (let f = 0; f < d; f++) worst = Math.max(worst, Math.abs(pca.components_.data[j * d + f] - want.components[j][f]));
        expectClose(pca.explainedVariance_[j], want.explained_variance[j]);
        expectClose(pca.singularValues_[j], want.singular_values[j]);
      }
      expect(worst).toBeLessThan(1e-9);
      expectClose(pca.noiseVariance_, want.noise_variance, 1e-9, 1e-15);
      const first5 = takeRows(X, [0, 1, 2, 3, 4]);
      const Z = pca.transform(first5);
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < comparable; j++) expect(Math.abs(Z.data[i * pca.nComponents_ + j] - want.transform_first5[i][j])).toBeLessThan(1e-9);
      }
      closeAll(pca.reconstructionError(first5), want.reconstruction_error_first5, 1e-9, 1e-12);
    });
  }

  it('puts a null component of the Gram route at a singular value below 1e-12 · s₁', () => {
    const pca = new PCA().fit(takeRows(digits, Array.from({ length: 40 }, (_, i) => i)));
    expect(pca.singularValues_[39]).toBeLessThan(1e-12 * pca.singularValues_[0]);
  });
});

describe('PCA behaviour', () => {
  it('keeps orthonormal components on both routes, and all components reconstruct the data', () => {
    for (const [n, d] of [[60, 9], [9, 60]]) {
      const X = randomMatrix(n * 100 + d, n, d);
      const pca = new PCA().fit(X);
      const k = pca.nComponents_, C = pca.components_.data;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let s = 0;
          for (let f = 0; f < d; f++) s += C[a * d + f] * C[b * d + f];
          expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
      const back = pca.inverseTransform(pca.transform(X));
      for (let t = 0; t < X.data.length; t++) expect(Math.abs(back.data[t] - X.data[t])).toBeLessThan(1e-10);
    }
  });

  it('gives projections whose variances are the explained variances, decreasing', () => {
    const X = randomMatrix(7, 200, 6);
    const pca = new PCA({ nComponents: 4 });
    const Z = pca.fitTransform(X);
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let i = 0; i < 200; i++) s += Z.data[i * 4 + j] ** 2;
      expectClose(s / 199, pca.explainedVariance_[j], 1e-10);
      if (j > 0) expect(pca.explainedVariance_[j]).toBeLessThanOrEqual(pca.explainedVariance_[j - 1]);
    }
  });

  it('whitens to unit variance and undoes it in inverseTransform', () => {
    const X = randomMatrix(8, 150, 5);
    const pca = new PCA({ nComponents: 5, whiten: true });
    const Z = pca.fitTransform(X);
    for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let i = 0; i < 150; i++) s += Z.data[i * 5 + j] ** 2;
      expectClose(s / 149, 1, 1e-10);
    }
    const back = pca.inverseTransform(Z);
    for (let t = 0; t < X.data.length; t++) expect(Math.abs(back.data[t] - X.data[t])).toBeLessThan(1e-10);
  });

  it('accepts float32 data: digits (small integers, exact in float32) give the float64 result bit for bit', () => {
    const X32 = { rows: digits.rows, cols: digits.cols, data: Float32Array.from(digits.data) };
    const a = new PCA({ nComponents: 12 }).fit(X32);
    const b = new PCA({ nComponents: 12 }).fit(digits);
    expect(mismatches(a.components_.data, b.components_.data)).toBe(0);
    expect(mismatches(a.explainedVariance_, b.explainedVariance_)).toBe(0);
    expect(mismatches(a.transform(X32).data, b.transform(digits).data)).toBe(0);
  });

  it('rejects bad nComponents, too many components, unfitted use and wrong feature counts', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, '3' as unknown as number]) {
      expect(() => new PCA({ nComponents: bad }).fit(iris)).toThrow(ParameterError);
    }
    expect(() => new PCA({ nComponents: 5 }).fit(iris)).toThrow(/at most min\(nSamples, nFeatures\) = 4/);
    expect(() => new PCA({ whiten: 'yes' as unknown as boolean }).fit(iris)).toThrow(ParameterError);
    expect(() => new PCA().transform(iris)).toThrow(NotFittedError);
    const pca = new PCA({ nComponents: 2 }).fit(iris);
    expect(() => pca.transform(fromRows([[1, 2, 3]]))).toThrow(DataError);
    expect(() => pca.inverseTransform(fromRows([[1, 2, 3]]))).toThrow(DataError);
    expect(() => new PCA().fit(fromRows([[1, 2]]))).toThrow(DataError);
  });

  it('restores a digits fit (constant pixels, zero loadings) from JSON bit for bit', () => {
    const pca = new PCA({ nComponents: 0.9, whiten: true }).fit(digits);
    const back = PCA.fromJSON(JSON.parse(JSON.stringify(pca.toJSON())));
    expect(back.nComponents_).toBe(pca.nComponents_);
    expect(mismatches(back.components_.data, pca.components_.data)).toBe(0);
    expect(mismatches(back.transform(digits).data, pca.transform(digits).data)).toBe(0);
  });

  it('reports progress ending at 1', () => {
    const fractions: number[] = [];
    new PCA({ nComponents: 3 }).fit(iris, null, { onProgress: (f) => fractions.push(f) });
    expect(fractions[fractions.length - 1]).toBe(1);
    for (let t = 1; t < fractions.length; t++) expect(fractions[t]).toBeGreaterThan(fractions[t - 1]);
  });
});

describeConformance('PCA', {
  make: () => new PCA({ nComponents: 3, randomState: 0 }),
  X: iris,
  fingerprint: (p) => ({
    components: Array.from(p.components_.data),
    variance: Array.from(p.explainedVariance_),
    mean: Array.from(p.mean_),
  }),
  fromJSON: (j) => PCA.fromJSON(j),
  badParams: [
    () => new PCA({ nComponents: 0 }),
    () => new PCA({ nComponents: 2.5 }),
    () => new PCA({ nComponents: 5 }),
    () => new PCA({ whiten: 1 as unknown as boolean }),
    () => new PCA({ randomState: -3 }),
  ],
});
