import { describe, expect, it } from 'vitest';
import { elbow, parseKRange, sweepK } from '../../../../src/core/cluster/sweep';
import { ParameterError } from '../../../../src/core/errors';
import { dataset, expected } from '../reference';

describe('sweep over k', () => {
  it('parses k ranges and refuses nonsense', () => {
    expect(parseKRange('1..4')).toEqual([1, 2, 3, 4]);
    expect(parseKRange('8, 2,4,2')).toEqual([2, 4, 8]);
    expect(() => parseKRange('5..2')).toThrow(ParameterError);
    expect(() => parseKRange('a')).toThrow(ParameterError);
    expect(() => parseKRange('0..3')).toThrow(/at least 1/);
  });

  it('finds the elbow of a curve where the gains collapse', () => {
    expect(elbow([1, 2, 3, 4, 5, 6], [100, 50, 20, 15, 12, 10])).toBe(3);
    expect(elbow([1, 2], [2, 1])).toBeNull();
    expect(elbow([1, 2, 3], [5, 5, 5])).toBeNull();
  });

  it('reproduces the chapter curves on blobs5: inertia within 0.1 % of the best known, elbow and silhouette at k = 4', () => {
    const ref = expected('kmeans_blobs5.json').kmeans_k_curve_n_init10_random_state42 as Array<Record<string, number>>;
    const { X } = dataset('blobs5.csv');
    const ks = [1, 2, 3, 4, 5, 6];
    const r = sweepK('kmeans', X, ks, { params: { nInit: 10 }, randomState: 42 });
    expect(r.points.map((p) => p.k)).toEqual(ks);
    for (const p of r.points) {
      const want = ref.find((x) => x.k === p.k)!;
      expect(p.inertia!).toBeLessThanOrEqual(want.best_inertia_n_init50 * 1.001);
      if (p.k >= 2) expect(Math.abs(p.silhouette! - want.silhouette_score_best_n_init50)).toBeLessThan(2e-3);
    }
    expect(r.points[0].silhouette).toBeUndefined();
    expect(r.best.elbow?.k).toBe(4);
    expect(r.best.silhouette?.k).toBe(4);
    expect(r.silhouetteSampleSize).toBeNull();
  });

  it('picks k = 3 by BIC on the three-blob mixture, per covariance type (BIC within 2.5 of the best known)', () => {
    const ref = expected('gmm_gm3.json').bic_aic_k1_10_full_n_init10_random_state42 as Array<Record<string, number>>;
    const { X } = dataset('gm3.csv');
    const progress: number[] = [];
    const r = sweepK('gmm', X, [1, 2, 3, 4], { params: { nInit: 3 }, covarianceTypes: ['full', 'spherical'], randomState: 42, onProgress: (f) => progress.push(f) });
    expect(r.points).toHaveLength(8);
    expect(r.best.bic).toMatchObject({ k: 3, covarianceType: 'full' });
    for (const p of r.points.filter((q) => q.covarianceType === 'full' && q.k <= 3)) {
      expect(Math.abs(p.bic! - ref.find((x) => x.k === p.k)!.best_n_init30_bic)).toBeLessThan(2.5);
    }
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] - 1e-12);
  });

  it('refuses algorithms without a k and k beyond the number of samples', () => {
    const { X } = dataset('blobs5.csv');
    expect(() => sweepK('dbscan', X, [2])).toThrow(ParameterError);
    expect(() => sweepK('kmeans', X, [X.rows + 1])).toThrow(/outside/);
  });
});
