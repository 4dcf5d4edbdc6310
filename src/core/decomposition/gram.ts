/**
 * Gram matrices A·Aᵀ for PCA's eigen routes, with the 4 × 4 register tiles of the silhouette
 * kernel (packed panels, sixteen dot products per pass) and the long dimension cut into chunks
 * so that the two panels being multiplied stay in cache.
 */
import type { Matrix } from '../math/matrix';
import { dotTile, packPanels } from '../metrics/distance-sums';

/** Features per chunk: two panel chunks of 4 · 2048 doubles are 128 KB. */
const CHUNK = 2048;

/**
 * The symmetric Gram matrix of the rows of `A`: G[i, j] = Σ_f A[i, f] · A[j, f].
 * @param A (m, len).
 * @returns (m, m) row-major.
 */
export function gramOfRows(A: Matrix): Float64Array {
  const m = A.rows, len = A.cols;
  const groups = Math.ceil(m / 4);
  const panels = new Float64Array(groups * len * 4);
  packPanels(A, panels);
  const G = new Float64Array(m * m);
  const tile = new Float64Array(16);
  for (let f0 = 0; f0 < len; f0 += CHUNK) {
    const width = Math.min(CHUNK, len - f0);
    for (let ga = 0; ga < groups; ga++) {
      for (let gb = ga; gb < groups; gb++) {
        dotTile(panels, (ga * len + f0) * 4, (gb * len + f0) * 4, width, tile);
        for (let c = 0; c < 4; c++) {
          const j = gb * 4 + c;
          if (j >= m) break;
          for (let r = 0; r < 4; r++) {
            const i = ga * 4 + r;
            if (i > j) break;
            G[i * m + j] += tile[c * 4 + r];
          }
        }
      }
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) G[i * m + j] = G[j * m + i];
  return G;
}
