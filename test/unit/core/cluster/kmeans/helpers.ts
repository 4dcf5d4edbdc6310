/** Shared by the K-Means tests: the fixed initial rows, comparisons with stated tolerances. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Matrix } from '../../../../../src/core/math/matrix';
import { REFERENCE, expectClose } from '../../reference';

/** `bench_data/init_rows.json`: initial centers as row indices, shared with scikit-learn's runs. */
export function initRows(key: string): number[] {
  const j = JSON.parse(readFileSync(resolve(REFERENCE, 'bench_data', 'init_rows.json'), 'utf8')) as { rows: Record<string, number[]> };
  return j.rows[key];
}

/** The rows of `X` at `indices`, as nested arrays (KMeans `init`). */
export function rowsOf(X: Matrix, indices: number[]): number[][] {
  return indices.map((i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
}

/**
 * Centers equal to the reference within `rel` of the largest |coordinate| of the reference
 * (a normwise bound: coordinates that should be 0 come out as ±1e-16 in scikit-learn).
 */
export function expectCentersClose(actual: Matrix, wanted: number[][], rel: number): void {
  expect(actual.rows).toBe(wanted.length);
  expect(actual.cols).toBe(wanted[0].length);
  let scale = 0;
  for (const r of wanted) for (const v of r) scale = Math.max(scale, Math.abs(v));
  for (let j = 0; j < wanted.length; j++) {
    for (let t = 0; t < actual.cols; t++) expectClose(actual.data[j * actual.cols + t], wanted[j][t], 0, rel * scale);
  }
}

/** Points per cluster, in cluster order. */
export function clusterSizes(labels: Int32Array, k: number): number[] {
  const out = new Array<number>(k).fill(0);
  for (const l of labels) out[l]++;
  return out;
}

/**
 * Centers in canonical order (sorted lexicographically by coordinates, as the reference's
 * `*_canonical` items) and the map from our cluster index to the canonical one.
 */
export function canonical(centers: Matrix): { rows: number[][]; toCanonical: Int32Array } {
  const k = centers.rows, d = centers.cols;
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => {
    for (let t = 0; t < d; t++) {
      const diff = centers.data[a * d + t] - centers.data[b * d + t];
      if (diff !== 0) return diff;
    }
    return 0;
  });
  const toCanonical = new Int32Array(k);
  order.forEach((j, c) => (toCanonical[j] = c));
  return { rows: order.map((j) => Array.from(centers.data.subarray(j * d, (j + 1) * d))), toCanonical };
}
