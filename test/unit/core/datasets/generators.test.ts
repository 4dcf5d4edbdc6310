import { describe, expect, it } from 'vitest';
import {
  CHAPTER_TRANSFORMATION,
  makeAnisotropicBlobs,
  makeBlobs,
  makeChapterMixture,
  makeCircles,
  makeMoons,
} from '../../../../src/core/datasets/generators';
import { ParameterError } from '../../../../src/core/errors';
import type { Matrix } from '../../../../src/core/math/matrix';
import { dataset } from '../reference';

/** Per-class count, mean and (population) standard deviation of every feature. */
function classStats(X: Matrix, y: Int32Array, c: number) {
  const d = X.cols;
  const mean = new Float64Array(d), sq = new Float64Array(d);
  let count = 0;
  for (let i = 0; i < X.rows; i++) {
    if (y[i] !== c) continue;
    count++;
    for (let f = 0; f < d; f++) mean[f] += X.data[i * d + f];
  }
  for (let f = 0; f < d; f++) mean[f] /= count;
  for (let i = 0; i < X.rows; i++) {
    if (y[i] !== c) continue;
    for (let f = 0; f < d; f++) sq[f] += (X.data[i * d + f] - mean[f]) ** 2;
  }
  return { count, mean, std: sq.map((s) => Math.sqrt(s / count)) };
}

describe('makeBlobs', () => {
  it('splits nSamples over the centers like sklearn (remainder to the first ones) and shuffles', () => {
    const { X, y, centers } = makeBlobs({ nSamples: 1003, centers: 4, nFeatures: 3, randomState: 1 });
    expect([X.rows, X.cols, centers.rows, centers.cols]).toEqual([1003, 3, 4, 3]);
    expect([0, 1, 2, 3].map((c) => classStats(X, y, c).count)).toEqual([251, 251, 251, 250]);
    expect(Array.from(y.slice(0, 20)).some((v, i, a) => v !== a[0])).toBe(true);
  });

  it('draws centers inside centerBox and scatters each blob around its center with clusterStd', () => {
    const { X, y, centers } = makeBlobs({ nSamples: 4000, centers: 4, clusterStd: [0.5, 1, 2, 0.1], centerBox: [-5, 5], randomState: 2 });
    for (const v of centers.data) expect(v >= -5 && v < 5).toBe(true);
    [0.5, 1, 2, 0.1].forEach((std, c) => {
      const s = classStats(X, y, c);
      for (let f = 0; f < 2; f++) {
        // Mean within 5 standard errors; std within 10% (1000 samples: its standard error is 2.2%).
        expect(Math.abs(s.mean[f] - centers.data[c * 2 + f])).toBeLessThan((5 * std) / Math.sqrt(s.count));
        expect(Math.abs(s.std[f] / std - 1)).toBeLessThan(0.1);
      }
    });
  });

  it('uses explicit centers and per-center sample counts, in blob order without shuffling', () => {
    const { X, y } = makeBlobs({ nSamples: [3, 5], centers: [[0, 0, 0], [10, 10, 10]], clusterStd: 0, shuffle: false });
    expect(X.cols).toBe(3);
    expect(Array.from(y)).toEqual([0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(X.data.slice(9))).toEqual(new Array(15).fill(10));
  });

  it('gives the same data for the same seed and different data for another', () => {
    const a = makeBlobs({ randomState: 5 }), b = makeBlobs({ randomState: 5 }), c = makeBlobs({ randomState: 6 });
    expect(Array.from(b.X.data)).toEqual(Array.from(a.X.data));
    expect(Array.from(b.y)).toEqual(Array.from(a.y));
    expect(Array.from(c.X.data)).not.toEqual(Array.from(a.X.data));
  });

  it('rejects inconsistent or invalid options with ParameterError', () => {
    expect(() => makeBlobs({ centers: 3, clusterStd: [1, 2] })).toThrow(ParameterError);
    expect(() => makeBlobs({ nSamples: [3, 4], centers: [[0, 0]] })).toThrow(ParameterError);
    expect(() => makeBlobs({ nSamples: 0 })).toThrow(ParameterError);
    expect(() => makeBlobs({ clusterStd: -1 })).toThrow(ParameterError);
    expect(() => makeBlobs({ centers: [[0, 0], [1]] })).toThrow(ParameterError);
    expect(() => makeBlobs({ randomState: 1.5 })).toThrow(ParameterError);
  });
});

describe('makeMoons', () => {
  it('puts ⌊n/2⌋ points on the upper unit half circle and the rest on the shifted lower one', () => {
    const { X, y } = makeMoons({ nSamples: 101 });
    expect(classStats(X, y, 0).count).toBe(50);
    expect(classStats(X, y, 1).count).toBe(51);
    for (let i = 0; i < 101; i++) {
      const x = X.data[2 * i], v = X.data[2 * i + 1];
      if (y[i] === 0) {
        expect(Math.hypot(x, v)).toBeCloseTo(1, 12);
        expect(v).toBeGreaterThanOrEqual(-1e-15);
      } else {
        expect(Math.hypot(x - 1, v - 0.5)).toBeCloseTo(1, 12);
        expect(v).toBeLessThanOrEqual(0.5 + 1e-15);
      }
    }
  });

  it('adds Gaussian noise of the given standard deviation', () => {
    const { X, y } = makeMoons({ nSamples: 4000, noise: 0.1, randomState: 3 });
    let sum = 0, sq = 0;
    for (let i = 0; i < 4000; i++) {
      const x = X.data[2 * i], v = X.data[2 * i + 1];
      const r = y[i] === 0 ? Math.hypot(x, v) : Math.hypot(x - 1, v - 0.5);
      sum += r - 1;
      sq += (r - 1) ** 2;
    }
    // The radial error of an isotropic N(0, 0.1²) offset has mean ≈ 0.005 (curvature) and rms ≈ 0.1.
    expect(Math.abs(sum / 4000)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(sq / 4000) / 0.1 - 1)).toBeLessThan(0.1);
  });

  it('rejects negative noise', () => {
    expect(() => makeMoons({ noise: -0.1 })).toThrow(ParameterError);
  });
});

