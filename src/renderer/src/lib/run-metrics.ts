/**
 * What the results panel shows of a run: the scalars its algorithm learned (inertia, n_iter,
 * BIC, noise points…) and the metrics that were asked for, by scikit-learn's names, in a stable
 * order, each with its test hook (`metric-` and the name in kebab case).
 */
import type { RunSummary } from '../../../shared/dto';
import { formatCount, formatDuration, formatMetric } from './format';

export interface MetricRow {
  key: string;
  label: string;
  /** The raw value, for the test hook; undefined when there is none. */
  value: number | undefined;
  text: string;
  title?: string;
  /** A second line (e.g. "on a sample of 10,000"). */
  note?: string;
  testId: string;
}

type Kind = 'number' | 'count' | 'flag';

/** Learned scalars, then metrics, by the key the run stores them under. */
const KNOWN: ReadonlyArray<{ key: string; label: string; kind: Kind; title?: string }> = [
  { key: 'inertia', label: 'inertia', kind: 'number', title: 'Sum of squared distances of the samples to their closest centre' },
  { key: 'nIter', label: 'n_iter', kind: 'count', title: 'Iterations of the best run' },
  { key: 'nSteps', label: 'n_steps', kind: 'count', title: 'Mini-batch steps' },
  { key: 'nNoise', label: 'noise points', kind: 'count', title: 'Samples labelled −1: in no cluster' },
  { key: 'nCoreSamples', label: 'core samples', kind: 'count', title: 'Samples with at least min_samples neighbours within eps' },
  { key: 'converged', label: 'converged', kind: 'flag', title: 'Whether the best EM run reached tol before max_iter' },
  { key: 'lowerBound', label: 'lower_bound', kind: 'number', title: 'Log-likelihood lower bound of the best run' },
  { key: 'score', label: 'score', kind: 'number', title: 'Mean log-likelihood per sample' },
  { key: 'bic', label: 'BIC', kind: 'number', title: 'Bayesian information criterion (lower is better)' },
  { key: 'aic', label: 'AIC', kind: 'number', title: 'Akaike information criterion (lower is better)' },
  { key: 'nParameters', label: 'n_parameters', kind: 'count', title: 'Free parameters of the mixture' },
  { key: 'silhouette', label: 'silhouette', kind: 'number', title: 'Mean silhouette coefficient (−1..1)' },
  { key: 'calinskiHarabasz', label: 'Calinski–Harabasz', kind: 'number', title: 'Higher is better' },
  { key: 'daviesBouldin', label: 'Davies–Bouldin', kind: 'number', title: 'Lower is better' },
  { key: 'ari', label: 'ARI', kind: 'number', title: 'Adjusted Rand index against the label column' },
  { key: 'nmi', label: 'NMI', kind: 'number', title: 'Normalized mutual information with the label column' },
];

/** Stored alongside the metrics but shown as a note, not a row. */
const NOTES = new Set(['silhouetteSampleSize']);

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function text(kind: Kind, v: number | undefined): string {
  if (v === undefined) return '—';
  if (kind === 'flag') return v ? 'yes' : 'no';
  if (kind === 'count') return Number.isFinite(v) ? formatCount(v) : '—';
  return formatMetric(v);
}

export function runMetricRows(run: RunSummary): MetricRow[] {
  const m = run.metrics;
  const rows: MetricRow[] = [];
  const seen = new Set<string>();
  for (const k of KNOWN) {
    if (!(k.key in m)) continue;
    seen.add(k.key);
    const row: MetricRow = { key: k.key, label: k.label, value: m[k.key], text: text(k.kind, m[k.key]), title: k.title, testId: `metric-${kebab(k.key)}` };
    if (k.key === 'silhouette' && m.silhouetteSampleSize) row.note = `on a sample of ${formatCount(m.silhouetteSampleSize)}`;
    rows.push(row);
  }
  for (const [key, v] of Object.entries(m)) {
    if (seen.has(key) || NOTES.has(key)) continue;
    rows.push({ key, label: key, value: v, text: formatMetric(v), testId: `metric-${kebab(key)}` });
  }
  rows.push({ key: 'randomState', label: 'random_state', value: run.randomState ?? undefined, text: run.randomState === null ? '—' : String(run.randomState), testId: 'metric-seed' });
  rows.push({ key: 'duration', label: 'duration', value: run.durationMs, text: formatDuration(run.durationMs), testId: 'metric-duration' });
  return rows;
}

/** One line for the runs list: the number that best says how the run went. */
export function runHeadline(run: RunSummary): string {
  const m = run.metrics;
  if (m.inertia !== undefined) return `inertia ${formatMetric(m.inertia)}`;
  if (m.bic !== undefined) return `BIC ${formatMetric(m.bic)}`;
  if (m.nNoise !== undefined) return `${formatCount(m.nNoise)} noise`;
  if (m.lowerBound !== undefined) return `lower_bound ${formatMetric(m.lowerBound)}`;
  if (m.silhouette !== undefined) return `silhouette ${formatMetric(m.silhouette)}`;
  return `${formatCount(run.nClusters)} clusters`;
}
