/**
 * The 2-D SIMD assignment (wasm-planar.ts) against the JavaScript loop: the same labels, changed
 * counts, distances, sums and counts in one pass, and the same whole Lloyd runs (labels, centers,
 * inertia, n_iter and every iteration's inertia), bit for bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestCenters } from '../../../../../src/core/cluster/kmeans/predict';
import { assignLloyd, makeLloydWork } from '../../../../../src/core/cluster/kmeans/kernels';
import { runKMeans } from '../../../../../src/core/cluster/kmeans/run';
import { planarModule } from '../../../../../src/core/cluster/kmeans/wasm-planar';
import { columnMeans, matrix, type Matrix } from '../../../../../src/core/math/matrix';
import { benchMatrix } from '../../reference';
import { initRows } from './helpers';

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** One pass with each engine from the same previous labels. */
function pass(X: Matrix, centers: Float64Array, k: number, previous: Int32Array, engine: 'auto' | 'js') {
  const origin = columnMeans(X);
  const w = makeLloydWork(2, k, origin, engine, false, null, X);
  const labels = previous.slice();
  const dist = new Float64Array(X.rows), sums = new Float64Array(2 * k), counts = new Float64Array(k);
  const changed = assignLloyd(X, centers, k, labels, w, sums, counts, dist);
  const bare = previous.slice();
  const changedBare = assignLloyd(X, centers, k, bare, w, null, null, null);
  return { planar: w.planar !== null, labels, dist, sums, counts, changed, bare, changedBare };
}

function expectSamePass(X: Matrix, centers: Float64Array, k: number, previous: Int32Array): void {
  const a = pass(X, centers, k, previous, 'auto'), b = pass(X, centers, k, previous, 'js');
  expect([a.planar, b.planar]).toEqual([true, false]);
  expect(same(a.labels, b.labels)).toBe(true);
  expect(same(a.dist, b.dist)).toBe(true);
  expect(same(a.sums, b.sums)).toBe(true);
  expect(same(a.counts, b.counts)).toBe(true);
  expect(a.changed).toBe(b.changed);
  expect(same(a.bare, b.labels)).toBe(true);
  expect(a.changedBare).toBe(b.changed);
}

/** A whole Lloyd run with each engine, with the per-iteration hook (the distances path) or without. */
function expectSameRun(X: Matrix, init: Float64Array, k: number, tolAbs: number, hook: boolean): void {
  const origin = columnMeans(X);
  const out = (['auto', 'js'] as const).map((engine) => {
    const trace: number[] = [];
    const r = runKMeans(X, init, k, {
      algorithm: 'lloyd',
      maxIter: 300,
      tolAbs,
      origin,
      engine,
      onIteration: hook ? (it, centers, _labels, inertia, shift) => trace.push(it, inertia, shift, ...centers) : undefined,
    });
    return { ...r, trace };
  });
  const [a, b] = out;
  expect(same(a.labels, b.labels)).toBe(true);
  expect(same(a.centers, b.centers)).toBe(true);
  expect(Object.is(a.inertia, b.inertia)).toBe(true);
  expect(a.nIter).toBe(b.nIter);
  expect(same(a.trace, b.trace)).toBe(true);
}

/** Points on a small grid (many duplicates and exact ties) or anywhere in a wide range. */
const coord = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.1, 1e-300, 2 ** 52),
);

