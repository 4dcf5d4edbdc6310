/**
 * The 2-D shortcut of sqDistToPoints (k-means++'s distances to its candidates) gives exactly the
 * general per-pair sum, so the seeding picks the same rows whichever path runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeLloydWork, rowCenterSqDist, sqDistToPoints } from '../../../../../src/core/cluster/kmeans/kernels';

describe('squared distances from 2-D rows to a few points', () => {
  it('equal the general per-pair sum bit for bit, for float64 and float32 rows', () => {
    const coord = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, -0, 1e-300, 2 ** 52, 0.1));
    fc.assert(
      fc.property(fc.array(coord, { minLength: 2, maxLength: 80 }), fc.array(coord, { minLength: 2, maxLength: 12 }), fc.boolean(), (xs, ps, f32) => {
        const n = xs.length >> 1, m = ps.length >> 1;
        const data = f32 ? Float32Array.from(xs.slice(0, 2 * n)) : Float64Array.from(xs.slice(0, 2 * n));
        const P = Float64Array.from(ps.slice(0, 2 * m));
        const out = new Float64Array(n * m);
        sqDistToPoints({ rows: n, cols: 2, data }, P, m, makeLloydWork(2, m, new Float64Array(2), 'js', false, null), out);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(Object.is(out[i * m + j], rowCenterSqDist(data, i, P, j, 2))).toBe(true);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});
