/**
 * Label propagation planned in the renderer from the gallery (clusters sorted by distance to
 * their centres): the hand label of each cluster's representative spreads to the whole cluster,
 * or to the part of it within the p-th percentile of its distances (the chapter's remedy against
 * spreading labels to outliers, numpy's `percentile` to the last bit). Hand labels are never
 * overwritten; the plan replaces the previous propagation as one set of changes (one undoable
 * action) and says how many rows it reaches, for the live preview.
 */
import { percentileOfSorted } from '../../../../core/semisupervised/percentile';
import type { LabelChange } from '../../../../shared/dto';
import type { GalleryResult } from '../../../../shared/analyses/labeling';
import type { LabelBook } from './label-book';

export type PropagationMode = { kind: 'cluster' } | { kind: 'percentile'; percentile: number };

export type GalleryShape = Pick<GalleryResult, 'nClusters' | 'order' | 'offsets' | 'distances' | 'representatives'>;

/**
 * How many rows of cluster c (a prefix of its sorted gallery) propagation reaches: all of them,
 * or those at most the percentile's distance from the centre.
 */
export function reachOf(g: GalleryShape, c: number, mode: PropagationMode): number {
  const a = g.offsets[c], b = g.offsets[c + 1];
  if (mode.kind === 'cluster' || b === a) return b - a;
  const d = g.distances.subarray(a, b);
  const cutoff = percentileOfSorted(d, mode.percentile);
  // The distances are sorted: the reached rows are those up to the last one ≤ cutoff.
  let lo = 0, hi = d.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d[mid] <= cutoff) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface PropagationPlan {
  /** The label changes to save: new propagated labels, and removals of those no longer reached. */
  changes: LabelChange[];
  /** Rows that will hold a propagated label after the changes. */
  propagated: number;
  /** Clusters whose representative has a hand label (the ones that spread). */
  clustersLabeled: number;
}

/** The propagated label each row should have (rows absent: none). */
export function targetLabels(g: GalleryShape, book: LabelBook, mode: PropagationMode): Map<number, string> {
  const target = new Map<number, string>();
  for (let c = 0; c < g.nClusters; c++) {
    const label = book.labelFrom(g.representatives[c], 'hand');
    if (label === undefined) continue;
    const a = g.offsets[c];
    const reach = reachOf(g, c, mode);
    for (let i = a; i < a + reach; i++) {
      const row = g.order[i];
      if (book.at(row)?.source !== 'hand') target.set(row, label);
    }
  }
  return target;
}

export function planPropagation(g: GalleryShape, book: LabelBook, mode: PropagationMode): PropagationPlan {
  const target = targetLabels(g, book, mode);
  const changes: LabelChange[] = [];
  for (const e of book.entries()) {
    if (e.source === 'propagated' && !target.has(e.row)) changes.push({ row: e.row, label: null });
  }
  for (const [row, label] of target) {
    const now = book.at(row);
    if (now?.source !== 'propagated' || now.label !== label) changes.push({ row, label, source: 'propagated' });
  }
  changes.sort((a, b) => a.row - b.row);
  let clustersLabeled = 0;
  for (let c = 0; c < g.nClusters; c++) if (book.labelFrom(g.representatives[c], 'hand') !== undefined) clustersLabeled++;
  return { changes, propagated: target.size, clustersLabeled };
}

/** Removes every propagated label (one action). */
export function clearPropagation(book: LabelBook): LabelChange[] {
  const out: LabelChange[] = [];
  for (const e of book.entries()) if (e.source === 'propagated') out.push({ row: e.row, label: null });
  return out;
}

/** Parses a percentile typed or slid by the person: a number in [0, 100], else null. */
export function parsePercentile(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
}
