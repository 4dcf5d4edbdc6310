/**
 * Matrix products of the form A·Bᵀ (rows against rows) for PCA's eigen routes, with the 4 × 4
 * register tiles of the silhouette kernel (packed panels, sixteen dot products per pass) and the
 * long dimension cut into chunks so that the two panels being multiplied stay in cache.
 */
import type { Matrix } from '../math/matrix';
import { dotTile, packPanels } from '../metrics/distance-sums';

/** Values per chunk of the long dimension: two panel chunks of 4 · 2048 doubles are 128 KB. */
const CHUNK = 2048;

/** Rows of `A` packed as panels (see `packPanels`), ready for `dotTile`. */
export interface Panels {
  rows: number;
  len: number;
  data: Float64Array;
}

export function panelsOf(A: Matrix): Panels {
  const data = new Float64Array(Math.ceil(A.rows / 4) * 4 * A.cols);
  packPanels(A, data);
  return { rows: A.rows, len: A.cols, data };
}

/**
 * The symmetric Gram matrix of the rows of `A`: G[i, j] = Σ_f A[i, f] · A[j, f].
 * @param A (m, len).
 * @returns (m, m) row-major.
 */
export function gramOfRows(A: Matrix): Float64Array {
  const P = panelsOf(A);
  const m = A.rows;
  const G = new Float64Array(m * m);
  accumulateTiles(P, P, G, true);
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) G[i * m + j] = G[j * m + i];
  return G;
}

/**
 * A · Bᵀ: out[i, j] = Σ_f A[i, f] · B[j, f].
 * @param A (m, len).
 * @param B (p, len), already packed (it is often reused).
 * @returns (m, p) row-major.
 */
export function crossOfRows(A: Matrix, B: Panels): Float64Array {
  const P = panelsOf(A);
  const p = B.rows;
  const out = new Float64Array(A.rows * p);
  accumulateTiles(P, B, out, false);
  return out;
}

/**
 * out[i · B.rows + j] += A_i · B_j for every row pair (only i ≤ j when `upperOnly`), summing the
 * long dimension chunk by chunk.
 */
function accumulateTiles(A: Panels, B: Panels, out: Float64Array, upperOnly: boolean): void {
  const len = A.len, p = B.rows;
  const groupsA = Math.ceil(A.rows / 4), groupsB = Math.ceil(B.rows / 4);
  const tile = new Float64Array(16);
  for (let f0 = 0; f0 < len; f0 += CHUNK) {
    const width = Math.min(CHUNK, len - f0);
    for (let ga = 0; ga < groupsA; ga++) {
      for (let gb = upperOnly ? ga : 0; gb < groupsB; gb++) {
        dotTile(A.data, (ga * len + f0) * 4, B.data, (gb * len + f0) * 4, width, tile);
        for (let c = 0; c < 4; c++) {
          const j = gb * 4 + c;
          if (j >= p) break;
          for (let r = 0; r < 4; r++) {
            const i = ga * 4 + r;
            if (i >= A.rows || (upperOnly && i > j)) break;
            out[i * p + j] += tile[c * 4 + r];
          }
        }
      }
    }
  }
}
