import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../src/core/errors';
import { fromRows, type Matrix } from '../../../../src/core/math/matrix';
import {
  clusterCutoffs,
  clusterDistanceFeatures,
  leastConfident,
  ownCentroidDistances,
  percentile,
  propagateToClusters,
  propagateToPercentile,
  representatives,
  UNLABELED,
} from '../../../../src/core/semisupervised';

/** A stand-in for a fitted KMeans: Euclidean distances to fixed centers. */
function centroids(centers: number[][]) {
  const C = fromRows(centers);
  return {
    transform(X: Matrix): Matrix<Float64Array> {
      const out = new Float64Array(X.rows * C.rows);
      for (let i = 0; i < X.rows; i++) {
        for (let c = 0; c < C.rows; c++) {
          let s = 0;
          for (let j = 0; j < X.cols; j++) s += (X.data[i * X.cols + j] - C.data[c * C.cols + j]) ** 2;
          out[i * C.rows + c] = Math.sqrt(s);
        }
      }
      return { rows: X.rows, cols: C.rows, data: out };
    },
  };
}

describe('percentile', () => {
  it("equals numpy 1.24's percentile (linear) to the last bit", () => {
    // Values printed by numpy.percentile in /usr/bin/python3 (numpy 1.24.2).
    expect(percentile([3, 1, 2, 10], 20)).toBe(1.6);
    expect(percentile([3, 1, 2, 10], 90)).toBe(7.900000000000001);
    expect(percentile([0.1, 0.7, 0.2, 0.3, 0.9], 20)).toBe(0.18000000000000002);
    expect(percentile([0.1, 0.7, 0.2, 0.3, 0.9], 85)).toBe(0.78);
    expect(percentile([0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001], 12.5)).toBe(0.07500000000000001);
    expect(percentile([5.5], 20)).toBe(5.5);
    expect(percentile([2, 1], 100)).toBe(2);
    expect(percentile([2, 1], 0)).toBe(1);
  });

  it('refuses an empty array and a percentile outside [0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(DataError);
    expect(() => percentile([1], 101)).toThrow(DataError);
    expect(() => percentile([1], -1)).toThrow(DataError);
  });
});

describe('representatives', () => {
  it('picks, for each centroid, the first sample nearest to it', () => {
    const X = fromRows([[0], [4], [1], [10], [9], [11], [-1]]);
    // Centroid 0 at 0.5: samples 0 and 2 tie at 0.5, the first wins. Centroid 1 at 10: sample 3.
    expect(Array.from(representatives(X, centroids([[0.5], [10]])))).toEqual([0, 3]);
  });
});

describe('propagateToClusters', () => {
  it("gives each sample its cluster's representative label, −1 for clusters not labeled yet", () => {
    const clusters = [0, 0, 1, 2, 1, 2];
    expect(Array.from(propagateToClusters(clusters, [1, 2, 5], [7, UNLABELED, 3]))).toEqual([7, 7, -1, 3, -1, 3]);
  });

  it('keeps the given label on a representative that lies nearer another centroid', () => {
    // Sample 2 represents cluster 1 but was assigned to cluster 0.
    expect(Array.from(propagateToClusters([0, 0, 0, 1], [0, 2], [4, 9]))).toEqual([4, 4, 9, 9]);
  });

  it('refuses labels and representatives that do not fit', () => {
    expect(() => propagateToClusters([0, 3], [0, 1], [1, 2])).toThrow(DataError);
    expect(() => propagateToClusters([0, 1], [0, 5], [1, 2])).toThrow(DataError);
    expect(() => propagateToClusters([0, 1], [0], [1, 2])).toThrow(DataError);
  });
});

