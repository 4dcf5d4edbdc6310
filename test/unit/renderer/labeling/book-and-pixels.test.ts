/** The label book, the evaluation params built from labels, the rounds, and rows drawn as images. */
import { describe, expect, it } from 'vitest';
import { compareText, LabelBook } from '../../../../src/renderer/src/lib/labeling/label-book';
import { formatAccuracy, labelsAsParams, roundsOf } from '../../../../src/renderer/src/lib/labeling/evaluation';
import { rowToRgba, squareSide } from '../../../../src/renderer/src/lib/labeling/pixels';
import { ImageCache } from '../../../../src/renderer/src/lib/labeling/image-cache';
import type { EvaluateLabelsResult } from '../../../../src/shared/analyses/labeling';

describe('LabelBook', () => {
  const b = new LabelBook([
    { row: 3, label: 'b', source: 'hand' },
    { row: 1, label: 'a', source: 'propagated' },
    { row: 7, label: 'b', source: 'propagated' },
    { row: 9, label: 'a', source: 'hand' },
    { row: 4, label: 'c', source: 'hand' },
  ]);

  it('finds labels by row and source', () => {
    expect(b.at(3)).toEqual({ row: 3, label: 'b', source: 'hand' });
    expect(b.labelFrom(3, 'hand')).toBe('b');
    expect(b.labelFrom(1, 'hand')).toBeUndefined();
    expect(b.at(2)).toBeUndefined();
  });

  it('counts labels per source, the most used first', () => {
    expect(b.counts()).toEqual([
      { label: 'a', hand: 1, propagated: 1 },
      { label: 'b', hand: 1, propagated: 1 },
      { label: 'c', hand: 1, propagated: 0 },
    ]);
    expect(b.totals()).toEqual({ hand: 3, propagated: 2 });
  });

  it('applies changes into a new book, leaving the old one as it was', () => {
    const next = b.withChanges([
      { row: 3, label: null },
      { row: 1, label: ' z ' },
      { row: 20, label: 'n', source: 'propagated' },
    ]);
    expect(next.at(3)).toBeUndefined();
    expect(next.at(1)).toEqual({ row: 1, label: 'z', source: 'hand' });
    expect(next.at(20)).toEqual({ row: 20, label: 'n', source: 'propagated' });
    expect(next.size).toBe(5);
    expect(b.at(3)?.label).toBe('b');
  });

  it('orders names naturally', () => {
    expect(['10', '2', 'B', 'a'].sort(compareText)).toEqual(['2', '10', 'a', 'B']);
  });
});

describe('evaluation params and rounds', () => {
  it('encodes labels as class names and flat [row, class] pairs per source', () => {
    const p = labelsAsParams([
      { row: 5, label: 'x', source: 'hand' },
      { row: 6, label: 'y', source: 'propagated' },
      { row: 2, label: 'x', source: 'propagated' },
    ]);
    expect(p).toEqual({ classes: ['x', 'y'], hand: [5, 0], propagated: [6, 1, 2, 0] });
  });

  it('orders saved evaluations into rounds', () => {
    const r = (nHand: number, accuracy: number): EvaluateLabelsResult =>
      ({ nHand, nPropagated: 0, accuracy, handOnlyAccuracy: accuracy, randomBaseline: { mean: 0.5, min: 0.4, max: 0.6, draws: 3, size: nHand } }) as EvaluateLabelsResult;
    const rounds = roundsOf([
      { createdAt: '2024-01-02T00:00:00Z', result: r(60, 0.95) },
      { createdAt: '2024-01-01T00:00:00Z', result: r(50, 0.9) },
    ]);
    expect(rounds.map((x) => [x.round, x.nHand, x.accuracy, x.random])).toEqual([
      [1, 50, 0.9, 0.5],
      [2, 60, 0.95, 0.5],
    ]);
    expect(formatAccuracy(0.92222)).toBe('92.2 %');
    expect(formatAccuracy(null)).toBe('—');
  });
});

describe('rows as images', () => {
  it('recognises square images only', () => {
    expect(squareSide(64)).toBe(8);
    expect(squareSide(784)).toBe(28);
    expect(squareSide(4096)).toBe(64);
    expect(squareSide(63)).toBeNull();
    expect(squareSide(1)).toBeNull();
  });

  it('scales each image from its darkest to its brightest value, opaque grey', () => {
    const px = rowToRgba([0, 8, 16, 4], 2);
    expect(Array.from(px)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 64, 64, 64, 255]);
    expect(Array.from(rowToRgba([3, 3, 3, 3], 2).slice(0, 4))).toEqual([128, 128, 128, 255]);
    expect(rowToRgba([NaN, 1, 2, 3], 2)[3]).toBe(0);
    expect(() => rowToRgba([1, 2, 3], 2)).toThrow(/needs 4 values/);
  });
});

describe('ImageCache', () => {
  it('asks for each row once, and releases the oldest pictures beyond its size', () => {
    const released: string[] = [];
    const c = new ImageCache(2, (u) => released.push(u));
    expect(c.request(1)).toBe(true);
    expect(c.request(1)).toBe(false);
    expect(c.request(2)).toBe(true);
    expect(c.takeRequests()).toEqual([1, 2]);
    expect(c.takeRequests()).toEqual([]);
    c.set(1, 'a');
    c.set(2, 'b');
    c.set(3, 'c');
    expect(released).toEqual(['a']);
    expect([c.get(1), c.get(2), c.get(3)]).toEqual([undefined, 'b', 'c']);
    c.set(2, 'b2');
    expect(released).toEqual(['a', 'b']);
    c.markMissing(9);
    expect(c.isMissing(9)).toBe(true);
    c.clear();
    expect(released).toEqual(['a', 'b', 'c', 'b2']);
  });
});
