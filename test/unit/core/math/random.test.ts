import { describe, expect, it } from 'vitest';
import { Random } from '../../../../src/core/math/random';

describe('Random', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = new Random(42), b = new Random(42), c = new Random(43);
    const sa = Array.from({ length: 8 }, () => a.random());
    expect(Array.from({ length: 8 }, () => b.random())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.random())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) with the right mean and normals with unit variance', () => {
    const r = new Random(1);
    let s = 0, s2 = 0, mn = 1, mx = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      s += u;
      mn = Math.min(mn, u);
      mx = Math.max(mx, u);
      const z = r.normal();
      s2 += z * z;
    }
    expect(mn).toBeGreaterThanOrEqual(0);
    expect(mx).toBeLessThan(1);
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('samples distinct integers and unbiased ints', () => {
    const r = new Random(7);
    const s = r.sample(1000, 50);
    expect(new Set(s).size).toBe(50);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[r.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});
