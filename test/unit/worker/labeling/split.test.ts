/**
 * The held-out split is scikit-learn's `train_test_split(..., random_state=seed)` index for index:
 * checked against the chapter's digits split (reference/datasets/digits_split.json) and against
 * NumPy 1.24's `RandomState(seed).permutation` outputs printed by /usr/bin/python3.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyPermutation, MT19937, trainTestSplit } from '../../../../src/main/worker/labeling/split';
import { REFERENCE } from '../../core/reference';

describe('MT19937 as NumPy seeds it', () => {
  it('gives the 32-bit words of RandomState(5)', () => {
    // np.random.RandomState(5).randint(0, 2**32 - 1, dtype=np.uint64, size=3) draws one masked
    // 32-bit word each (no rejection for these values).
    const mt = new MT19937(5);
    expect([mt.nextUint32(), mt.nextUint32(), mt.nextUint32()]).toEqual([953453411, 236996814, 3739766767]);
  });

  it('refuses seeds NumPy refuses', () => {
    expect(() => new MT19937(-1)).toThrow(/seed/);
    expect(() => new MT19937(2 ** 32)).toThrow(/seed/);
    expect(() => new MT19937(1.5)).toThrow(/seed/);
  });
});

describe('legacy permutation', () => {
  it('equals RandomState(seed).permutation(n)', () => {
    expect(Array.from(legacyPermutation(10, 0))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    expect(Array.from(legacyPermutation(7, 4294967295))).toEqual([1, 5, 0, 6, 4, 2, 3]);
  });
});

describe('trainTestSplit', () => {
  it("reproduces the chapter's digits split exactly (train_test_split(random_state=42))", () => {
    const ref = JSON.parse(readFileSync(resolve(REFERENCE, 'datasets/digits_split.json'), 'utf8')) as { train_idx: number[]; test_idx: number[] };
    const s = trainTestSplit(1797, { testSize: 0.25, randomState: 42 });
    expect(Array.from(s.train)).toEqual(ref.train_idx);
    expect(Array.from(s.test)).toEqual(ref.test_idx);
  });

  it('holds out ceil(testSize * n) rows, in permutation order', () => {
    const a = trainTestSplit(11, { testSize: 0.25, randomState: 1 });
    expect(Array.from(a.train)).toEqual([9, 1, 6, 0, 7, 10, 8, 5]);
    expect(Array.from(a.test)).toEqual([2, 3, 4]);
    const b = trainTestSplit(400, { testSize: 0.2, randomState: 7 });
    expect(b.test.length).toBe(80);
    expect(Array.from(b.test.slice(0, 8))).toEqual([265, 65, 120, 132, 378, 26, 287, 111]);
  });

  it('refuses a split that leaves nothing on one side, or a bad spec, with the rule', () => {
    expect(() => trainTestSplit(1, { testSize: 0.5, randomState: 0 })).toThrow(/leaves 0 for training/);
    expect(() => trainTestSplit(10, { testSize: 1, randomState: 0 })).toThrow(/testSize must be a number in \(0, 1\)/);
    expect(() => trainTestSplit(10, { testSize: 0.2, randomState: -3 })).toThrow(/randomState must be an integer/);
  });
});