const problem = fc
  .record({
    points: fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 70 }),
    f32: fc.boolean(),
    kFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    picks: fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
    previous: fc.array(fc.integer({ min: -1, max: 80 }), { minLength: 70, maxLength: 70 }),
  })
  .map(({ points, f32, kFrac, picks, previous }) => {
    const n = points.length;
    const data = f32 ? new Float32Array(2 * n) : new Float64Array(2 * n);
    points.forEach(([x, y], i) => {
      data[2 * i] = x;
      data[2 * i + 1] = y;
    });
    const X = matrix(n, 2, data);
    // k from 1 to n; centers are rows of X (duplicate rows make duplicate centers), the last
    // center repeats the first so that every k ≥ 2 has an exact tie between centers.
    const k = Math.max(1, Math.min(n, 1 + Math.floor(kFrac * n)));
    const init = new Float64Array(2 * k);
    for (let j = 0; j < k; j++) {
      const r = j === k - 1 && k > 1 ? picks[0] % n : picks[j] % n;
      init[2 * j] = data[2 * r];
      init[2 * j + 1] = data[2 * r + 1];
    }
    const prev = Int32Array.from(previous.slice(0, n), (l) => Math.min(l, k - 1));
    return { X, k, init, prev };
  });

describe('the 2-D SIMD assignment', () => {
  it('runs in this Node', () => {
    expect(planarModule()).not.toBeNull();
  });

  it('gives one pass bit-identical to the JavaScript loop on random 2-D data (ties, duplicates, k = 1..n, float32)', () => {
    fc.assert(
      fc.property(problem, ({ X, k, init, prev }) => expectSamePass(X, init, k, prev)),
      { numRuns: 300 },
    );
  });

  it('gives whole Lloyd runs bit-identical to the JavaScript loop on random 2-D data', () => {
    fc.assert(
      fc.property(problem, fc.boolean(), fc.constantFrom(0, 1e-4), ({ X, k, init }, hook, tolAbs) => expectSameRun(X, init, k, tolAbs, hook)),
      { numRuns: 200 },
    );
  });

  it('handles k = n, n not a multiple of the step and duplicate centers', () => {
    for (const n of [1, 2, 3, 5, 6, 7, 9]) {
      const X = matrix(n, 2, Float64Array.from({ length: 2 * n }, (_, i) => ((i * 7919) % 13) - 6));
      expectSamePass(X, X.data.slice(), n, new Int32Array(n).fill(-1));
      expectSameRun(X, X.data.slice(), n, 0, true);
      const twice = new Float64Array(4).fill(1);
      expectSamePass(X, twice, 2, new Int32Array(n).fill(-1));
    }
  });

  it('labels new data as the JavaScript loop does (predict)', () => {
    const X = matrix(11, 2, Float64Array.from({ length: 22 }, (_, i) => Math.sin(i * 1.3) * 5));
    const centers = matrix(3, 2, Float64Array.from([0, 0, 3, 1, -2, 4]));
    const labels = new Int32Array(11);
    assignLloyd(X, centers.data, 3, labels, makeLloydWork(2, 3, columnMeans(centers), 'js'), null, null, null);
    expect(Array.from(nearestCenters(X, centers).labels)).toEqual(Array.from(labels));
  });

  it('runs blobs100k (k = 8 and 50; k = 8 shuffled and as float32) bit-identically to the JavaScript loop', () => {
    const blobs = benchMatrix('blobs100k_f64.bin', 100_000, 2);
    const n = blobs.rows;
    // A fixed permutation (a multiplicative step coprime with n), to put the points out of order.
    const shuffled = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const r = (i * 7919) % n;
      shuffled[2 * i] = blobs.data[2 * r];
      shuffled[2 * i + 1] = blobs.data[2 * r + 1];
    }
    const rows8 = initRows('blobs100k_k8');
    const cases: Array<[Matrix, number]> = [
      [blobs, 8],
      [blobs, 50],
      [matrix(n, 2, shuffled), 8],
      [matrix(n, 2, Float32Array.from(blobs.data)), 8],
    ];
    for (const [X, k] of cases) {
      {
        const init = new Float64Array(2 * k);
        for (let j = 0; j < k; j++) {
          const r = j < rows8.length ? rows8[j] : (j * 1999) % n;
          init[2 * j] = X.data[2 * r];
          init[2 * j + 1] = X.data[2 * r + 1];
        }
        expectSamePass(X, init, k, new Int32Array(n).fill(-1));
        expectSameRun(X, init, k, k === 8 ? 0 : 1e-4, k === 8);
      }
    }
  });
});
