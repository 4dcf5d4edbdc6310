import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  discretize,
  embeddingFromLaplacian,
  knnAffinity,
  normalizedLaplacianInPlace,
  rbfAffinity,
  SpectralClustering,
  type SpectralParams,
} from '../../../../../src/core/cluster/spectral';
import { DataError, ParameterError } from '../../../../../src/core/errors';
import { matrix, takeRows, type Matrix } from '../../../../../src/core/math/matrix';
import { Random } from '../../../../../src/core/math/random';
import { describeConformance } from '../../conformance';
import { dataset, expectClose, expected } from '../../reference';
import { samePartition } from './partition';

const ref = expected('agglomerative_spectral.json');

/** numpy's default (linear) percentile of all values. */
function percentile(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (pos - lo) : s[lo];
}

/** `perGroup` Gaussian points (σ 0.3) around each of `centers`, in group order, and their groups. */
function groups(seed: number, centers: number[][], perGroup: number): { X: Matrix<Float64Array>; y: Int32Array } {
  const r = new Random(seed);
  const d = centers[0].length;
  const X = matrix(centers.length * perGroup, d);
  const y = new Int32Array(X.rows);
  for (let g = 0; g < centers.length; g++) {
    for (let i = 0; i < perGroup; i++) {
      const row = g * perGroup + i;
      y[row] = g;
      for (let j = 0; j < d; j++) X.data[row * d + j] = centers[g][j] + 0.3 * r.normal();
    }
  }
  return { X, y };
}

const THREE = [
  [0, 0],
  [10, 0],
  [0, 10],
];

describe('spectral affinities', () => {
  const { X } = dataset('moons.csv');

  // Deterministic: the same kernel on the same points; 1e-9 relative as the reference README says.
  for (const [gamma, key] of [
    [100, 'spectral_moons_gamma100'],
    [1, 'spectral_moons_gamma1'],
  ] as const) {
    it(`gives the reference's RBF affinity 95th percentile and mean on moons with gamma ${gamma}`, () => {
      const A = rbfAffinity(X, gamma);
      expectClose(percentile(A, 95), ref[key].affinity_percentile95, 1e-9);
      expectClose(A.reduce((s, v) => s + v, 0) / A.length, ref[key].affinity_mean, 1e-9);
    });
  }

  it('builds a symmetric RBF affinity with a unit diagonal and values in (0, 1]', () => {
    const { X: G } = groups(1, THREE, 5);
    const n = G.rows, A = rbfAffinity(G, 0.5);
    for (let i = 0; i < n; i++) {
      expect(A[i * n + i]).toBe(1);
      for (let j = 0; j < n; j++) {
        expect(A[i * n + j]).toBe(A[j * n + i]);
        expect(A[i * n + j]).toBeLessThanOrEqual(1);
      }
    }
  });

  it('builds the symmetrised kNN connectivity: values 0, ½ or 1, self included, n·k in total', () => {
    const { X: G } = groups(2, THREE, 6);
    const n = G.rows, k = 4, A = knnAffinity(G, k);
    let total = 0;
    for (let i = 0; i < n; i++) {
      expect(A[i * n + i]).toBe(1);
      for (let j = 0; j < n; j++) {
        expect([0, 0.5, 1]).toContain(A[i * n + j]);
        expect(A[i * n + j]).toBe(A[j * n + i]);
        total += A[i * n + j];
      }
    }
    expect(total).toBe(n * k);
  });
});

describe('spectral embedding', () => {
  it('starts with a constant, positive column: D^−1/2 times the trivial eigenvector √degree', () => {
    const { X } = groups(3, THREE, 7);
    const L = rbfAffinity(X, 0.05);
    const E = embeddingFromLaplacian(L, normalizedLaplacianInPlace(L, X.rows), 3);
    const first = Array.from({ length: X.rows }, (_, i) => E.data[i * 3]);
    for (const v of first) expectClose(v, first[0], 1e-9);
    expect(first[0]).toBeGreaterThan(0);
  });

  it('gives each column a positive largest-magnitude entry', () => {
    const { X } = groups(4, THREE, 7);
    const L = rbfAffinity(X, 0.05);
    const E = embeddingFromLaplacian(L, normalizedLaplacianInPlace(L, X.rows), 3);
    for (let c = 0; c < 3; c++) {
      let best = 0;
      for (let i = 0; i < X.rows; i++) if (Math.abs(E.data[i * 3 + c]) > Math.abs(best)) best = E.data[i * 3 + c];
      expect(best).toBeGreaterThan(0);
    }
  });

  it('discretizes an embedding of separated groups into those groups', () => {
    const { X, y } = groups(5, THREE, 10);
    const L = rbfAffinity(X, 0.5);
    const E = embeddingFromLaplacian(L, normalizedLaplacianInPlace(L, X.rows), 3);
    expect(samePartition(discretize(E, new Random(0)), y)).toBe(true);
  });
});

