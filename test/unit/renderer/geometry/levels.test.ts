import { describe, expect, it } from 'vitest';
import { levelColorPosition, levelShift, levelsInside, logspace, nllLevels } from '../../../../src/renderer/src/lib/geometry/levels';

describe('log-spaced density levels', () => {
  it('logspace matches NumPy (np.logspace(0, 2, 12))', () => {
    const l = logspace(0, 2, 12);
    expect(l).toHaveLength(12);
    expect(l[0]).toBe(1);
    expect(l[11]).toBeCloseTo(100, 12);
    // np.logspace(0, 2, 12)[1] = 10 ** (2 / 11)
    expect(l[1]).toBeCloseTo(10 ** (2 / 11), 14);
    for (let i = 1; i < 12; i++) expect(l[i] / l[i - 1]).toBeCloseTo(10 ** (2 / 11), 12);
  });

  it('are the chapter\'s logspace(0, 2, 12) for an NLL grid from 1.6 to well above 100', () => {
    const levels = nllLevels(1.6, 4000);
    const chapter = logspace(0, 2, 12);
    levels.forEach((v, i) => expect(v).toBeCloseTo(chapter[i], 12));
  });

  it('start at the power of ten below the minimum and span two decades, whatever the maximum', () => {
    const l = nllLevels(23, 5000);
    expect(l[0]).toBe(10);
    expect(l.at(-1)).toBeCloseTo(1000, 9);
    expect(nllLevels(1.6, 32.4)).toEqual(nllLevels(1.6, 4000));
    // The chapter's blobs: NLL 1.6..32.4 on its extent, seven lines drawn of the twelve levels.
    expect(levelsInside(nllLevels(1.6, 32.4), 1.6, 32.4)).toBe(7);
  });

  it('colour from the first level to 30 times it on a log scale, as LogNorm(1, 30)', () => {
    expect(levelColorPosition(1, 1, 0)).toBe(0);
    expect(levelColorPosition(30, 1, 0)).toBeCloseTo(1, 12);
    expect(levelColorPosition(Math.sqrt(30), 1, 0)).toBeCloseTo(0.5, 12);
    expect(levelColorPosition(100, 1, 0)).toBe(1);
    expect(levelColorPosition(0.5, 1, 0)).toBe(0);
    const shift = levelShift(-3);
    expect(levelColorPosition(-3 - 1 + 30, nllLevels(-3, 10)[0], shift)).toBeCloseTo(1, 12);
  });

  it('shift above 1 when the density exceeds 1 (negative NLL), staying ascending', () => {
    const l = nllLevels(-3.5, 50);
    expect(l[0]).toBeCloseTo(-3.5 - 1 + 10 ** Math.floor(Math.log10(1)), 12);
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeGreaterThan(l[i - 1]);
    expect(l[0]).toBeLessThanOrEqual(-3.5);
  });

  it('are empty for an empty or non-finite range', () => {
    expect(nllLevels(Infinity, -Infinity)).toEqual([]);
    expect(nllLevels(NaN, 3)).toEqual([]);
  });
});
