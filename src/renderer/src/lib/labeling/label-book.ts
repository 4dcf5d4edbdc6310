/**
 * The labels of one dataset as the views read them: by row, with their source (typed by hand or
 * propagated), and the names in use with their counts (for the legend and autocompletion).
 */
import type { LabelChange, LabelEntry, LabelSource } from '../../../../shared/dto';

export interface LabelCount {
  label: string;
  hand: number;
  propagated: number;
}

export class LabelBook {
  private readonly byRow = new Map<number, LabelEntry>();

  constructor(entries: readonly LabelEntry[] = []) {
    for (const e of entries) this.byRow.set(e.row, e);
  }

  get size(): number {
    return this.byRow.size;
  }

  at(row: number): LabelEntry | undefined {
    return this.byRow.get(row);
  }

  /** The label of a row if it came from `source`. */
  labelFrom(row: number, source: LabelSource): string | undefined {
    const e = this.byRow.get(row);
    return e && e.source === source ? e.label : undefined;
  }

  entries(): IterableIterator<LabelEntry> {
    return this.byRow.values();
  }

  /** A new book with `changes` applied (null removes; the source defaults to hand, as the backend's). */
  withChanges(changes: readonly LabelChange[]): LabelBook {
    const next = new LabelBook();
    for (const [row, e] of this.byRow) next.byRow.set(row, e);
    for (const c of changes) {
      if (c.label === null) next.byRow.delete(c.row);
      else next.byRow.set(c.row, { row: c.row, label: c.label.trim(), source: c.source ?? 'hand' });
    }
    return next;
  }

  /** Every label in use, the most used first (ties alphabetically), with its counts per source. */
  counts(): LabelCount[] {
    const m = new Map<string, LabelCount>();
    for (const e of this.byRow.values()) {
      let c = m.get(e.label);
      if (!c) m.set(e.label, (c = { label: e.label, hand: 0, propagated: 0 }));
      c[e.source]++;
    }
    return [...m.values()].sort((a, b) => b.hand + b.propagated - (a.hand + a.propagated) || compareText(a.label, b.label));
  }

  /** How many rows have a label from each source. */
  totals(): { hand: number; propagated: number } {
    let hand = 0, propagated = 0;
    for (const e of this.byRow.values()) {
      if (e.source === 'hand') hand++;
      else propagated++;
    }
    return { hand, propagated };
  }
}

/** Natural order of label names: "2" before "10", case-insensitive. */
export function compareText(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}
