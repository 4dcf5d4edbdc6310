import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError } from '../../../../src/core/errors';
import { fromRows, type Matrix } from '../../../../src/core/math/matrix';
import { NeighborBuffer } from '../../../../src/core/neighbors/buffer';
import { BruteIndex } from '../../../../src/core/neighbors/brute';
import { GridIndex } from '../../../../src/core/neighbors/grid';
import { KDTree } from '../../../../src/core/neighbors/kdtree';
import type { NeighborIndex } from '../../../../src/core/neighbors/query';
import { buildNeighborIndex, chooseAlgorithm } from '../../../../src/core/neighbors/search';

/** The test every index must reproduce: Σ (q_j − x_j)² in feature order. */
function sq(Q: Matrix, a: number, X: Matrix, b: number): number {
  let s = 0;
  for (let j = 0; j < X.cols; j++) {
    const t = Q.data[a * Q.cols + j] - X.data[b * X.cols + j];
    s += t * t;
  }
  return s;
}

function naiveRadius(X: Matrix, Q: Matrix, row: number, r: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < X.rows; i++) if (sq(Q, row, X, i) <= r * r) out.push(i);
  return out;
}

function naiveKnn(X: Matrix, Q: Matrix, row: number, k: number): { d: number[]; i: number[] } {
  const all = Array.from({ length: X.rows }, (_, i) => ({ s: sq(Q, row, X, i), i }));
  all.sort((a, b) => a.s - b.s || a.i - b.i);
  const top = all.slice(0, k);
  return { d: top.map((t) => Math.sqrt(t.s)), i: top.map((t) => t.i) };
}

/**
 * Points on a coarse lattice (many duplicates and many pairs at exactly the same distance) or
 * scattered doubles, with 1 to `maxDim` features.
 */
function pointsArb(maxDim: number, minDim = 1): fc.Arbitrary<{ X: Matrix; Q: Matrix }> {
  return fc
    .record({ d: fc.integer({ min: minDim, max: maxDim }), n: fc.integer({ min: 1, max: 60 }), nq: fc.integer({ min: 1, max: 8 }), lattice: fc.boolean() })
    .chain(({ d, n, nq, lattice }) => {
      const value = lattice ? fc.integer({ min: -3, max: 3 }).map((v) => v * 0.5) : fc.double({ min: -10, max: 10, noNaN: true });
      return fc.record({
        X: fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
        Q: fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: nq, maxLength: nq }),
      });
    })
    .map(({ X, Q }) => ({ X: fromRows(X), Q: fromRows(Q) }));
}

function indexesFor(X: Matrix, cellSize: number, leafSize: number): NeighborIndex[] {
  const out: NeighborIndex[] = [new KDTree(X, leafSize), new BruteIndex(X)];
  if (X.cols <= 3) out.push(new GridIndex(X, cellSize));
  return out;
}

const cellSizeArb = fc.constantFrom(0.05, 0.5, 0.7071067811865476, 1, 3, 50);

