/**
 * The spectral embedding used by spectral clustering, as scikit-learn 1.2's `spectral_embedding`
 * with `norm_laplacian=True, drop_first=False`: the eigenvectors of the normalized graph Laplacian
 * for its smallest eigenvalues, rescaled by D^−1/2 and given a deterministic sign.
 */
import { EigenvalueDecomposition, WrapperMatrix1D } from 'ml-matrix';
import { matrix, type Matrix } from '../../math/matrix';

/**
 * Overwrites the affinity `A` (n, n) with the normalized Laplacian L = I − D^−1/2 A D^−1/2 and
 * returns √degree, shape (n). As scipy 1.10's `csgraph.laplacian(normed=True)`, self-affinities
 * (the diagonal) are left out of the degrees; an isolated sample gets √degree 1. The diagonal is
 * then set to 1 for every sample, as scikit-learn's `_set_diag` does before solving.
 */
export function normalizedLaplacianInPlace(A: Float64Array, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i) s += A[o + j];
    w[i] = s === 0 ? 1 : Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) A[o + j] = -(A[o + j] / w[j] / w[i]);
    A[o + i] = 1;
  }
  return w;
}

/**
 * The (n, nComponents) embedding from a Laplacian `L` (n, n) made by `normalizedLaplacianInPlace`
 * and its √degrees `dd`: eigenvectors x of the `nComponents` smallest eigenvalues of L (dense
 * symmetric solver, O(n³)), mapped back to u = D^−1/2 x, each flipped so that its largest-magnitude
 * entry is positive (scikit-learn's `_deterministic_vector_sign_flip`).
 */
export function embeddingFromLaplacian(L: Float64Array, dd: Float64Array, nComponents: number): Matrix<Float64Array> {
  const n = dd.length;
  const evd = new EigenvalueDecomposition(new WrapperMatrix1D(L, { rows: n }), { assumeSymmetric: true });
  // Eigenvalues come sorted ascending, so the first columns are the ones wanted.
  const V = evd.eigenvectorMatrix;
  const out = matrix(n, nComponents);
  const E = out.data;
  for (let c = 0; c < nComponents; c++) {
    let argmax = 0, maxAbs = -1;
    for (let i = 0; i < n; i++) {
      const u = V.get(i, c) / dd[i];
      E[i * nComponents + c] = u;
      // The first largest magnitude wins, as numpy's argmax.
      if (Math.abs(u) > maxAbs) {
        maxAbs = Math.abs(u);
        argmax = i;
      }
    }
    if (E[argmax * nComponents + c] < 0) {
      for (let i = 0; i < n; i++) E[i * nComponents + c] = -E[i * nComponents + c];
    }
  }
  return out;
}
