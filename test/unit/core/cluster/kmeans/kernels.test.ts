/** The assignment kernels: WebAssembly SIMD and JavaScript dots agree bit for bit; both match brute force. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignElkan, centerHalfDistances, elkanInitBounds, makeElkanWork } from '../../../../../src/core/cluster/kmeans/elkan';
import { assignLloyd, makeLloydWork, sqDistToPoints } from '../../../../../src/core/cluster/kmeans/kernels';
import { dotsModule } from '../../../../../src/core/cluster/kmeans/wasm-dots';
import { columnMeans, matrix, type Matrix } from '../../../../../src/core/math/matrix';
import { dataset, expectClose } from '../../reference';

const digits = dataset('digits.csv').X;

function run(X: Matrix, centers: Float64Array, k: number, engine: 'wasm' | 'js') {
  const d = X.cols;
  const w = makeLloydWork(d, k, columnMeans(X), engine);
  const labels = new Int32Array(X.rows).fill(-1);
  const dist = new Float64Array(X.rows), sums = new Float64Array(k * d), counts = new Float64Array(k);
  const changed = assignLloyd(X, centers, k, labels, w, sums, counts, dist);
  const pair = new Float64Array(X.rows * k);
  sqDistToPoints(X, centers, k, w, pair);
  return { labels, dist, sums, counts, changed, pair, engine: w.engine };
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('k-means assignment kernels', () => {
  it('has the WebAssembly SIMD kernel in this Node', () => {
    expect(dotsModule()).not.toBeNull();
  });

  it('gives bit-identical labels, distances and sums with the wasm and JS engines (digits, k = 1..13)', () => {
    for (const k of [1, 3, 4, 5, 8, 13]) {
      const centers = new Float64Array(k * 64);
      for (let j = 0; j < k; j++) centers.set(digits.data.subarray(j * 97 * 64, j * 97 * 64 + 64), j * 64);
      const a = run(digits, centers, k, 'wasm'), b = run(digits, centers, k, 'js');
      expect([a.engine, b.engine]).toEqual(['wasm', 'js']);
      // Element loops: vitest's deep equality is slow on long typed arrays.
      expect(same(a.labels, b.labels)).toBe(true);
      expect(same(a.dist, b.dist)).toBe(true);
      expect(same(a.sums, b.sums)).toBe(true);
      expect(same(a.pair, b.pair)).toBe(true);
      expect(a.changed).toBe(digits.rows);
    }
  });

  it('runs Elkan to the same labels and sums with both engines, each label a nearest center', () => {
    for (const X of [digits, matrix(digits.rows, 63, Float32Array.from(digits.data.subarray(0, digits.rows * 63)))]) {
      const k = 7, d = X.cols;
      const centers = new Float64Array(k * d);
      for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) centers[j * d + t] = X.data[j * 211 * d + t];
      const out = (['wasm', 'js'] as const).map((engine) => {
        const w = makeElkanWork(X.rows, k, d, columnMeans(X), engine);
        const labels = new Int32Array(X.rows);
        centerHalfDistances(centers, k, d, w);
        elkanInitBounds(X, centers, k, labels, w);
        const sums = new Float64Array(k * d), counts = new Float64Array(k);
        assignElkan(X, centers, k, labels, w, new Float64Array(k), sums, counts);
        return { labels, sums, engine: w.block.engine };
      });
      expect(out.map((o) => o.engine)).toEqual(['wasm', 'js']);
      expect(same(out[0].labels, out[1].labels)).toBe(true);
      expect(same(out[0].sums, out[1].sums)).toBe(true);
      // Not always Lloyd's labels: on this integer data exact ties are common, and the expanded
      // form's rounding breaks them its own way (scikit-learn's Elkan and Lloyd differ alike).
      for (let i = 0; i < X.rows; i++) {
        const dist = Array.from({ length: k }, (_, j) => {
          let q = 0;
          for (let t = 0; t < d; t++) q += (X.data[i * d + t] - centers[j * d + t]) ** 2;
          return q;
        });
        expect(dist[out[0].labels[i]]).toBeLessThanOrEqual(Math.min(...dist) * (1 + 1e-12));
      }
    }
  });

  it('matches brute-force nearest centers and squared distances on random float32 and float64 data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1 << 30 }),
        (n, d, k, f32, seed) => {
          let s = seed;
          const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 - 5;
          const values = Float64Array.from({ length: n * d }, rnd);
          const X = matrix(n, d, f32 ? Float32Array.from(values) : values);
          const centers = Float64Array.from({ length: k * d }, rnd);
          for (const engine of ['wasm', 'js'] as const) {
            const r = run(X, centers, k, engine);
            for (let i = 0; i < n; i++) {
              const exact: number[] = [];
              for (let j = 0; j < k; j++) {
                let q = 0;
                for (let t = 0; t < d; t++) q += (X.data[i * d + t] - centers[j * d + t]) ** 2;
                exact.push(q);
                // The expanded form loses digits relative to ‖x‖² + ‖c‖², not to the distance.
                expectClose(r.pair[i * k + j], q, 1e-12, 1e-12 * (100 * d));
              }
              const min = Math.min(...exact);
              expect(exact[r.labels[i]]).toBeLessThanOrEqual(min + 1e-12 * 100 * d);
              expect(r.dist[i]).toBeGreaterThanOrEqual(0);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
