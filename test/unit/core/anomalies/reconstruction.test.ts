/**
 * The reconstruction detector: PCA's squared reconstruction error as the score (scikit-learn's
 * inverse_transform(transform(X))), computed by blocked products that agree with the per-row
 * PCA methods to rounding.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReconstructionDetector } from '../../../../src/core/anomalies';
import { packPCA, project, reconstructRows } from '../../../../src/core/anomalies/projection';
import { PCA } from '../../../../src/core/decomposition';
import { DataError } from '../../../../src/core/errors';
import { fromRows, matrix, takeRows } from '../../../../src/core/math/matrix';
import { makeRandom } from '../../../../src/core/math/random';
import { describeConformance } from '../conformance';
import { dataset } from '../reference';

const digits = dataset('digits.csv').X;

/** 300 points near a plane in 5-D, then 6 points far off it. */
function planeWithOutliers(): { X: ReturnType<typeof matrix>; outliers: number[] } {
  const rng = makeRandom(5);
  const n = 306, d = 5;
  const X = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const a = rng.normal() * 3, b = rng.normal() * 2;
    const off = i >= 300 ? 4 + rng.random() : 0.01 * rng.normal();
    const row = [a, b, a + b, a - b + off, off];
    X.data.set(row, i * d);
  }
  return { X, outliers: [300, 301, 302, 303, 304, 305] };
}

describe('blocked PCA projections', () => {
  it('agree with PCA.transform, reconstructionError and inverseTransform on digits (rel 1e-12)', () => {
    const pca = new PCA({ nComponents: 0.95 }).fit(digits);
    const packed = packPCA(pca);
    const { Z, errors } = project(packed, digits, { errors: true });
    const Zref = pca.transform(digits);
    const scale = Math.max(...Zref.data.map(Math.abs));
    for (let t = 0; t < Z.data.length; t++) expect(Math.abs(Z.data[t] - Zref.data[t])).toBeLessThan(1e-12 * scale);
    const eref = pca.reconstructionError(digits);
    for (let i = 0; i < digits.rows; i++) expect(Math.abs(errors![i] - eref[i])).toBeLessThanOrEqual(1e-10 * eref[i] + 1e-9);
    const some = takeRows(digits, [0, 500, 1796]);
    const back = reconstructRows(packed, some), backRef = pca.inverseTransform(pca.transform(some));
    for (let t = 0; t < back.data.length; t++) expect(back.data[t]).toBeCloseTo(backRef.data[t], 10);
  });

  it('refuses a whitened PCA and data of another width', () => {
    const X = digits;
    expect(() => packPCA(new PCA({ nComponents: 5, whiten: true }).fit(X))).toThrow(DataError);
    const packed = packPCA(new PCA({ nComponents: 5 }).fit(X));
    expect(() => project(packed, fromRows([[1, 2]]))).toThrow(/features/);
  });

  it('never gives a negative error, and zero error with every component kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1000 }), (n, d, seed) => {
        const rng = makeRandom(seed);
        const X = matrix(n, d);
        for (let t = 0; t < n * d; t++) X.data[t] = rng.normal();
        // A duplicated row too: the errors must stay finite.
        X.data.set(X.data.subarray(0, d), (n - 1) * d);
        const k = Math.min(n, d);
        const all = project(packPCA(new PCA({ nComponents: k }).fit(X)), X, { errors: true }).errors!;
        const one = project(packPCA(new PCA({ nComponents: 1 }).fit(X)), X, { errors: true }).errors!;
        for (let i = 0; i < n; i++) {
          expect(one[i]).toBeGreaterThanOrEqual(0);
          expect(all[i]).toBeLessThan(1e-18 + 1e-9 * one[i] + 1e-20);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('ReconstructionDetector', () => {
  it('ranks the points off the plane first, by squared reconstruction error', () => {
    const { X, outliers } = planeWithOutliers();
    const det = new ReconstructionDetector({ variance: 2, percentile: 2 }).fit(X);
    expect(det.summary().pcaComponents).toBe(2);
    // 2 % of 306: numpy's virtual index 305 · 0.02 = 6.1 puts 7 samples above the threshold.
    expect(det.flagged_!.length).toBe(7);
    expect(Array.from(det.flagged_!.slice(0, 6)).sort((a, b) => a - b)).toEqual(outliers);
    const reconstructed = det.reconstruct(takeRows(X, [0]));
    let e = 0;
    for (let f = 0; f < 5; f++) e += (reconstructed.data[f] - X.data[f]) ** 2;
    expect(det.scores_![0]).toBeCloseTo(e, 12);
  });

  it('keeps the components of a variance ratio and flags 4 % by default', () => {
    const det = new ReconstructionDetector().fit(digits);
    // scikit-learn keeps 41 components of all digits at 0.99 (reference pca_digits.json).
    expect(det.summary().pcaComponents).toBe(41);
    expect(det.thresholdSource_).toBe('default');
    // Above numpy's 96th percentile: floor(1796 · 0.04) + 1 = 72 samples.
    expect(det.flagged_!.length).toBe(72);
  });

  it('uses a shared PCA as given instead of refitting', () => {
    const pca = new PCA({ nComponents: 10 }).fit(digits);
    const det = new ReconstructionDetector({ variance: 10 }).fit(digits, null, { reduction: pca });
    expect(det.pca_).toBe(pca);
    expect(() => new ReconstructionDetector().fit(fromRows([[1, 2], [3, 4], [5, 7]]), null, { reduction: pca })).toThrow(/64 features/);
  });
});

describeConformance('ReconstructionDetector', {
  make: () => new ReconstructionDetector({ variance: 0.9 }),
  X: planeWithOutliers().X,
  fingerprint: (d) => [Array.from(d.scores_!), d.threshold_, Array.from(d.flagged_!)],
  fromJSON: (j) => ReconstructionDetector.fromJSON(j),
  badParams: [() => new ReconstructionDetector({ variance: 0 }), () => new ReconstructionDetector({ variance: 1.5 }), () => new ReconstructionDetector({ threshold: Infinity })],
});