describe('makeCircles', () => {
  it('puts the outer class on the unit circle and the inner one at radius factor, without repeating the first point', () => {
    const { X, y } = makeCircles({ nSamples: 200, factor: 0.3, randomState: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      expect(Math.hypot(X.data[2 * i], X.data[2 * i + 1])).toBeCloseTo(y[i] === 0 ? 1 : 0.3, 12);
      seen.add(`${y[i]}:${X.data[2 * i].toFixed(9)},${X.data[2 * i + 1].toFixed(9)}`);
    }
    expect(seen.size).toBe(200);
    expect(classStats(X, y, 1).count).toBe(100);
  });

  it('requires factor in [0, 1)', () => {
    expect(() => makeCircles({ factor: 1 })).toThrow(ParameterError);
    expect(() => makeCircles({ factor: -0.1 })).toThrow(ParameterError);
  });
});

describe('anisotropic blobs and the chapter mixture', () => {
  it('is makeBlobs times the transformation (default: the chapter matrix)', () => {
    const plain = makeBlobs({ nSamples: 50, centers: 2, randomState: 4 });
    const stretched = makeAnisotropicBlobs({ nSamples: 50, centers: 2, randomState: 4 });
    const [[a, b], [c, d]] = CHAPTER_TRANSFORMATION;
    for (let i = 0; i < 50; i++) {
      const x = plain.X.data[2 * i], v = plain.X.data[2 * i + 1];
      expect(stretched.X.data[2 * i]).toBeCloseTo(x * a + v * c, 12);
      expect(stretched.X.data[2 * i + 1]).toBeCloseTo(x * b + v * d, 12);
    }
    expect(Array.from(stretched.y)).toEqual(Array.from(plain.y));
  });

  it("takes another transformation, e.g. scikit-learn's [[0.6, -0.6], [-0.4, 0.8]], and checks its shape", () => {
    const { X } = makeAnisotropicBlobs({ nSamples: 3000, centers: [[0, 0]], transformation: [[0.6, -0.6], [-0.4, 0.8]], randomState: 9 });
    // Covariance TᵀT = [[0.52, -0.68], [-0.68, 1.0]] for unit blobs.
    let sxx = 0, sxy = 0, syy = 0;
    for (let i = 0; i < 3000; i++) {
      const x = X.data[2 * i], v = X.data[2 * i + 1];
      sxx += x * x;
      sxy += x * v;
      syy += v * v;
    }
    expect(sxx / 3000).toBeCloseTo(0.52, 1);
    expect(sxy / 3000).toBeCloseTo(-0.68, 1);
    expect(syy / 3000).toBeCloseTo(1.0, 1);
    expect(() => makeAnisotropicBlobs({ transformation: [[1, 0, 0]] })).toThrow(ParameterError);
  });

  it("follows the chapter's recipe: 500 / 500 / 250 samples with the class means of the reference gm3 (±0.15)", () => {
    const { X, y } = makeChapterMixture({ randomState: 42 });
    expect([X.rows, X.cols]).toEqual([1250, 2]);
    expect(Array.from(y.slice(1000)).every((c) => c === 2)).toBe(true);
    const ref = dataset('gm3.csv');
    for (let c = 0; c < 3; c++) {
      const ours = classStats(X, y, c), theirs = classStats(ref.X, ref.y!, c);
      expect(ours.count).toBe(theirs.count);
      for (let f = 0; f < 2; f++) {
        expect(Math.abs(ours.mean[f] - theirs.mean[f])).toBeLessThan(0.15);
        expect(Math.abs(ours.std[f] / theirs.std[f] - 1)).toBeLessThan(0.15);
      }
    }
  });
});