describe('SpectralClustering', () => {
  for (const params of [
    { assignLabels: 'kmeans' },
    { assignLabels: 'discretize' },
    { affinity: 'nearest_neighbors', nNeighbors: 5 },
  ] as Partial<SpectralParams>[]) {
    it(`recovers well-separated groups with ${JSON.stringify(params)}, whatever the row order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (seed, pseed) => {
          const { X, y } = groups(seed, THREE, 8);
          const perm = new Random(pseed).permutation(X.rows);
          const s = new SpectralClustering({ nClusters: 3, gamma: 0.5, randomState: 0, ...params }).fit(takeRows(X, perm));
          expect(new Set(s.labels_).size).toBe(3);
          expect(samePartition(s.labels_, Array.from(perm, (i) => y[i]))).toBe(true);
        }),
        { numRuns: 15 },
      );
    });
  }

  it('handles duplicate points and nClusters equal to the number of distinct points without NaN', () => {
    const X = matrix(6, 1, Float64Array.from([0, 0, 5, 5, 10, 10]));
    const s = new SpectralClustering({ nClusters: 3, gamma: 1, randomState: 1 }).fit(X);
    expect(samePartition(s.labels_, [0, 0, 1, 1, 2, 2])).toBe(true);
  });

  it('reports progress up to 1 and keeps the affinity of a small input', () => {
    const { X } = groups(6, THREE, 5);
    const seen: number[] = [];
    const s = new SpectralClustering({ nClusters: 3, randomState: 0 }).fit(X, null, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(s.affinityMatrix_!.data).toEqual(rbfAffinity(X, 1));
  });

  it('does not save the affinity matrix in JSON', () => {
    const { X } = groups(7, THREE, 5);
    const s = new SpectralClustering({ nClusters: 3, randomState: 0 }).fit(X);
    const back = SpectralClustering.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back.affinityMatrix_).toBeNull();
    expect(back.labels_).toEqual(s.labels_);
  });

  it('refuses more clusters or neighbours than samples', () => {
    const { X } = groups(8, THREE, 2);
    expect(() => new SpectralClustering({ nClusters: 7 }).fit(X)).toThrow(/nClusters must be at most the number of samples \(6\)/);
    expect(() => new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors' }).fit(X)).toThrow(ParameterError);
  });

  it('refuses more than 10,000 samples for the dense eigensolver, saying why', () => {
    expect(() => new SpectralClustering({ nClusters: 2 }).fit(matrix(10_001, 1))).toThrow(DataError);
    expect(() => new SpectralClustering({ nClusters: 2 }).fit(matrix(10_001, 1))).toThrow(/at most 10000 samples/);
  });
});

describeConformance('SpectralClustering', {
  make: () => new SpectralClustering({ nClusters: 3, gamma: 2, randomState: 3 }),
  X: takeRows(dataset('blobs5.csv').X, Array.from({ length: 60 }, (_, i) => i * 11)),
  fingerprint: (e) => Array.from(e.labels_),
  fromJSON: (j) => SpectralClustering.fromJSON(j),
  badParams: [
    () => new SpectralClustering({ nClusters: 0 }),
    () => new SpectralClustering({ nClusters: 1.5 }),
    () => new SpectralClustering({ affinity: 'cosine' as 'rbf' }),
    () => new SpectralClustering({ gamma: -1 }),
    () => new SpectralClustering({ gamma: Number.NaN }),
    () => new SpectralClustering({ nNeighbors: 0 }),
    () => new SpectralClustering({ assignLabels: 'cluster_qr' as 'kmeans' }),
    () => new SpectralClustering({ nInit: 0 }),
    () => new SpectralClustering({ eigenSolver: 'arpack' as 'dense' }),
    () => new SpectralClustering({ randomState: -1 }),
  ],
});
