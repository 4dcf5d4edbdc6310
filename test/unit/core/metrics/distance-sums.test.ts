import { describe, expect, it } from 'vitest';
import { distanceSumsByCluster, kernelModuleBytes, type DistanceSumsOptions } from '../../../../src/core/metrics/distance-sums';
import { Random } from '../../../../src/core/math/random';
import type { Matrix } from '../../../../src/core/math/matrix';

function randomCase(seed: number, n: number, d: number, k: number) {
  const rng = new Random(seed);
  const X: Matrix<Float64Array> = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rng.normal() * 3) };
  const codes = Int32Array.from({ length: n }, (_, i) => (i < k ? i : rng.int(k)));
  return { X, codes };
}

/** Runs the kernel and gathers the (n, k) table of sums from the visited blocks. */
function sums(X: Matrix, codes: Int32Array, k: number, opts: DistanceSumsOptions) {
  const out = new Float64Array(X.rows * k).fill(NaN);
  const visited: number[] = [];
  const engine = distanceSumsByCluster(
    X,
    codes,
    k,
    (start, end, block, base) => {
      visited.push(start, end);
      for (let i = start; i < end; i++) for (let c = 0; c < k; c++) out[i * k + c] = block[(i - base) * k + c];
    },
    opts,
  );
  return { out, engine, visited };
}

function bruteForce(X: Matrix, codes: Int32Array, k: number): Float64Array {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let s = 0;
      for (let f = 0; f < d; f++) s += (data[i * d + f] - data[j * d + f]) ** 2;
      out[i * k + codes[j]] += Math.sqrt(s);
    }
  }
  return out;
}

const SHAPES: Array<[number, number, number]> = [
  [2, 1, 2],
  [5, 3, 2],
  [13, 7, 3],
  [64, 2, 5],
  [97, 65, 4],
  [150, 9, 7],
];

describe('distanceSumsByCluster', () => {
  it('compiles each kernel from a valid module under 4 KB (the browsers\' main-thread limit)', () => {
    for (const traversal of ['upper', 'rows'] as const) {
      const bytes = kernelModuleBytes(traversal);
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(bytes.length).toBeLessThan(4096);
    }
  });

  it('uses the WebAssembly SIMD engine by default in Node', () => {
    const { X, codes } = randomCase(1, 10, 2, 2);
    expect(sums(X, codes, 2, {}).engine).toBe('wasm');
  });

  for (const [n, d, k] of SHAPES) {
    it(`matches brute-force sums for n=${n}, d=${d}, k=${k} in both traversals (rel 1e-12)`, () => {
      const { X, codes } = randomCase(n * 31 + d, n, d, k);
      const want = bruteForce(X, codes, k);
      for (const traversal of ['upper', 'rows'] as const) {
        const { out } = sums(X, codes, k, { traversal });
        for (let t = 0; t < want.length; t++) {
          expect(Math.abs(out[t] - want[t])).toBeLessThanOrEqual(1e-12 * Math.max(1, want[t]));
        }
      }
    });

    it(`gives bit-identical sums from the wasm and JS engines for n=${n}, d=${d}, k=${k}`, () => {
      const { X, codes } = randomCase(n * 17 + k, n, d, k);
      for (const traversal of ['upper', 'rows'] as const) {
        const wasm = sums(X, codes, k, { engine: 'wasm', traversal });
        const js = sums(X, codes, k, { engine: 'js', traversal });
        expect(wasm.engine).toBe('wasm');
        expect(js.engine).toBe('js');
        expect(Array.from(js.out)).toEqual(Array.from(wasm.out));
      }
    });
  }

  it('reads float32 matrices as their exact float64 values', () => {
    const { X, codes } = randomCase(5, 41, 6, 3);
    const X32 = { rows: X.rows, cols: X.cols, data: Float32Array.from(X.data) };
    const X64 = { rows: X.rows, cols: X.cols, data: Float64Array.from(X32.data) };
    expect(Array.from(sums(X32, codes, 3, {}).out)).toEqual(Array.from(sums(X64, codes, 3, {}).out));
  });

  it('visits every row exactly once, in increasing blocks, and reports progress up to 1', () => {
    const { X, codes } = randomCase(9, 300, 100, 3);
    for (const traversal of ['upper', 'rows'] as const) {
      const fractions: number[] = [];
      const { visited } = sums(X, codes, 3, { traversal, onProgress: (f) => fractions.push(f) });
      let next = 0;
      for (let b = 0; b < visited.length; b += 2) {
        expect(visited[b]).toBe(next);
        next = visited[b + 1];
      }
      expect(next).toBe(300);
      expect(fractions.length).toBeGreaterThan(1);
      for (let t = 1; t < fractions.length; t++) expect(fractions[t]).toBeGreaterThan(fractions[t - 1]);
      expect(fractions[fractions.length - 1]).toBe(1);
    }
  });

  it('puts duplicate points at distance exactly 0', () => {
    const X = { rows: 6, cols: 3, data: new Float64Array(18).fill(1e8 / 3) };
    const codes = Int32Array.from([0, 0, 0, 1, 1, 1]);
    expect(Array.from(sums(X, codes, 2, {}).out)).toEqual(new Array(12).fill(0));
  });
});