describe('neighbour indexes', () => {
  it('return exactly the brute-force radius neighbours, the query itself included', () => {
    fc.assert(
      fc.property(pointsArb(6), cellSizeArb, fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 0.25, 0.5, 1, 1.5, 4, 100), ({ X, Q }, cell, leaf, r) => {
        const buf = new NeighborBuffer(1);
        // Collected, then compared once per case: one expect per query would dominate the run time.
        const got: unknown[] = [], want: unknown[] = [];
        for (const index of indexesFor(X, cell, leaf)) {
          for (const [M, label] of [[Q, 'query'], [X, 'self']] as const) {
            for (let row = 0; row < M.rows; row++) {
              const naive = naiveRadius(X, M, row, r);
              const n = index.radiusNeighbors(M, row, r, buf);
              got.push([index.algorithm, label, row, n, Array.from(buf.toArray()).sort((a, b) => a - b), index.countWithin(M, row, r, 3)]);
              want.push([index.algorithm, label, row, naive.length, naive, Math.min(3, naive.length)]);
              if (label === 'self' && !naive.includes(row)) throw new Error(`row ${row} is not its own neighbour`);
            }
          }
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it('radius queries at a pairwise distance include that pair exactly as brute force does', () => {
    fc.assert(
      fc.property(pointsArb(3), cellSizeArb, fc.nat(), ({ X }, cell, pick) => {
        const a = pick % X.rows, b = (pick >> 3) % X.rows;
        const r = Math.sqrt(sq(X, a, X, b));
        const buf = new NeighborBuffer();
        for (const index of indexesFor(X, cell, 2)) {
          index.radiusNeighbors(X, a, r, buf);
          expect(Array.from(buf.toArray()).sort((u, v) => u - v)).toEqual(naiveRadius(X, X, a, r));
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('return the k nearest in distance-then-index order, equal to brute force', () => {
    fc.assert(
      fc.property(pointsArb(6), cellSizeArb, fc.integer({ min: 1, max: 8 }), fc.nat(), ({ X, Q }, cell, leaf, kPick) => {
        const k = 1 + (kPick % X.rows);
        const got: unknown[] = [], want: unknown[] = [];
        for (const index of indexesFor(X, cell, leaf)) {
          const res = index.kneighbors(Q, k);
          got.push([index.algorithm, res.distances.rows, res.distances.cols]);
          want.push([index.algorithm, Q.rows, k]);
          for (let row = 0; row < Q.rows; row++) {
            const naive = naiveKnn(X, Q, row, k);
            got.push([index.algorithm, row, Array.from(res.indices.subarray(row * k, (row + 1) * k)), Array.from(res.distances.data.subarray(row * k, (row + 1) * k))]);
            want.push([index.algorithm, row, naive.i, naive.d]);
          }
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 150, seed: 99 },
    );
  });

  it('handle k = n and all-identical points without NaN', () => {
    const X = fromRows(Array.from({ length: 40 }, () => [1.5, -2, 0.25]));
    for (const index of indexesFor(X, 0.5, 4)) {
      const res = index.kneighbors(X, 40);
      expect(res.distances.data.every((v) => v === 0)).toBe(true);
      expect(Array.from(res.indices.subarray(0, 40))).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(index.countWithin(X, 3, 0, 100)).toBe(40);
    }
  });

  it('answer the grid kNN for queries far outside the data', () => {
    const X = fromRows([[0, 0], [1, 0], [0, 1], [5, 5]]);
    const Q = fromRows([[1e6, -1e6], [-40, 3]]);
    const grid = new GridIndex(X, 0.01);
    const res = grid.kneighbors(Q, 2);
    expect(Array.from(res.indices)).toEqual([...naiveKnn(X, Q, 0, 2).i, ...naiveKnn(X, Q, 1, 2).i]);
  });

  it('accept float32 data and queries with the same answers as float64', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [Math.fround(Math.sin(i) * 3), Math.fround(Math.cos(i * 1.7))]);
    const X64 = fromRows(rows);
    const X32: Matrix = { rows: 50, cols: 2, data: Float32Array.from(X64.data) };
    for (const [a, b] of [[new KDTree(X64), new KDTree(X32)], [new GridIndex(X64, 0.3), new GridIndex(X32, 0.3)], [new BruteIndex(X64), new BruteIndex(X32)]]) {
      expect(b.kneighbors(X32, 7)).toEqual(a.kneighbors(X64, 7));
    }
  });

  it('reject k outside [1, n] and queries with the wrong number of features', () => {
    const X = fromRows([[0, 0], [1, 1], [2, 2]]);
    for (const index of indexesFor(X, 1, 1)) {
      expect(() => index.kneighbors(X, 4)).toThrow(ParameterError);
      expect(() => index.kneighbors(X, 0)).toThrow(ParameterError);
      expect(() => index.kneighbors(fromRows([[1, 2, 3]]), 1)).toThrow(DataError);
    }
    expect(() => new GridIndex(fromRows([[1, 2, 3, 4]]), 1)).toThrow(ParameterError);
  });

  it('choose a grid only for a radius in 1 to 3 features, and brute force above 15', () => {
    expect(chooseAlgorithm(2, 0.5)).toBe('grid');
    expect(chooseAlgorithm(2)).toBe('kd_tree');
    expect(chooseAlgorithm(4, 0.5)).toBe('kd_tree');
    expect(chooseAlgorithm(16, 0.5)).toBe('brute');
    expect(buildNeighborIndex(fromRows([[0, 1]]), { radius: 1 }).algorithm).toBe('grid');
    const spread = fromRows([[0, 0], [1e300, 1e300]]);
    expect(buildNeighborIndex(spread, { radius: 1e-300 }).algorithm).toBe('kd_tree');
    expect(() => buildNeighborIndex(spread, { algorithm: 'grid', radius: 1e-300 })).toThrow(DataError);
    expect(() => buildNeighborIndex(fromRows([[0, 1]]), { algorithm: 'ball' as never })).toThrow(ParameterError);
  });
});

describe('NeighborBuffer', () => {
  it('grows as a query needs, keeping what was written', () => {
    const X = fromRows(Array.from({ length: 300 }, (_, i) => [i % 7, 0]));
    const buf = new NeighborBuffer(1);
    const n = new KDTree(X, 3).radiusNeighbors(X, 0, 0, buf);
    expect(n).toBe(43);
    expect(buf.indices.length).toBeGreaterThanOrEqual(43);
    expect(Array.from(buf.toArray()).sort((a, b) => a - b)).toEqual(Array.from({ length: 43 }, (_, i) => i * 7));
  });
});
