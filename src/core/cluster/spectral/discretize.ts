/**
 * Yu & Shi's discretization ("Multiclass spectral clustering", 2003), as scikit-learn 1.2's
 * `discretize`: alternately picks the partition matrix closest to the rotated embedding and the
 * rotation (an orthogonal Procrustes problem, solved by SVD) closest to that partition.
 */
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import type { Matrix } from '../../math/matrix';
import type { Random } from '../../math/random';

/** scikit-learn's `n_iter_max`: the rotation search stops after this many refinements. */
const MAX_ITER = 20;

/**
 * Labels, shape (nSamples), from an embedding (nSamples, k). The first rotation column is a random
 * sample's row (from `rng`), the others the rows most orthogonal to those chosen so far.
 */
export function discretize(embedding: Matrix, rng: Random): Int32Array {
  const n = embedding.rows, k = embedding.cols;
  const V = Float64Array.from(embedding.data);

  // Scale each column to norm √n and orient it so that its first entry is negative.
  const normOnes = Math.sqrt(n);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += V[i * k + c] * V[i * k + c];
    const norm = Math.sqrt(s);
    const flip = V[c] > 0 ? -1 : 1;
    for (let i = 0; i < n; i++) V[i * k + c] = (V[i * k + c] / norm) * normOnes * flip;
  }
  // Put every sample on the unit sphere: the space of partition-matrix rows.
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += V[i * k + c] * V[i * k + c];
    if (s === 0) continue;
    const r = Math.sqrt(s);
    for (let c = 0; c < k; c++) V[i * k + c] /= r;
  }

  // rotation is (k, k) row-major; column j holds the j-th chosen row of V.
  let rotation = new Float64Array(k * k);
  setColumn(rotation, k, 0, V, rng.int(n));
  const c = new Float64Array(n);
  for (let j = 1; j < k; j++) {
    let best = 0;
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let t = 0; t < k; t++) dot += V[i * k + t] * rotation[t * k + j - 1];
      c[i] += Math.abs(dot);
      if (c[i] < c[best]) best = i;
    }
    setColumn(rotation, k, j, V, best);
  }

  const labels = new Int32Array(n);
  let lastObjective = 0;
  for (let iter = 1; ; iter++) {
    // Closest partition: each sample to its largest rotated coordinate (first on ties).
    for (let i = 0; i < n; i++) {
      let arg = 0, max = -Infinity;
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let t = 0; t < k; t++) dot += V[i * k + t] * rotation[t * k + j];
        if (dot > max) {
          max = dot;
          arg = j;
        }
      }
      labels[i] = arg;
    }
    // Closest rotation: from the SVD of (partition matrix)ᵀ · V, a (k, k) matrix.
    const T = MlMatrix.zeros(k, k);
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      for (let t = 0; t < k; t++) T.set(l, t, T.get(l, t) + V[i * k + t]);
    }
    const svd = new SingularValueDecomposition(T);
    const singular = svd.diagonal;
    let sum = 0;
    for (const s of singular) sum += s;
    const ncut = 2 * (n - sum);
    if (Math.abs(ncut - lastObjective) < Number.EPSILON || iter > MAX_ITER) return labels;
    lastObjective = ncut;
    // rotation = V_svd · U_svdᵀ (numpy's Vhᵀ · Uᵀ).
    const U = svd.leftSingularVectors, W = svd.rightSingularVectors;
    rotation = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += W.get(a, t) * U.get(b, t);
        rotation[a * k + b] = s;
      }
    }
  }
}

function setColumn(rotation: Float64Array, k: number, column: number, V: Float64Array, row: number): void {
  for (let t = 0; t < k; t++) rotation[t * k + column] = V[row * k + t];
}
