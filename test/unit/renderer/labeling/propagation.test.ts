/**
 * Propagation planned from a gallery: the representative's hand label reaches its whole cluster
 * or the part within the p-th percentile (numpy's linear percentile, so the chapter's cutoffs),
 * never overwrites a hand label, and replaces the previous propagation as one set of changes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentile } from '../../../../src/core/semisupervised';
import { LabelBook } from '../../../../src/renderer/src/lib/labeling/label-book';
import { clearPropagation, parsePercentile, planPropagation, reachOf, targetLabels, type GalleryShape } from '../../../../src/renderer/src/lib/labeling/propagation';
import type { LabelEntry } from '../../../../src/shared/dto';

/** Two clusters: rows 0–4 (representative 2) and rows 5–8 (representative 7), sorted by distance. */
const G: GalleryShape = {
  nClusters: 2,
  order: Int32Array.from([2, 0, 4, 1, 3, 7, 5, 8, 6]),
  offsets: Int32Array.from([0, 5, 9]),
  distances: Float64Array.from([0.1, 0.5, 0.9, 2, 10, 0.2, 0.3, 0.4, 5]),
  representatives: Int32Array.from([2, 7]),
};

const book = (entries: LabelEntry[]): LabelBook => new LabelBook(entries);
const hand = (row: number, label: string): LabelEntry => ({ row, label, source: 'hand' });
const prop = (row: number, label: string): LabelEntry => ({ row, label, source: 'propagated' });

describe('reachOf', () => {
  it('reaches the whole cluster, or the rows within the percentile of its distances', () => {
    expect(reachOf(G, 0, { kind: 'cluster' })).toBe(5);
    // numpy: percentile([0.1, 0.5, 0.9, 2, 10], 50) = 0.9 → three rows; 20 → 0.42 → one row.
    expect(reachOf(G, 0, { kind: 'percentile', percentile: 50 })).toBe(3);
    expect(reachOf(G, 0, { kind: 'percentile', percentile: 20 })).toBe(1);
    expect(reachOf(G, 0, { kind: 'percentile', percentile: 100 })).toBe(5);
    expect(reachOf(G, 1, { kind: 'percentile', percentile: 0 })).toBe(1);
  });

  it('equals the count of distances at most numpy percentile, for any sorted cluster (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 100 }), (ds, p) => {
        const d = Float64Array.from(ds).sort();
        const g: GalleryShape = { nClusters: 1, order: Int32Array.from(d, (_, i) => i), offsets: Int32Array.from([0, d.length]), distances: d, representatives: Int32Array.of(0) };
        const cut = percentile(d, p);
        expect(reachOf(g, 0, { kind: 'percentile', percentile: p })).toBe(d.filter((v) => v <= cut).length);
      }),
    );
  });
});

describe('planPropagation', () => {
  it("spreads each labeled representative's label, leaving clusters without one alone", () => {
    const plan = planPropagation(G, book([hand(2, 'cat')]), { kind: 'cluster' });
    expect(plan.changes).toEqual([0, 1, 3, 4].map((row) => ({ row, label: 'cat', source: 'propagated' })));
    expect(plan.propagated).toBe(4);
    expect(plan.clustersLabeled).toBe(1);
  });

  it('never overwrites a hand label, and spreads only hand labels of representatives', () => {
    const plan = planPropagation(G, book([hand(2, 'cat'), hand(0, 'dog'), hand(5, 'bird')]), { kind: 'cluster' });
    expect(plan.changes.map((c) => c.row)).toEqual([1, 3, 4]);
    const t = targetLabels(G, book([prop(7, 'x')]), { kind: 'cluster' });
    expect(t.size).toBe(0);
  });

  it('replaces the previous propagation: rows no longer reached lose their label, unchanged ones are left', () => {
    const before = book([hand(2, 'cat'), prop(0, 'cat'), prop(4, 'cat'), prop(1, 'cat'), prop(3, 'cat'), prop(6, 'old')]);
    const plan = planPropagation(G, before, { kind: 'percentile', percentile: 50 });
    expect(plan.changes).toEqual([
      { row: 1, label: null },
      { row: 3, label: null },
      { row: 6, label: null },
    ]);
    expect(plan.propagated).toBe(2);
  });

  it('relabels propagated rows when the representative is relabeled', () => {
    // percentile([0.2, 0.3, 0.4, 5], 50) = 0.35: rows 7 (the representative) and 5.
    const plan = planPropagation(G, book([hand(7, 'b'), prop(5, 'a')]), { kind: 'percentile', percentile: 50 });
    expect(plan.changes).toEqual([{ row: 5, label: 'b', source: 'propagated' }]);
  });

  it('clears every propagated label and nothing else', () => {
    expect(clearPropagation(book([hand(2, 'a'), prop(0, 'a'), prop(9, 'b')]))).toEqual([
      { row: 0, label: null },
      { row: 9, label: null },
    ]);
  });
});

describe('parsePercentile', () => {
  it('accepts numbers in [0, 100] only', () => {
    expect(parsePercentile('20')).toBe(20);
    expect(parsePercentile(0)).toBe(0);
    expect(parsePercentile('100')).toBe(100);
    expect(parsePercentile('101')).toBeNull();
    expect(parsePercentile('')).toBeNull();
    expect(parsePercentile('x')).toBeNull();
    expect(parsePercentile(-1)).toBeNull();
  });
});
