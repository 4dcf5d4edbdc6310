import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellCenter, gridFor, gridToData, insidePolygons, interiorPath, labelRegions, paddedExtent, polygonsPath, ringArea, type Point } from '../../../../src/renderer/src/lib/geometry/grid';
import type { GridSpec } from '../../../../src/shared/analyses/geometry';

/** A label grid from a function of the cell centre. */
function labelGrid(grid: GridSpec, f: (p: Point) => number): Int32Array {
  const out = new Int32Array(grid.nx * grid.ny);
  for (let j = 0; j < grid.ny; j++) for (let i = 0; i < grid.nx; i++) out[j * grid.nx + i] = f(cellCenter(grid, i, j));
  return out;
}

function totalArea(polygons: Point[][][]): number {
  return polygons.reduce((s, poly) => s + Math.abs(ringArea(poly[0])) - poly.slice(1).reduce((h, r) => h + Math.abs(ringArea(r)), 0), 0);
}

describe('label regions', () => {
  const grid: GridSpec = { extent: { x0: -2, x1: 2, y0: -1, y1: 3 }, nx: 40, ny: 40 };

  it('give one region per label, in ascending order, with its cell count', () => {
    const labels = labelGrid(grid, ([x, y]) => (x < 0 ? 0 : y < 1 ? 1 : 2));
    const regions = labelRegions(labels, grid);
    expect(regions.map((r) => r.label)).toEqual([0, 1, 2]);
    expect(regions.reduce((s, r) => s + r.cells, 0)).toBe(40 * 40);
    expect(regions[0].cells).toBe(20 * 40);
  });

  it('contain every cell centre of their label and none of the others', () => {
    const labels = labelGrid(grid, ([x, y]) => (x * x + (y - 1) * (y - 1) < 1 ? 5 : x < 0 ? -1 : 3));
    const regions = labelRegions(labels, grid);
    for (let j = 0; j < grid.ny; j++) {
      for (let i = 0; i < grid.nx; i++) {
        const p = cellCenter(grid, i, j);
        for (const r of regions) expect(insidePolygons(p, r.polygons), `cell (${i}, ${j}) in region ${r.label}`).toBe(r.label === labels[j * grid.nx + i]);
      }
    }
  });

  it('tile the extent where two labels meet: stripes add up to the whole rectangle', () => {
    const labels = labelGrid(grid, ([x]) => (x < -1 ? 0 : x < 0.5 ? 1 : 2));
    const area = labelRegions(labels, grid).reduce((s, r) => s + totalArea(r.polygons), 0);
    expect(area).toBeCloseTo(4 * 4, 9);
  });

  it('leave at most a diamond of half a cell where several labels meet at a corner', () => {
    // A 4 × 4 checkerboard of 16 labels: 9 four-way junctions, each a diamond of half a cell.
    const labels = labelGrid(grid, ([x, y]) => Math.floor(x + 2) + 4 * Math.floor(y + 1));
    const area = labelRegions(labels, grid).reduce((s, r) => s + totalArea(r.polygons), 0);
    const cell = (4 / 40) * (4 / 40);
    expect(16 - area).toBeCloseTo((9 * cell) / 2, 9);
  });

  it('put a straight boundary halfway between the cell centres on each side', () => {
    // Vertical split between cells 9 and 10 of a 20-wide grid over 0..20: the edge is x = 10.
    const g: GridSpec = { extent: { x0: 0, x1: 20, y0: 0, y1: 10 }, nx: 20, ny: 10 };
    const [left] = labelRegions(labelGrid(g, ([x]) => (x < 10 ? 0 : 1)), g);
    const xs = left.polygons.flat(2).map((p) => p[0]);
    expect(Math.max(...xs)).toBeCloseTo(10, 12);
    expect(Math.min(...xs)).toBeCloseTo(0, 12);
  });

  it('keep a hole as a hole', () => {
    const labels = labelGrid(grid, ([x, y]) => (Math.abs(x) < 0.5 && Math.abs(y - 1) < 0.5 ? 1 : 0));
    const [outer, inner] = labelRegions(labels, grid);
    expect(outer.polygons[0].length).toBe(2);
    expect(insidePolygons([0, 1], outer.polygons)).toBe(false);
    expect(insidePolygons([0, 1], inner.polygons)).toBe(true);
  });

  it('cover any random labelling of a small grid exactly once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 36, maxLength: 36 }), (cells) => {
        const g: GridSpec = { extent: { x0: 0, x1: 6, y0: 0, y1: 6 }, nx: 6, ny: 6 };
        const labels = Int32Array.from(cells);
        const regions = labelRegions(labels, g);
        for (let c = 0; c < 36; c++) {
          const p = cellCenter(g, c % 6, Math.floor(c / 6));
          expect(regions.filter((r) => insidePolygons(p, r.polygons)).map((r) => r.label)).toEqual([labels[c]]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('grids', () => {
  it('sample cell centres, so contour coordinates map back to the extent exactly', () => {
    const g = gridFor({ x0: 1, x1: 3, y0: -1, y1: 1 }, 4);
    expect(g).toMatchObject({ nx: 4, ny: 4 });
    expect(cellCenter(g, 0, 0)).toEqual([1.25, -0.75]);
    expect(gridToData(g, 0, 0)).toEqual([1, -1]);
    expect(gridToData(g, 4, 4)).toEqual([3, 1]);
  });

  it('pad the data extent on every side, and give constant data a range', () => {
    expect(paddedExtent([0, 10], [5, 7], 0.1)).toEqual({ x0: -1, x1: 11, y0: 4.8, y1: 7.2 });
    expect(paddedExtent([2, 2], [3, NaN], 0.1)).toEqual({ x0: 1, x1: 3, y0: 2, y1: 4 });
  });

  it('draw the lines between regions without the frame along the extent', () => {
    const g: GridSpec = { extent: { x0: 0, x1: 20, y0: 0, y1: 10 }, nx: 20, ny: 10 };
    const [left] = labelRegions(labelGrid(g, ([x]) => (x < 10 ? 0 : 1)), g);
    const d = interiorPath(left.polygons, g.extent, (v) => v, (v) => v);
    // Only the vertical line x = 10, from bottom to top.
    const xs = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => Number(m[1]));
    expect(new Set(xs)).toEqual(new Set([10]));
    expect(d.startsWith('M')).toBe(true);
    // A region inside the extent keeps its whole outline.
    const big: GridSpec = { extent: { x0: -2, x1: 2, y0: -1, y1: 3 }, nx: 40, ny: 40 };
    const inner = labelRegions(labelGrid(big, ([x, y]) => (Math.abs(x) < 0.5 && Math.abs(y - 1) < 0.5 ? 1 : 0)), big)[1];
    expect(interiorPath(inner.polygons, big.extent, (v) => v, (v) => v).split('L').length - 1).toBe(inner.polygons[0][0].length);
  });

  it('draw polygons as one SVG path through the scales', () => {
    const d = polygonsPath([[[[0, 0], [1, 0], [1, 1]]]], (v) => v * 10, (v) => -v * 10);
    expect(d).toBe('M0.0,0.0L10.0,0.0L10.0,-10.0Z');
  });
});
