import { describe, expect, it } from 'vitest';
import { sweepK, type SweepResult } from '../../../../src/core/cluster/sweep';
import { extreme, kDomain, sweepCharts } from '../../../../src/renderer/src/lib/explore/sweep-charts';
import { dataset } from '../../core/reference';

describe('the Choose-k dashboard’s marks', () => {
  it('marks k = 4 on the blobs by the elbow of the inertia and by the best silhouette, as the chapter reads its figures', () => {
    const { X } = dataset('blobs5.csv');
    const sweep = sweepK('kmeans', X, [1, 2, 3, 4, 5, 6, 7, 8], { params: { nInit: 3 }, randomState: 42 });
    const charts = Object.fromEntries(sweepCharts(sweep).map((c) => [c.metric, c]));
    expect(Object.keys(charts)).toEqual(['inertia', 'silhouette', 'calinskiHarabasz', 'daviesBouldin']);
    expect(charts.inertia.suggested?.k).toBe(4);
    expect(charts.silhouette.suggested?.k).toBe(4);
    expect(charts.inertia.series[0].points).toHaveLength(8);
    // No silhouette, CH or DB at k = 1 (one cluster).
    expect(charts.silhouette.series[0].points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('marks the highest Calinski–Harabasz, the lowest Davies–Bouldin, and the core’s BIC / AIC choice with its covariance type', () => {
    const r: SweepResult = {
      algorithm: 'gmm',
      ks: [1, 2, 3],
      randomState: 0,
      silhouetteSampleSize: null,
      points: [
        { k: 1, covarianceType: 'full', nClusters: 1, bic: 30, aic: 29 },
        { k: 2, covarianceType: 'full', nClusters: 2, bic: 20, aic: 18, silhouette: 0.5, calinskiHarabasz: 10, daviesBouldin: 0.9 },
        { k: 3, covarianceType: 'full', nClusters: 3, bic: 25, aic: 17, silhouette: 0.4, calinskiHarabasz: 12, daviesBouldin: 0.7 },
        { k: 1, covarianceType: 'tied', nClusters: 1, bic: 31, aic: 30 },
        { k: 2, covarianceType: 'tied', nClusters: 2, bic: 19, aic: 18.5, silhouette: 0.6, calinskiHarabasz: 11, daviesBouldin: 0.8 },
        { k: 3, covarianceType: 'tied', nClusters: 3, bic: 22, aic: 19, silhouette: 0.3, calinskiHarabasz: 9, daviesBouldin: 0.75 },
      ],
      best: { bic: { k: 2, covarianceType: 'tied', value: 19 }, aic: { k: 3, covarianceType: 'full', value: 17 }, silhouette: { k: 2, value: 0.6 } },
    };
    const charts = Object.fromEntries(sweepCharts(r).map((c) => [c.metric, c]));
    expect(Object.keys(charts)).toEqual(['silhouette', 'calinskiHarabasz', 'daviesBouldin', 'bic', 'aic']);
    expect(charts.bic.series.map((s) => s.key)).toEqual(['full', 'tied']);
    expect(charts.bic.suggested).toEqual({ k: 2, series: 'tied', value: 19 });
    expect(charts.aic.suggested).toEqual({ k: 3, series: 'full', value: 17 });
    expect(charts.silhouette.suggested).toEqual({ k: 2, series: 'tied', value: 0.6 });
    expect(charts.calinskiHarabasz.suggested).toEqual({ k: 3, series: 'full', value: 12 });
    expect(charts.daviesBouldin.suggested).toEqual({ k: 3, series: 'full', value: 0.7 });
    expect(kDomain(r)).toEqual([1, 3]);
  });

  it('has no mark where the curve gives none, and breaks ties towards the smaller k', () => {
    const r: SweepResult = { algorithm: 'kmeans', ks: [1, 2], randomState: 0, silhouetteSampleSize: null, points: [{ k: 1, nClusters: 1, inertia: 4 }, { k: 2, nClusters: 2, inertia: 1 }], best: {} };
    expect(sweepCharts(r)[0].suggested).toBeNull();
    expect(extreme([{ key: 'all', points: [{ k: 3, value: 1 }, { k: 2, value: 1 }] }], true)).toEqual({ k: 2, series: 'all', value: 1 });
  });
});
