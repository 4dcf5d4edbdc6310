/**
 * The renderer's side of evaluating labels: the saved labels as the analysis's compact params
 * (class names and flat [row, class] pairs), and the accuracy over active-learning rounds from
 * the evaluations saved for a run.
 */
import type { EvaluateLabelsParams, EvaluateLabelsResult } from '../../../../shared/analyses/labeling';
import type { LabelEntry } from '../../../../shared/dto';

/** The labels of the project as `evaluate-labels` params (classes in order of first use). */
export function labelsAsParams(entries: Iterable<LabelEntry>): Pick<EvaluateLabelsParams, 'classes' | 'hand' | 'propagated'> {
  const classes: string[] = [];
  const index = new Map<string, number>();
  const hand: number[] = [];
  const propagated: number[] = [];
  for (const e of entries) {
    let i = index.get(e.label);
    if (i === undefined) {
      i = classes.length;
      classes.push(e.label);
      index.set(e.label, i);
    }
    (e.source === 'hand' ? hand : propagated).push(e.row, i);
  }
  return { classes, hand, propagated };
}

export interface Round {
  /** 1 for the first evaluation of the run, and so on. */
  round: number;
  nHand: number;
  nPropagated: number;
  accuracy: number | null;
  handOnly: number | null;
  random: number | null;
  createdAt: string;
}

/** The evaluations of a run, oldest first, as rounds of labeling. */
export function roundsOf(evaluations: ReadonlyArray<{ createdAt: string; result: EvaluateLabelsResult }>): Round[] {
  return [...evaluations]
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
    .map((e, i) => ({
      round: i + 1,
      nHand: e.result.nHand,
      nPropagated: e.result.nPropagated,
      accuracy: e.result.accuracy,
      handOnly: e.result.handOnlyAccuracy,
      random: e.result.randomBaseline?.mean ?? null,
      createdAt: e.createdAt,
    }));
}

/** An accuracy as a percentage with one decimal, "—" when unknown. */
export function formatAccuracy(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)} %`;
}
