/**
 * The Choose-k dashboard's charts from a sweep: one chart per criterion on the shared k axis,
 * one line per covariance type for mixtures, and the k each criterion suggests — the elbow of
 * the inertia, the best silhouette and Calinski–Harabasz (highest), the best Davies–Bouldin,
 * BIC and AIC (lowest).
 */
import type { SweepPoint, SweepResult } from '../../../../core/cluster/sweep';

export type SweepMetric = 'inertia' | 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin' | 'bic' | 'aic';

export interface SweepMetricInfo {
  metric: SweepMetric;
  title: string;
  /** How the suggested k is read off the curve. */
  rule: 'elbow' | 'highest' | 'lowest';
  help: string;
}

export const SWEEP_METRICS: readonly SweepMetricInfo[] = [
  { metric: 'inertia', title: 'Inertia', rule: 'elbow', help: 'Sum of squared distances to the closest centroid; it always falls with k: look for the elbow.' },
  { metric: 'silhouette', title: 'Silhouette score', rule: 'highest', help: 'Mean silhouette coefficient (−1..1): how much closer samples are to their own cluster than to the next one.' },
  { metric: 'calinskiHarabasz', title: 'Calinski–Harabasz', rule: 'highest', help: 'Between-cluster over within-cluster dispersion; higher is better.' },
  { metric: 'daviesBouldin', title: 'Davies–Bouldin', rule: 'lowest', help: 'Mean similarity of each cluster to its most similar one; lower is better.' },
  { metric: 'bic', title: 'BIC', rule: 'lowest', help: 'Bayesian information criterion of the mixture; lower is better.' },
  { metric: 'aic', title: 'AIC', rule: 'lowest', help: 'Akaike information criterion of the mixture; lower is better.' },
];

export interface SweepSeries {
  /** The covariance type, or 'all' for algorithms without one. */
  key: string;
  points: Array<{ k: number; value: number }>;
}

export interface Suggestion {
  k: number;
  series: string;
  value: number;
}

export interface SweepChartData extends SweepMetricInfo {
  series: SweepSeries[];
  suggested: Suggestion | null;
}

const seriesKey = (p: SweepPoint): string => p.covarianceType ?? 'all';

/** The charts a sweep has data for, in dashboard order. */
export function sweepCharts(r: SweepResult): SweepChartData[] {
  const out: SweepChartData[] = [];
  for (const info of SWEEP_METRICS) {
    const byKey = new Map<string, SweepSeries>();
    for (const p of r.points) {
      const v = p[info.metric];
      if (v === undefined || !Number.isFinite(v)) continue;
      const key = seriesKey(p);
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { key, points: [] }));
      s.points.push({ k: p.k, value: v });
    }
    if (byKey.size === 0) continue;
    const series = [...byKey.values()].map((s) => ({ ...s, points: s.points.sort((a, b) => a.k - b.k) }));
    out.push({ ...info, series, suggested: suggestion(r, info, series) });
  }
  return out;
}

function suggestion(r: SweepResult, info: SweepMetricInfo, series: SweepSeries[]): Suggestion | null {
  // The core's own choices where it makes them, so the view and the CLI agree.
  switch (info.metric) {
    case 'inertia':
      return r.best.elbow ? { k: r.best.elbow.k, series: 'all', value: r.best.elbow.value } : null;
    case 'silhouette':
      return fromBest(r.best.silhouette, series);
    case 'bic':
    case 'aic': {
      const b = r.best[info.metric];
      return b ? { k: b.k, series: b.covarianceType ?? 'all', value: b.value } : null;
    }
    default:
      return extreme(series, info.rule === 'highest');
  }
}

function fromBest(b: { k: number; value: number } | undefined, series: SweepSeries[]): Suggestion | null {
  if (!b) return null;
  for (const s of series) if (s.points.some((p) => p.k === b.k && p.value === b.value)) return { k: b.k, series: s.key, value: b.value };
  return null;
}

/** The highest (or lowest) point over every series; ties go to the smaller k. */
export function extreme(series: SweepSeries[], highest: boolean): Suggestion | null {
  let best: Suggestion | null = null;
  for (const s of series) {
    for (const p of s.points) {
      const better = !best || (highest ? p.value > best.value : p.value < best.value) || (p.value === best.value && p.k < best.k);
      if (better) best = { k: p.k, series: s.key, value: p.value };
    }
  }
  return best;
}

/** The k values the dashboard's shared axis spans. */
export function kDomain(r: SweepResult): [number, number] {
  const ks = r.ks.length ? r.ks : r.points.map((p) => p.k);
  const lo = Math.min(...ks), hi = Math.max(...ks);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}
