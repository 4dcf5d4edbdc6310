/**
 * The E-step kernel in high dimension: the forward-substitution path and its early stop for
 * negligible (sample, component) pairs must give what a plain dense evaluation gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianMixture } from '../../../../../src/core/cluster/mixture';
import { fromRows } from '../../../../../src/core/math/matrix';
import { benchMatrix, expectClose } from '../../reference';

const faces = benchMatrix('faces280x199_f64.bin', 280, 199);

/**
 * log N(x | μₖ, Σₖ) + log wₖ the textbook way: the dense quadratic form with `precisions_` and
 * the log-determinant from the precision Cholesky diagonal, no substitution, no early stop.
 */
function denseWeightedLogProb(gm: GaussianMixture, x: Float64Array, d: number): Float64Array {
  const k = gm.weights_.length;
  const P = gm.precisions_, U = gm.precisionsCholesky_, mu = gm.means_.data;
  const out = new Float64Array(k);
  const diff = new Float64Array(d);
  for (let c = 0; c < k; c++) {
    for (let a = 0; a < d; a++) diff[a] = x[a] - mu[c * d + a];
    let q = 0, logDet = 0;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += P[c * d * d + a * d + b] * diff[b];
      q += diff[a] * s;
      logDet += Math.log(U[c * d * d + a * d + a]);
    }
    out[c] = -0.5 * (d * Math.log(2 * Math.PI) + q) + logDet + Math.log(gm.weights_[c]);
  }
  return out;
}

describe('the full-covariance E-step on 280×199 data (k = 10)', () => {
  let gm: GaussianMixture;
  beforeAll(() => {
    gm = new GaussianMixture({ nComponents: 10, randomState: 0 }).fit(faces);
  });

  it('gives the dense evaluation’s log-densities and responsibilities, exact zeros included', () => {
    const d = faces.cols, k = 10;
    const ss = gm.scoreSamples(faces);
    const proba = gm.predictProba(faces);
    let zeros = 0;
    for (let i = 0; i < faces.rows; i++) {
      const w = denseWeightedLogProb(gm, faces.data.subarray(i * d, (i + 1) * d), d);
      const max = Math.max(...w);
      let s = 0;
      for (const v of w) s += Math.exp(v - max);
      const lse = max + Math.log(s);
      // The covariances are near-singular (rank ≤ cluster size, plus regCovar 1e-6), so the two
      // evaluations agree to ~1e-10 rather than 1e-15.
      expectClose(ss[i], lse, 1e-8);
      for (let c = 0; c < k; c++) {
        const r = Math.exp(w[c] - lse);
        if (r === 0) {
          expect(proba.data[i * k + c]).toBe(0);
          zeros++;
        } else {
          expectClose(proba.data[i * k + c], r, 1e-6, 1e-300);
        }
      }
    }
    // Most pairs are negligible here: the case the early stop is for.
    expect(zeros).toBeGreaterThan(0.5 * faces.rows * k);
  });

  it('predicts the same components for rows in any order (the kernel groups rows by component)', () => {
    const labels = gm.predict(faces);
    const order = Array.from({ length: faces.rows }, (_, i) => (i * 97) % faces.rows);
    const shuffled = fromRows(order.map((i) => Array.from(faces.data.subarray(i * faces.cols, (i + 1) * faces.cols))));
    const again = gm.predict(shuffled);
    order.forEach((i, r) => expect(again[r]).toBe(labels[i]));
    const a = gm.scoreSamples(shuffled), b = gm.scoreSamples(faces);
    order.forEach((i, r) => expect(a[r]).toBe(b[i]));
  });
});
