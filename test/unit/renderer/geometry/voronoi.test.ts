import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { voronoiCells, ringPath } from '../../../../src/renderer/src/lib/geometry/voronoi';
import { insideRing, ringArea, type Point } from '../../../../src/renderer/src/lib/geometry/grid';
import type { Extent } from '../../../../src/shared/analyses/geometry';

const extent: Extent = { x0: -4, x1: 1, y0: 0.5, y1: 3.5 };
// The chapter's good initial centres (kmeans_good_init), all inside the extent.
const centers = [-3, 3, -3, 2, -3, 1, -1, 2, 0, 2];

function nearest(p: Point, c: ArrayLike<number>, k: number): number {
  let best = 0, bd = Infinity;
  for (let i = 0; i < k; i++) {
    const d = (p[0] - c[2 * i]) ** 2 + (p[1] - c[2 * i + 1]) ** 2;
    if (d < bd) [best, bd] = [i, d];
  }
  return best;
}

describe('Voronoi cells of the centroids', () => {
  it('give exactly one cell per distinct centre, clipped to the extent', () => {
    const cells = voronoiCells(centers, 5, extent);
    expect(cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    for (const c of cells) {
      for (const [x, y] of c.polygon) {
        expect(x).toBeGreaterThanOrEqual(extent.x0 - 1e-9);
        expect(x).toBeLessThanOrEqual(extent.x1 + 1e-9);
        expect(y).toBeGreaterThanOrEqual(extent.y0 - 1e-9);
        expect(y).toBeLessThanOrEqual(extent.y1 + 1e-9);
      }
    }
  });

  it('tile the extent: the areas add up to the rectangle', () => {
    const area = voronoiCells(centers, 5, extent).reduce((s, c) => s + Math.abs(ringArea(c.polygon)), 0);
    expect(area).toBeCloseTo(5 * 3, 9);
  });

  it('hold exactly the points whose nearest centre is theirs (random points, random centres)', () => {
    // Six centres jittered inside six separate boxes of a 3 × 2 layout: distinct, as K-Means centres are.
    const jitter = fc.double({ min: 0.05, max: 0.95, noNaN: true });
    fc.assert(
      fc.property(fc.array(jitter, { minLength: 12, maxLength: 12 }), (u) => {
        const c = Array.from({ length: 6 }, (_, i) => [extent.x0 + ((i % 3) + u[2 * i]) * (5 / 3), extent.y0 + (Math.floor(i / 3) + u[2 * i + 1]) * 1.5]).flat();
        const cells = voronoiCells(c, 6, extent);
        expect(cells).toHaveLength(6);
        for (let t = 0; t < 60; t++) {
          const p: Point = [extent.x0 + ((t * 0.37) % 1) * 5, extent.y0 + ((t * 0.61) % 1) * 3];
          const owner = cells.filter((cell) => insideRing(p, cell.polygon)).map((cell) => cell.index);
          // A point on a boundary may be claimed by either side; elsewhere exactly by its nearest centre.
          if (owner.length === 1) expect(owner[0]).toBe(nearest(p, c, 6));
          else expect(owner.length).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('give one cell to a single centre: the whole extent', () => {
    const [cell] = voronoiCells([0, 2], 1, extent);
    expect(Math.abs(ringArea(cell.polygon))).toBeCloseTo(15, 9);
  });

  it('give coincident centres one cell between them', () => {
    expect(voronoiCells([-1, 2, -1, 2, 0, 1], 3, extent)).toHaveLength(2);
  });

  it('draw a ring as a closed SVG path', () => {
    expect(ringPath([[0, 0], [2, 0], [2, 1]], (v) => v, (v) => v)).toBe('M0.0,0.0L2.0,0.0L2.0,1.0Z');
  });
});
