import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  condensedDistances,
  cutTree,
  mstSingleLinkage,
  nnChainLinkage,
  type Linkage,
  type MergeTree,
} from '../../../../../src/core/cluster/agglomerative';
import { matrix, takeRows, type Matrix } from '../../../../../src/core/math/matrix';
import { Random } from '../../../../../src/core/math/random';

const LINKAGES: Linkage[] = ['ward', 'complete', 'average', 'single'];

function tree(X: Matrix, linkage: Linkage): MergeTree {
  return linkage === 'single' ? mstSingleLinkage(X) : nnChainLinkage(condensedDistances(X), X.rows, linkage);
}

/** Gaussian points from a seed: continuous coordinates, so no two merge heights tie. */
function gaussianPoints(seed: number, n: number, d: number): Matrix<Float64Array> {
  const r = new Random(seed);
  const X = matrix(n, d);
  for (let i = 0; i < X.data.length; i++) X.data[i] = r.normal() * 3;
  return X;
}

const cloud = fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), n: fc.integer({ min: 2, max: 30 }), d: fc.integer({ min: 1, max: 3 }) });

/**
 * Heights by the definitions, O(n³) per merge: always merge the closest pair, with single = min,
 * complete = max, average = mean pairwise distance, ward = √(2 · increase of the within-cluster
 * sum of squares) = √(2 nₐn_b/(nₐ+n_b)) ‖cₐ − c_b‖ (scipy's ward height).
 */
function naiveHeights(X: Matrix, linkage: Linkage): number[] {
  const n = X.rows, d = X.cols;
  let clusters: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const dist = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (X.data[a * d + k] - X.data[b * d + k]) ** 2;
    return Math.sqrt(s);
  };
  const between = (A: number[], B: number[]) => {
    if (linkage === 'ward') {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const ca = A.reduce((t, i) => t + X.data[i * d + k], 0) / A.length;
        const cb = B.reduce((t, i) => t + X.data[i * d + k], 0) / B.length;
        s += (ca - cb) ** 2;
      }
      return Math.sqrt(((2 * A.length * B.length) / (A.length + B.length)) * s);
    }
    const all = A.flatMap((a) => B.map((b) => dist(a, b)));
    if (linkage === 'single') return Math.min(...all);
    if (linkage === 'complete') return Math.max(...all);
    return all.reduce((t, v) => t + v, 0) / all.length;
  };
  const heights: number[] = [];
  while (clusters.length > 1) {
    let best = Infinity, bi = 0, bj = 1;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const v = between(clusters[i], clusters[j]);
        if (v < best) [best, bi, bj] = [v, i, j];
      }
    }
    heights.push(best);
    const merged = [...clusters[bi], ...clusters[bj]];
    clusters = clusters.filter((_, k) => k !== bi && k !== bj);
    clusters.push(merged);
  }
  return heights;
}

function expectSameHeights(actual: ArrayLike<number>, wanted: ArrayLike<number>): void {
  const a = Array.from(actual).sort((x, y) => x - y), w = Array.from(wanted).sort((x, y) => x - y);
  expect(a.length).toBe(w.length);
  // Different merge orders round differently in the Lance–Williams updates: 1e-9 relative.
  a.forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w[i]))));
}

describe('merge trees', () => {
  for (const linkage of LINKAGES) {
    it(`${linkage}: heights are non-decreasing and every node is merged exactly once, after it exists`, () => {
      fc.assert(
        fc.property(cloud, ({ seed, n, d }) => {
          const { children, distances } = tree(gaussianPoints(seed, n, d), linkage);
          const used = new Uint8Array(2 * n - 1);
          for (let i = 0; i < n - 1; i++) {
            if (i > 0) expect(distances[i]).toBeGreaterThanOrEqual(distances[i - 1]);
            for (const c of [children[2 * i], children[2 * i + 1]]) {
              expect(c).toBeLessThan(n + i);
              expect(used[c]).toBe(0);
              used[c] = 1;
            }
          }
        }),
        { numRuns: 60 },
      );
    });

    it(`${linkage}: heights agree with the linkage's definition computed naively`, () => {
      fc.assert(
        fc.property(cloud, ({ seed, n, d }) => {
          const X = gaussianPoints(seed, Math.min(n, 16), d);
          expectSameHeights(tree(X, linkage).distances, naiveHeights(X, linkage));
        }),
        { numRuns: 40 },
      );
    });

    it(`${linkage}: permuting the rows leaves the multiset of heights unchanged`, () => {
      fc.assert(
        fc.property(cloud, fc.integer({ min: 0, max: 1000 }), ({ seed, n, d }, pseed) => {
          const X = gaussianPoints(seed, n, d);
          const perm = new Random(pseed).permutation(n);
          expectSameHeights(tree(takeRows(X, perm), linkage).distances, tree(X, linkage).distances);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('cuts into a partition with exactly nClusters non-empty clusters, each a subtree', () => {
    fc.assert(
      fc.property(cloud, fc.integer({ min: 1, max: 30 }), fc.constantFrom(...LINKAGES), ({ seed, n, d }, k0, linkage) => {
        const k = Math.min(k0, n);
        const { children } = tree(gaussianPoints(seed, n, d), linkage);
        const labels = cutTree(children, n, k);
        const counts = new Array(k).fill(0);
        for (const l of labels) counts[l]++;
        expect(counts.every((c) => c > 0)).toBe(true);
        // The k − 1 topmost merges join different clusters; every lower merge stays inside one.
        const owner = Array.from(labels);
        for (let i = 0; i < n - 1; i++) {
          const a = owner[children[2 * i]], b = owner[children[2 * i + 1]];
          if (i < n - k) expect(a).toBe(b);
          owner.push(i < n - k ? a : -1);
        }
      }),
      { numRuns: 100 },
    );
  });
});
