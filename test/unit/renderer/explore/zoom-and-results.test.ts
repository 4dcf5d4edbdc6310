import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseZoomView, transformOf, viewOf, zoomed } from '../../../../src/renderer/src/lib/charts/zoom';
import { kebab, runHeadline, runMetricRows } from '../../../../src/renderer/src/lib/run-metrics';
import type { RunSummary } from '../../../../src/shared/dto';

describe('the saved zoom', () => {
  it('turns a d3-zoom transform into the data centre and scale, and back, whatever the plot size', () => {
    const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(fc.double({ min: 1, max: 500, noNaN: true }), finite, finite, fc.double({ min: 0.01, max: 100, noNaN: true }), (k, tx, ty, a) => {
        const base = { x: { a, b: 60 }, y: { a: -a, b: 400 } };
        const centre: [number, number] = [300, 200];
        const v = viewOf({ k, x: tx, y: ty }, base, centre);
        const t = transformOf(v, base, centre);
        expect(t.k).toBe(k);
        expect(t.x).toBeCloseTo(tx, 6);
        expect(t.y).toBeCloseTo(ty, 6);
        // The data centre sits at the centre of the plot under the zoomed map.
        const zx = zoomed(base.x, t.k, t.x);
        expect(zx.a * v.cx + zx.b).toBeCloseTo(centre[0], 6);
      }),
    );
  });

  it('reads back only a well-formed view', () => {
    expect(parseZoomView({ k: 2, cx: 1, cy: -1 })).toEqual({ k: 2, cx: 1, cy: -1 });
    expect(parseZoomView({ k: 0, cx: 1, cy: 1 })).toBeNull();
    expect(parseZoomView({ k: 2, cx: 'a', cy: 1 })).toBeNull();
    expect(parseZoomView(null)).toBeNull();
  });
});

const run = (algorithm: string, metrics: Record<string, number>, randomState: number | null = 0): RunSummary => ({
  id: 'r',
  datasetId: 'd',
  algorithm,
  params: {},
  randomState,
  status: 'done',
  createdAt: '2024-01-01T00:00:00Z',
  durationMs: 12,
  nClusters: 2,
  metrics,
  error: null,
});

describe('the results panel', () => {
  it('shows what each algorithm learned under scikit-learn’s names, then the scores, seed and duration', () => {
    const db = runMetricRows(run('dbscan', { nNoise: 77, nCoreSamples: 808, silhouette: 0.38 }, null));
    expect(db.map((r) => r.testId)).toEqual(['metric-n-noise', 'metric-n-core-samples', 'metric-silhouette', 'metric-seed', 'metric-duration']);
    expect(db[0].text).toBe('77');
    expect(db.find((r) => r.key === 'randomState')?.value).toBeUndefined();
    const gmm = runMetricRows(run('gmm', { nIter: 4, converged: 1, lowerBound: -1.5, score: -1.5, bic: 3000, aic: 2900, nParameters: 17 }));
    expect(gmm.map((r) => r.label).slice(0, 7)).toEqual(['n_iter', 'converged', 'lower_bound', 'score', 'BIC', 'AIC', 'n_parameters']);
    expect(gmm[1].text).toBe('yes');
  });

  it('notes a silhouette estimated on a sample instead of listing the sample size as a result', () => {
    const rows = runMetricRows(run('kmeans', { inertia: 1, silhouette: 0.5, silhouetteSampleSize: 10000 }));
    expect(rows.find((r) => r.key === 'silhouette')?.note).toBe('on a sample of 10,000');
    expect(rows.some((r) => r.key === 'silhouetteSampleSize')).toBe(false);
  });

  it('keeps unknown scalars visible rather than dropping them', () => {
    expect(runMetricRows(run('x', { somethingNew: 2 })).map((r) => r.testId)).toContain('metric-something-new');
    expect(kebab('calinskiHarabasz')).toBe('calinski-harabasz');
  });

  it('heads each run of the list with its most telling number', () => {
    expect(runHeadline(run('kmeans', { inertia: 211.6 }))).toBe('inertia 211.6');
    expect(runHeadline(run('gmm', { bic: 3000 }))).toBe('BIC 3,000');
    expect(runHeadline(run('dbscan', { nNoise: 77 }))).toBe('77 noise');
    expect(runHeadline(run('agglomerative', {}))).toBe('2 clusters');
  });
});
