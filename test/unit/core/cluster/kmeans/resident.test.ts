/**
 * Resident rows: X centered once per fit in the wasm memory and read in place by every pass.
 * Float64 rows must change nothing (bit-identical to the block-copying passes); float32 rows run
 * Lloyd's dots in float32, as scikit-learn's sgemm does for float32 data.
 */
import { describe, expect, it } from 'vitest';
import { assignElkan, centerHalfDistances, elkanInitBounds, makeElkanWork } from '../../../../../src/core/cluster/kmeans/elkan';
import { assignLloyd, makeLloydWork, makeResidentRows, sqDistToPoints, type ResidentRows } from '../../../../../src/core/cluster/kmeans/kernels';
import { KMeans } from '../../../../../src/core/cluster/kmeans';
import { columnMeans, matrix, type Matrix } from '../../../../../src/core/math/matrix';
import { dataset } from '../../reference';

const digits = dataset('digits.csv').X;

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function centersFrom(X: Matrix, k: number, step: number): Float64Array {
  const d = X.cols, c = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) c[j * d + t] = X.data[j * step * d + t];
  return c;
}

function lloyd(X: Matrix, centers: Float64Array, k: number, resident: ResidentRows | null) {
  const d = X.cols;
  const w = makeLloydWork(d, k, resident?.origin ?? columnMeans(X), 'wasm', true, resident);
  const labels = new Int32Array(X.rows).fill(-1);
  const dist = new Float64Array(X.rows), sums = new Float64Array(k * d), counts = new Float64Array(k);
  const changed = assignLloyd(X, centers, k, labels, w, sums, counts, dist);
  return { labels, dist, sums, counts, changed, resident: w.resident !== null };
}

describe('resident rows', () => {
  it('give bit-identical Lloyd labels, distances, sums and k-means++ distances for float64 data (digits, k = 1..13)', () => {
    const origin = columnMeans(digits);
    for (const k of [1, 4, 5, 13]) {
      const centers = centersFrom(digits, k, 97);
      const resident = makeResidentRows(digits, origin, k);
      expect(resident?.precision).toBe('f64');
      const a = lloyd(digits, centers, k, resident), b = lloyd(digits, centers, k, null);
      expect([a.resident, b.resident]).toEqual([true, false]);
      expect(same(a.labels, b.labels) && same(a.dist, b.dist) && same(a.sums, b.sums) && same(a.counts, b.counts)).toBe(true);
      const pa = new Float64Array(digits.rows * k), pb = new Float64Array(digits.rows * k);
      sqDistToPoints(digits, centers, k, makeLloydWork(64, k, origin, 'wasm', true, resident), pa);
      sqDistToPoints(digits, centers, k, makeLloydWork(64, k, origin, 'wasm', true, null), pb);
      expect(same(pa, pb)).toBe(true);
    }
  });

  it('run Elkan to the same labels and sums as the block-copying passes (odd width, 63 features)', () => {
    const X = matrix(digits.rows, 63, Float64Array.from(digits.data.subarray(0, digits.rows * 63)));
    const k = 7, d = 63, origin = columnMeans(X);
    const centers = centersFrom(X, k, 211);
    const out = [makeResidentRows(X, origin, k), null].map((resident) => {
      const w = makeElkanWork(X.rows, k, d, origin, 'wasm', resident);
      const labels = new Int32Array(X.rows);
      centerHalfDistances(centers, k, d, w);
      elkanInitBounds(X, centers, k, labels, w);
      const sums = new Float64Array(k * d), counts = new Float64Array(k);
      assignElkan(X, centers, k, labels, w, new Float64Array(k), sums, counts);
      return { labels, sums, resident: w.block.resident !== null };
    });
    expect(out.map((o) => o.resident)).toEqual([true, false]);
    expect(same(out[0].labels, out[1].labels)).toBe(true);
    expect(same(out[0].sums, out[1].sums)).toBe(true);
  });

  it('label float32 data with a center within float32 rounding of the nearest, and sum the rows as stored', () => {
    const X = matrix(digits.rows, 64, Float32Array.from(digits.data, (v, i) => v + ((i * 7919) % 13) / 17));
    const k = 9, d = 64, origin = columnMeans(X);
    const centers = centersFrom(X, k, 181);
    const resident = makeResidentRows(X, origin, k)!;
    expect(resident.precision).toBe('f32');
    const r = lloyd(X, centers, k, resident);
    const sums = new Float64Array(k * d);
    for (let i = 0; i < X.rows; i++) {
      const exact = Array.from({ length: k }, (_, j) => {
        let q = 0;
        for (let t = 0; t < d; t++) q += (X.data[i * d + t] - centers[j * d + t]) ** 2;
        return q;
      });
      // float32 dot products of centered rows: errors ~ 1e-7 · d · ‖x − o‖ ‖c − o‖.
      let scale = 0;
      for (let t = 0; t < d; t++) scale += (X.data[i * d + t] - origin[t]) ** 2;
      expect(exact[r.labels[i]]).toBeLessThanOrEqual(Math.min(...exact) + 1e-5 * (scale + 1e3));
      for (let t = 0; t < d; t++) sums[r.labels[i] * d + t] += resident.data32[i * resident.rowStride + t];
    }
    expect(same(r.sums, sums)).toBe(true);
  });

  it('leave KMeans on float32 data with the partition of the float64 fit (digits + jitter, fixed init)', () => {
    const values = Float64Array.from(digits.data, (v, i) => v + ((i * 7919) % 13) / 17);
    const f32 = matrix(digits.rows, 64, Float32Array.from(values));
    const f64 = matrix(digits.rows, 64, Float64Array.from(f32.data));
    const init = Array.from({ length: 10 }, (_, j) => Array.from(f64.data.subarray(j * 150 * 64, j * 150 * 64 + 64)));
    const a = new KMeans({ nClusters: 10, init }).fit(f32), b = new KMeans({ nClusters: 10, init }).fit(f64);
    expect(a.nIter_).toBe(b.nIter_);
    expect(same(a.labels_, b.labels_)).toBe(true);
    // The sums are of rows rounded to float32 after centering: the inertia moves by ~1e-7.
    expect(Math.abs(a.inertia_ - b.inertia_) / b.inertia_).toBeLessThan(1e-6);
  });
});
