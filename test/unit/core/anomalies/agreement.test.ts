/** Detectors side by side (agreement counts, Venn regions) and against injected anomalies. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { agreementMatrix, flaggedAbove, rankByScore, thresholdForShare, validationReport, vennRegions } from '../../../../src/core/anomalies';
import { percentile } from '../../../../src/core/semisupervised';

describe('agreement between detectors', () => {
  it('counts the samples each pair flags together and the regions of the Venn diagram', () => {
    // 8 samples; A flags 0 1 2, B flags 1 2 3, C flags 2 7.
    const sets = [[0, 1, 2], [1, 2, 3], [2, 7]];
    expect(agreementMatrix(sets, 8)).toEqual([
      [3, 2, 1],
      [2, 3, 1],
      [1, 1, 2],
    ]);
    const v = vennRegions(sets, 8);
    expect(v[0]).toBe(3); // 4 5 6
    expect(v[0b001]).toBe(1); // 0: A only
    expect(v[0b010]).toBe(1); // 3: B only
    expect(v[0b011]).toBe(1); // 1: A and B
    expect(v[0b100]).toBe(1); // 7: C only
    expect(v[0b111]).toBe(1); // 2: all three
  });

  it('has regions that partition the samples and a symmetric matrix with the flagged counts on its diagonal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.array(fc.nat(59)), { minLength: 1, maxLength: 3 }), (n, raw) => {
        const sets = raw.map((s) => [...new Set(s.filter((i) => i < n))]);
        const m = agreementMatrix(sets, n);
        const v = vennRegions(sets, n);
        expect(v.reduce((a, b) => a + b, 0)).toBe(n);
        sets.forEach((s, a) => {
          expect(m[a][a]).toBe(s.length);
          sets.forEach((_, b) => expect(m[a][b]).toBe(m[b][a]));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a row outside the data', () => {
    expect(() => agreementMatrix([[9]], 5)).toThrow(/outside/);
  });
});

describe('thresholds and rankings', () => {
  it("mirror numpy's percentile: the threshold is minus the percentile of the negated scores", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 80 }), fc.double({ min: 0, max: 100, noNaN: true }), (values, p) => {
        const t = thresholdForShare(values, p);
        expect(t).toBe(-percentile(values.map((x) => -x), p));
        const flagged = flaggedAbove(values, t);
        for (const i of flagged) expect(values[i]).toBeGreaterThan(t);
        expect(flagged.length).toBe(values.filter((x) => x > t).length);
      }),
      { numRuns: 200 },
    );
  });

  it('ranks by score descending, ties by row, NaN last', () => {
    expect(Array.from(rankByScore([1, 3, 3, NaN, 2]))).toEqual([1, 2, 4, 0, 3]);
  });
});

describe('validation against injected anomalies', () => {
  it('reports how many injected rows are flagged and how they rank', () => {
    const scores = [0.1, 0.2, 5, 0.3, 4, 0.9, 0.25];
    // Rows 2 and 4 injected; row 5 is a real sample above the threshold 0.5.
    const r = validationReport(scores, 0.5, [2, 4]);
    expect(r).toEqual({
      injected: 2,
      injectedFlagged: 2,
      realFlagged: 1,
      injectedInTop: 2,
      separated: true,
      lowestInjectedScore: 4,
      highestRealScore: 0.9,
      worstInjectedRank: 2,
    });
    const mixed = validationReport(scores, 0.5, [2, 1]);
    expect(mixed).toMatchObject({ injectedFlagged: 1, injectedInTop: 1, separated: false, worstInjectedRank: 6 });
  });
});