describe('propagateToPercentile', () => {
  const clusters = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1]);
  const dist = Float64Array.from([0.1, 0.7, 0.2, 0.3, 0.9, 2, 1, 5]);

  it("labels only the samples within each cluster's percentile of distance", () => {
    // Cluster 0: 20th percentile 0.18 keeps 0.1 only; cluster 1: percentile of [1, 2, 5] is 1.4.
    expect(Array.from(clusterCutoffs(dist, clusters, 2, 20))).toEqual([0.18000000000000002, 1.4]);
    expect(Array.from(propagateToPercentile(dist, clusters, [0, 6], [3, 8], 20))).toEqual([3, -1, -1, -1, -1, -1, 8, -1]);
  });

  it('keeps every sample at 100 and only the nearest (with ties) at 0', () => {
    expect(Array.from(propagateToPercentile(dist, clusters, [0, 6], [3, 8], 100))).toEqual([3, 3, 3, 3, 3, 8, 8, 8]);
    const tied = Float64Array.from([0.1, 0.1, 0.2, 0.3, 0.9, 2, 1, 5]);
    expect(Array.from(propagateToPercentile(tied, clusters, [0, 6], [3, 8], 0))).toEqual([3, 3, -1, -1, -1, -1, 8, -1]);
  });

  it('never labels a sample while leaving a nearer one of its cluster unlabeled, and keeps at least the numpy share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 100, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (pairs, q) => {
          const labels = Int32Array.from(pairs, (p) => p[0]);
          const d = Float64Array.from(pairs, (p) => p[1]);
          const k = 4;
          // Representative of each cluster: its nearest sample (or sample 0 for an empty cluster, labeled −1).
          const rep = new Int32Array(k), repLabels = new Int32Array(k).fill(UNLABELED);
          for (let c = 0; c < k; c++) {
            let best = -1;
            for (let i = 0; i < labels.length; i++) if (labels[i] === c && (best < 0 || d[i] < d[best])) best = i;
            if (best >= 0) {
              rep[c] = best;
              repLabels[c] = 10 + c;
            }
          }
          const out = propagateToPercentile(d, labels, rep, repLabels, q);
          for (let c = 0; c < k; c++) {
            const members = Array.from(labels.keys()).filter((i) => labels[i] === c);
            if (members.length === 0) continue;
            const kept = members.filter((i) => out[i] !== UNLABELED);
            const dropped = members.filter((i) => out[i] === UNLABELED);
            for (const i of kept) expect(out[i]).toBe(10 + c);
            if (kept.length && dropped.length) expect(Math.max(...kept.map((i) => d[i]))).toBeLessThan(Math.min(...dropped.map((i) => d[i])));
            expect(kept.length).toBeGreaterThanOrEqual(Math.floor((members.length - 1) * (q / 100)) + 1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('leastConfident', () => {
  // Confidence (max probability) per sample: 0.5, 0.9, 0.4, 0.6, 0.35, 0.8
  const proba = fromRows([
    [0.5, 0.5],
    [0.9, 0.1],
    [0.4, 0.3],
    [0.4, 0.6],
    [0.35, 0.3],
    [0.2, 0.8],
  ]);
  const clusters = [0, 0, 1, 1, 1, 2];

  it('takes the least confident sample of each cluster first, then the next ones', () => {
    // Round 1: cluster 1 → sample 4 (0.35), cluster 0 → 0 (0.5), cluster 2 → 5 (0.8);
    // round 2: cluster 1 → 2 (0.4), cluster 0 → 1 (0.9); round 3: 3 (0.6).
    expect(Array.from(leastConfident(proba, clusters, 6))).toEqual([4, 0, 5, 2, 1, 3]);
    expect(Array.from(leastConfident(proba, clusters, 2))).toEqual([4, 0]);
  });

  it('skips excluded samples and returns fewer when candidates run out', () => {
    expect(Array.from(leastConfident(proba, clusters, 10, { exclude: [0, 0, 0, 0, 1, 1] }))).toEqual([2, 0, 3, 1]);
  });

  it('returns distinct, non-excluded samples, the first ones from distinct clusters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 60 }),
        (rows, count) => {
          const P = fromRows(rows.map((r) => [r[1], 1 - r[1]]));
          const labels = rows.map((r) => r[0]);
          const exclude = rows.map((r) => r[2]);
          const picked = Array.from(leastConfident(P, labels, count, { exclude }));
          const candidates = rows.filter((r) => !r[2]).length;
          expect(picked.length).toBe(Math.min(count, candidates));
          expect(new Set(picked).size).toBe(picked.length);
          for (const i of picked) expect(exclude[i]).toBe(false);
          const clustersWithCandidates = new Set(rows.filter((r) => !r[2]).map((r) => r[0])).size;
          const head = picked.slice(0, clustersWithCandidates).map((i) => labels[i]);
          expect(new Set(head).size).toBe(head.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('clusterDistanceFeatures', () => {
  const X = fromRows([
    [0, 0],
    [3, 4],
  ]);
  const model = centroids([[0, 0], [3, 0], [3, 4]]);

  it('replaces the features by the distances to the centroids', () => {
    const F = clusterDistanceFeatures(X, model);
    expect([F.rows, F.cols]).toEqual([2, 3]);
    expect(Array.from(F.data)).toEqual([0, 3, 5, 5, 4, 0]);
  });

  it('appends the distances to the features on request', () => {
    const F = clusterDistanceFeatures(X, model, { append: true });
    expect([F.rows, F.cols]).toEqual([2, 5]);
    expect(Array.from(F.data)).toEqual([0, 0, 0, 3, 5, 3, 4, 5, 4, 0]);
  });

  it('reads each sample’s distance to its own centroid', () => {
    const D = model.transform(X);
    expect(Array.from(ownCentroidDistances(D, [1, 2]))).toEqual([3, 0]);
    expect(() => ownCentroidDistances(D, [1, 3])).toThrow(DataError);
  });
});
