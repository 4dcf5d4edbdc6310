/**
 * Brute-force neighbour search: every query is compared with every indexed row. In high
 * dimensions no tree prunes anything, so this is what scikit-learn uses above 15 features.
 * k-nearest queries run in tiles (a block of queries against a block of rows) so that the rows
 * of a block stay in cache while all the queries of the tile read them.
 */
import type { FloatArray, Matrix } from '../math/matrix';
import { type NeighborBuffer, pushIndex } from './buffer';
import { heapPush, heapSort } from './heap';
import { allocKNeighbors, checkQuery, type KNeighborsResult, type NeighborIndex } from './query';

/** Queries per tile. */
const QUERY_BLOCK = 16;
/** Values (rows × features) of indexed data per tile: 256 KiB of float64, a typical L2. */
const DATA_BLOCK_VALUES = 32_768;

export class BruteIndex implements NeighborIndex {
  readonly algorithm = 'brute' as const;
  readonly size: number;
  readonly nFeatures: number;
  private readonly data: FloatArray;

  /** Indexes the rows of `X`, (nSamples, nFeatures), without copying them: `X` must not change. */
  constructor(X: Matrix) {
    this.size = X.rows;
    this.nFeatures = X.cols;
    this.data = X.data;
  }

  radiusNeighbors(Q: Matrix, row: number, radius: number, out: NeighborBuffer): number {
    checkQuery(this, Q);
    out.length = 0;
    const d = this.nFeatures, x = this.data, q = Q.data, qo = row * d, r2 = radius * radius;
    for (let i = 0; i < this.size; i++) {
      const o = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = q[qo + j] - x[o + j];
        s += t * t;
      }
      if (s <= r2) pushIndex(out, i);
    }
    return out.length;
  }

  countWithin(Q: Matrix, row: number, radius: number, limit: number): number {
    checkQuery(this, Q);
    const d = this.nFeatures, x = this.data, q = Q.data, qo = row * d, r2 = radius * radius;
    let count = 0;
    for (let i = 0; i < this.size && count < limit; i++) {
      const o = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = q[qo + j] - x[o + j];
        s += t * t;
      }
      if (s <= r2) count++;
    }
    return count;
  }

  kneighbors(Q: Matrix, k: number): KNeighborsResult {
    const result = allocKNeighbors(this, Q, k);
    const d = this.nFeatures, n = this.size, x = this.data, q = Q.data;
    const heapD = new Float64Array(QUERY_BLOCK * k), heapI = new Int32Array(QUERY_BLOCK * k);
    const sizes = new Int32Array(QUERY_BLOCK);
    const rowsPerBlock = Math.max(8, Math.floor(DATA_BLOCK_VALUES / Math.max(1, d)));
    const outD = result.distances.data, outI = result.indices;
    for (let q0 = 0; q0 < Q.rows; q0 += QUERY_BLOCK) {
      const q1 = Math.min(Q.rows, q0 + QUERY_BLOCK);
      sizes.fill(0);
      for (let i0 = 0; i0 < n; i0 += rowsPerBlock) {
        const i1 = Math.min(n, i0 + rowsPerBlock);
        for (let a = q0; a < q1; a++) {
          const base = (a - q0) * k, qo = a * d;
          let size = sizes[a - q0];
          for (let i = i0; i < i1; i++) {
            const o = i * d;
            let s = 0;
            for (let j = 0; j < d; j++) {
              const t = q[qo + j] - x[o + j];
              s += t * t;
            }
            // Most candidates lose to the current k-th: reject them before the call.
            if (size < k || s <= heapD[base]) size = heapPush(heapD, heapI, base, size, k, s, i);
          }
          sizes[a - q0] = size;
        }
      }
      for (let a = q0; a < q1; a++) {
        const base = (a - q0) * k;
        heapSort(heapD, heapI, base, k);
        for (let m = 0; m < k; m++) {
          outD[a * k + m] = Math.sqrt(heapD[base + m]);
          outI[a * k + m] = heapI[base + m];
        }
      }
    }
    return result;
  }
}
