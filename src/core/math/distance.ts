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

/**
 * Up to this many features, `sqDistRows` sums direct differences: the distances it returns are
 * shown and compared, and with so few terms exactness costs little (the k-means assignment,
 * which only needs the argmin, switches to the blocked kernel from d = 3).
 */
export const DIRECT_MAX_DIM = 8;

/** Rows of X per block in the blocked kernels: a block of centered float64 rows stays in cache. */
export function blockRows(d: number): number {
  return Math.max(8, Math.min(256, Math.floor(16384 / Math.max(1, d))));
}

/**
 * Dot products of `na` rows of `A` with `m` rows of `B` (both row-major float64 with `d`
 * columns), written to `out` as (na, m). Two rows of A against four rows of B at a time: each
 * loaded value is used four or two times, which is what makes the loop compute-bound in V8.
 */
export function dotBlock(A: Float64Array, na: number, B: Float64Array, m: number, d: number, out: Float64Array): void {
  let i = 0;
  for (; i + 2 <= na; i += 2) {
    const a = i * d, a2 = a + d, o = i * m, o2 = o + m;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const b0 = j * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
      for (let t = 0; t < d; t++) {
        const x = A[a + t], y = A[a2 + t];
        let c = B[b0 + t];
        s0 += x * c;
        r0 += y * c;
        c = B[b1 + t];
        s1 += x * c;
        r1 += y * c;
        c = B[b2 + t];
        s2 += x * c;
        r2 += y * c;
        c = B[b3 + t];
        s3 += x * c;
        r3 += y * c;
      }
      out[o + j] = s0;
      out[o + j + 1] = s1;
      out[o + j + 2] = s2;
      out[o + j + 3] = s3;
      out[o2 + j] = r0;
      out[o2 + j + 1] = r1;
      out[o2 + j + 2] = r2;
      out[o2 + j + 3] = r3;
    }
    for (; j < m; j++) {
      const b = j * d;
      let s = 0, r = 0;
      for (let t = 0; t < d; t++) {
        const c = B[b + t];
        s += A[a + t] * c;
        r += A[a2 + t] * c;
      }
      out[o + j] = s;
      out[o2 + j] = r;
    }
  }
  if (i < na) {
    const a = i * d, o = i * m;
    for (let j = 0; j < m; j++) {
      const b = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += A[a + t] * B[b + t];
      out[o + j] = s;
    }
  }
}

/**
 * Copies rows `start..start+nb` of `X` into `buf` minus `origin`, as float64, and returns their
 * squared norms in `norms`. Centering before the expanded form is what scikit-learn does too:
 * the rounding error of ‖x‖² − 2x·c + ‖c‖² grows with ‖x‖‖c‖, not with the distance.
 */
export function centerRows(
  X: Matrix,
  start: number,
  nb: number,
  origin: Float64Array,
  buf: Float64Array,
  norms: Float64Array,
): void {
  const d = X.cols, data = X.data;
  for (let i = 0; i < nb; i++) {
    const src = (start + i) * d, dst = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = data[src + t] - origin[t];
      buf[dst + t] = v;
      s += v * v;
    }
    norms[i] = s;
  }
}

/** `Y` as float64 rows minus `origin`, with their squared norms: the centers side of the kernel. */
export function centerMatrix(Y: Matrix, origin: Float64Array, out: Float64Array, norms: Float64Array): void {
  centerRows(Y, 0, Y.rows, origin, out, norms);
}

/**
 * Squared Euclidean distances from every row of `X` (n, d) to every row of `Y` (m, d), as a
 * row-major (n, m) array. Direct differences for d ≤ DIRECT_MAX_DIM; otherwise the blocked
 * ‖x‖² − 2x·y + ‖y‖² kernel on rows centered at the mean of `Y`, clamped at 0.
 */
export function sqDistRows(X: Matrix, Y: Matrix, out: Float64Array = new Float64Array(X.rows * Y.rows)): Float64Array {
  const n = X.rows, m = Y.rows, d = X.cols;
  if (Y.cols !== d) throw new RangeError(`sqDistRows: X has ${d} columns, Y has ${Y.cols}`);
  if (d <= DIRECT_MAX_DIM) {
    const xd = X.data, yd = Y.data;
    for (let i = 0; i < n; i++) {
      const o = i * m, xi = i * d;
      for (let j = 0; j < m; j++) {
        const yj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const v = xd[xi + t] - yd[yj + t];
          s += v * v;
        }
        out[o + j] = s;
      }
    }
    return out;
  }
  const origin = new Float64Array(d);
  for (let j = 0; j < m; j++) for (let t = 0; t < d; t++) origin[t] += Y.data[j * d + t];
  for (let t = 0; t < d; t++) origin[t] /= Math.max(1, m);
  const yc = new Float64Array(m * d), yn = new Float64Array(m);
  centerMatrix(Y, origin, yc, yn);
  const B = blockRows(d);
  const buf = new Float64Array(B * d), xn = new Float64Array(B), dots = new Float64Array(B * m);
  for (let start = 0; start < n; start += B) {
    const nb = Math.min(B, n - start);
    centerRows(X, start, nb, origin, buf, xn);
    dotBlock(buf, nb, yc, m, d, dots);
    for (let i = 0; i < nb; i++) {
      const o = (start + i) * m, r = i * m;
      for (let j = 0; j < m; j++) {
        const v = xn[i] - 2 * dots[r + j] + yn[j];
        out[o + j] = v > 0 ? v : 0;
      }
    }
  }
  return out;
}
