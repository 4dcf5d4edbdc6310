/**
 * Projections on a fitted PCA and back, for scoring every row of a large matrix: the same maths
 * as `PCA.transform` and `PCA.reconstructionError`, as two blocked matrix products (the 4 × 4
 * register tiles of the Gram kernel) over blocks of rows, so that 70,000 × 784 needs neither a
 * centered copy of the data nor one pass over the components per row and component. Results
 * agree with the per-row loops to rounding (the sums are taken in another order).
 */
import { DataError, NotFittedError } from '../errors';
import { matrix, type Matrix } from '../math/matrix';
import type { PCA } from '../decomposition/pca';
import { crossOfRows, panelsOf, type Panels } from '../decomposition/gram';

/** Rows centred and multiplied per block: 512 × 4096 doubles are 16 MB. */
const BLOCK_ROWS = 512;

/** A fitted PCA's components packed for the products (and their transpose for the way back). */
export interface PackedPCA {
  pca: PCA;
  /** Components as panels: Xc · componentsᵀ. */
  forward: Panels;
  /** Transposed components as panels: Z · components. */
  backward: Panels;
}

export function packPCA(pca: PCA): PackedPCA {
  if (!pca.components_) throw new NotFittedError('PCA');
  if (pca.params.whiten) throw new DataError('a whitened PCA cannot be used here: its projections are rescaled');
  const C = pca.components_, k = C.rows, d = C.cols;
  const transposed = new Float64Array(d * k);
  for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) transposed[f * k + j] = C.data[j * d + f];
  return { pca, forward: panelsOf(C), backward: panelsOf({ rows: d, cols: k, data: transposed }) };
}

export interface Projection {
  /** Coordinates on the components, (nSamples, nComponents). */
  Z: Matrix<Float64Array>;
  /** ‖x − reconstruction‖² per row when asked for, else null, (nSamples). */
  errors: Float64Array | null;
}

/**
 * Projects the rows of X on the components and, if asked, measures how far each row is from its
 * reconstruction.
 * @param X (nSamples, nFeatures).
 */
export function project(packed: PackedPCA, X: Matrix, opts: { errors?: boolean; onProgress?: (f: number) => void } = {}): Projection {
  const { pca, forward, backward } = packed;
  const d = pca.mean_.length, k = pca.nComponents_, n = X.rows;
  if (X.cols !== d) throw new DataError(`X has ${X.cols} features, but the PCA was fitted with ${d}`);
  const Z = matrix(n, k);
  const errors = opts.errors ? new Float64Array(n) : null;
  const mean = pca.mean_;
  const block = new Float64Array(Math.min(BLOCK_ROWS, n) * d);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - start);
    for (let i = 0; i < rows; i++) {
      const o = (start + i) * d;
      for (let f = 0; f < d; f++) block[i * d + f] = X.data[o + f] - mean[f];
    }
    const centered = { rows, cols: d, data: block.subarray(0, rows * d) };
    const z = crossOfRows(centered, forward);
    Z.data.set(z, start * k);
    if (errors) {
      const back = crossOfRows({ rows, cols: k, data: z }, backward);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let f = 0; f < d; f++) {
          const r = centered.data[i * d + f] - back[i * d + f];
          s += r * r;
        }
        errors[start + i] = s;
      }
    }
    opts.onProgress?.((start + rows) / n);
  }
  return { Z, errors };
}

/** The reconstruction of each row, inverse_transform(transform(X)), (nSamples, nFeatures). */
export function reconstructRows(packed: PackedPCA, X: Matrix): Matrix<Float64Array> {
  const { Z } = project(packed, X);
  const d = packed.pca.mean_.length;
  const out = crossOfRows(Z, packed.backward);
  const mean = packed.pca.mean_;
  for (let i = 0; i < X.rows; i++) for (let f = 0; f < d; f++) out[i * d + f] += mean[f];
  return { rows: X.rows, cols: d, data: out };
}
