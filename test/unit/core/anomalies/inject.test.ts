/** Synthetic anomalies: the chapter's rotated, flipped and darkened copies, and their names. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chooseInjections,
  guessImageShape,
  imageShapeOf,
  injectAnomalies,
  injectedKind,
  injectedName,
  injectedRows,
  transformImage,
  type ImageShape,
} from '../../../../src/core/anomalies';
import { DataError, ParameterError } from '../../../../src/core/errors';
import { fromRows } from '../../../../src/core/math/matrix';

/** A 2×3 image (height 2, width 3) with distinct values: [[1, 2, 3], [4, 5, 6]]. */
const wide: ImageShape = { width: 3, height: 2, channels: 1 };
const square: ImageShape = { width: 2, height: 2, channels: 1 };

const apply = (src: number[], shape: ImageShape, kind: 'rotated' | 'flipped' | 'darkened') =>
  Array.from(transformImage(src, shape, kind, new Float64Array(src.length)));

describe('image transformations', () => {
  it('transposes a square image as the chapter does, and turns any other by 180°', () => {
    // [[1, 2], [3, 4]]ᵀ = [[1, 3], [2, 4]]
    expect(apply([1, 2, 3, 4], square, 'rotated')).toEqual([1, 3, 2, 4]);
    expect(apply([1, 2, 3, 4, 5, 6], wide, 'rotated')).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('flips upside down and darkens by 0.3', () => {
    expect(apply([1, 2, 3, 4, 5, 6], wide, 'flipped')).toEqual([4, 5, 6, 1, 2, 3]);
    expect(apply([10, 20, 0, 1], square, 'darkened')).toEqual([3, 6, 0, 0.3]);
  });

  it('moves colour pixels whole (channels stay together)', () => {
    const rgb: ImageShape = { width: 2, height: 1, channels: 3 };
    expect(apply([1, 2, 3, 4, 5, 6], rgb, 'rotated')).toEqual([4, 5, 6, 1, 2, 3]);
  });

  it('undoes itself when applied twice (rotation of a square, flip)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom(1 as const, 3 as const), fc.integer({ min: 0, max: 1000 }), (side, ch, seed) => {
        const shape: ImageShape = { width: side, height: side, channels: ch };
        const src = Array.from({ length: side * side * ch }, (_, i) => (i * 7919 + seed) % 101);
        for (const kind of ['rotated', 'flipped'] as const) expect(apply(apply(src, shape, kind), shape, kind)).toEqual(src);
        // A transformation only moves values.
        expect(apply(src, shape, 'rotated').sort()).toEqual([...src].sort());
      }),
      { numRuns: 50 },
    );
  });
});

describe('injected datasets', () => {
  it('appends one transformed copy per injection after the real rows', () => {
    const X = fromRows([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const out = injectAnomalies(X, square, [{ row: 1, kind: 'rotated' }, { row: 0, kind: 'darkened' }]);
    expect(out.rows).toBe(4);
    expect(Array.from(out.data.subarray(0, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(out.data.subarray(8, 12))).toEqual([5, 7, 6, 8]);
    expect(Array.from(out.data.subarray(12, 16))).toEqual([1 * 0.3, 2 * 0.3, 3 * 0.3, 4 * 0.3]);
    expect(() => injectAnomalies(X, { width: 3, height: 3, channels: 1 }, [])).toThrow(/3×3×1 has 9 values, the rows have 4/);
    expect(() => injectAnomalies(X, square, [{ row: 2, kind: 'flipped' }])).toThrow(DataError);
  });

  it('names copies after their source and finds them again', () => {
    expect(injectedName('p01_3.png', 'rotated')).toBe('p01_3.png (rotated)');
    expect(injectedKind('p01_3.png (rotated)')).toBe('rotated');
    expect(injectedKind('p01_3.png')).toBeNull();
    expect(injectedKind('holiday (rotated).png')).toBeNull();
    expect(Array.from(injectedRows(['a.png', 'b.png', 'a.png (flipped)', 'b.png (darkened)']))).toEqual([2, 3]);
    expect(injectedRows(null).length).toBe(0);
  });

  it('chooses distinct source rows per kind, the same for the same seed', () => {
    const rows = Array.from({ length: 40 }, (_, i) => 100 + i);
    const a = chooseInjections(rows, { rotated: 4, flipped: 3, darkened: 3 }, 42);
    expect(a.map((x) => x.kind)).toEqual([...Array(4).fill('rotated'), ...Array(3).fill('flipped'), ...Array(3).fill('darkened')]);
    for (const kind of ['rotated', 'flipped', 'darkened']) {
      const picked = a.filter((x) => x.kind === kind).map((x) => x.row);
      expect(new Set(picked).size).toBe(picked.length);
      for (const r of picked) expect(rows).toContain(r);
    }
    expect(chooseInjections(rows, { rotated: 4, flipped: 3, darkened: 3 }, 42)).toEqual(a);
    expect(chooseInjections(rows, { rotated: 4, flipped: 3, darkened: 3 }, 43)).not.toEqual(a);
    expect(() => chooseInjections(rows, { rotated: 41 })).toThrow(ParameterError);
  });

  it('guesses square grayscale images from the number of features', () => {
    expect(guessImageShape(64)).toEqual({ width: 8, height: 8, channels: 1 });
    expect(guessImageShape(4096)).toEqual({ width: 64, height: 64, channels: 1 });
    expect(guessImageShape(2)).toBeNull();
    expect(guessImageShape(1)).toBeNull();
  });
});

describe('image shapes from feature names', () => {
  it('reads grayscale and colour pixel names, square unless an aspect says otherwise', () => {
    const gray = Array.from({ length: 4096 }, (_, i) => `p${i}`);
    expect(imageShapeOf(gray)).toEqual({ width: 64, height: 64, channels: 1 });
    const rgb = Array.from({ length: 6 * 4 }, (_, i) => `p${Math.floor(i / 3)}_${'rgb'[i % 3]}`);
    expect(imageShapeOf(rgb)).toBeNull();
    expect(imageShapeOf(rgb, 4 / 2)).toEqual({ width: 4, height: 2, channels: 3 });
    expect(imageShapeOf(Array.from({ length: 12 }, (_, i) => `p${i}`), 3 / 4)).toEqual({ width: 3, height: 4, channels: 1 });
    expect(imageShapeOf(['x1', 'x2', 'x3', 'x4'])).toBeNull();
    expect(imageShapeOf(['p1', 'p0', 'p2', 'p3'])).toBeNull();
  });
});
