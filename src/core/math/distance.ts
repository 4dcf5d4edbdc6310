/**
 * Euclidean distance kernels over row-major typed arrays. The blocked form
 * ‖x‖² − 2 x·c + ‖c‖² turns distance computation into dot products, which is how
 * scikit-learn (via BLAS) gets its speed; callers keep the row norms and reuse buffers.
 */
import type { FloatArray, Matrix } from './matrix';

/** Squared distance between row `i` of `a` and row `j` of `b`, both with `d` columns. */
export function sqDist(a: FloatArray, i: number, b: FloatArray, j: number, d: number): number {
  let s = 0;
  const oa = i * d, ob = j * d;
  for (let k = 0; k < d; k++) {
    const t = a[oa + k] - b[ob + k];
    s += t * t;
  }
  return s;
}

/**
 * Squared distances between rows `start..end` of `X` and every row of `Y`, written to `out`
 * (shape (end − start, Y.rows), row-major). `xNorms` and `yNorms` are the squared row norms.
 * Results are clamped at 0: the expanded form can go slightly negative through rounding.
 */
export function sqDistBlock(
  X: Matrix,
  xNorms: Float64Array,
  start: number,
  end: number,
  Y: Matrix,
  yNorms: Float64Array,
  out: Float64Array,
): void {
  const d = X.cols, m = Y.rows, xd = X.data, yd = Y.data;
  for (let i = start; i < end; i++) {
    const oi = i * d;
    const ro = (i - start) * m;
    const xn = xNorms[i];
    for (let j = 0; j < m; j++) {
      const oj = j * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += xd[oi + k] * yd[oj + k];
      const v = xn - 2 * dot + yNorms[j];
      out[ro + j] = v > 0 ? v : 0;
    }
  }
}
