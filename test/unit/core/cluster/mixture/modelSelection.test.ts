/**
 * The chapter's model selection on gm3: BIC and AIC of GaussianMixture(k, nInit=10,
 * randomState=42) for k = 1..10 against scikit-learn's best of 30 seeds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianMixture } from '../../../../../src/core/cluster/mixture';
import { dataset, expectClose, expected } from '../../reference';

const { X } = dataset('gm3.csv');
const sweep: Array<{ k: number; bic: number; aic: number; score: number; best_n_init30_bic: number; best_n_init30_aic: number }> =
  expected('gmm_gm3.json').bic_aic_k1_10_full_n_init10_random_state42;

// Tolerance. BIC = −2 n · score + p ln n, so the README's seeded bound (score ≥ best − 1e-3 per
// sample) is 2 n · 1e-3 = 2.5 BIC units. From k = 4 on, gm3 has many optima within a few units
// of each other: scikit-learn's own n_init=10 fits are up to 3.97 units above its best of 30
// (k = 9) and 2.19 below it (k = 10). We require |BIC − best of 30| ≤ 2.5 for k ≤ 3 and ≤ 5
// (2e-3 per sample) for k ≥ 4; AIC differs from BIC by a constant for a given k, so the same.
const tolerance = (k: number): number => (k <= 3 ? 2.5 : 5);

describe('BIC and AIC of GaussianMixture(k, nInit=10, randomState=42) on gm3, k = 1..10', () => {
  let fitted: Array<{ r: (typeof sweep)[number]; gm: GaussianMixture; bic: number; aic: number }> = [];
  beforeAll(() => {
    fitted = sweep.map((r) => {
      const gm = new GaussianMixture({ nComponents: r.k, nInit: 10, randomState: 42 }).fit(X);
      return { r, gm, bic: gm.bic(X), aic: gm.aic(X) };
    });
  });

  it('matches scikit-learn exactly for k = 1, where EM has a single fixed point (rel 1e-9)', () => {
    const { r, bic, aic, gm } = fitted[0];
    expectClose(bic, r.bic);
    expectClose(aic, r.aic);
    expectClose(gm.score(X), r.score);
  });

  it('is within the stated tolerance of scikit-learn’s best of 30 seeds for every k', () => {
    for (const { r, bic, aic, gm } of fitted) {
      expect(gm.converged_).toBe(true);
      expect(Math.abs(bic - r.best_n_init30_bic)).toBeLessThanOrEqual(tolerance(r.k));
      expect(Math.abs(aic - r.best_n_init30_aic)).toBeLessThanOrEqual(tolerance(r.k));
      // The penalty is the same formula: BIC − AIC = p (ln n − 2).
      expect(bic - aic).toBeCloseTo(gm.nParameters() * (Math.log(X.rows) - 2), 9);
    }
  });

  it('puts the BIC and AIC minimum at k = 3, as in the chapter', () => {
    const argmin = (v: number[]): number => v.indexOf(Math.min(...v)) + 1;
    expect(argmin(fitted.map((f) => f.bic))).toBe(3);
    expect(argmin(fitted.map((f) => f.aic))).toBe(3);
  });
});
