/**
 * Grids on the view's plane and the regions of a label grid: each label's cells contoured with
 * d3-contour on a binary indicator (threshold ½), cropped to the label's bounding box so that 20
 * labels cost little more than one pass over the grid. Coordinates come back in data units.
 */
import { contours } from 'd3-contour';
import type { Extent, GridSpec } from '../../../../shared/analyses/geometry';

/** A ring or polygon point in data units. */
export type Point = [number, number];

export interface Region {
  label: number;
  /** Polygons, each an outer ring followed by its holes, in data units. */
  polygons: Point[][][];
  /** Cells with this label. */
  cells: number;
}

/** The extent of the points with a margin of `pad` × the range on each side (the chapter pads by 0.1). */
export function paddedExtent(x: ArrayLike<number>, y: ArrayLike<number>, pad = 0.05): Extent {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const a = x[i], b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  if (x0 > x1) return { x0: 0, x1: 1, y0: 0, y1: 1 };
  const px = x1 > x0 ? (x1 - x0) * pad : 1, py = y1 > y0 ? (y1 - y0) * pad : 1;
  return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
}

/** A grid of `side` × `side` cells over an extent (the brief's 500 × 500 by default). */
export function gridFor(extent: Extent, side = 500): GridSpec {
  return { extent: { ...extent }, nx: side, ny: side };
}

/** The centre of cell (i, j) in data units. */
export function cellCenter(grid: GridSpec, i: number, j: number): Point {
  const { x0, x1, y0, y1 } = grid.extent;
  return [x0 + ((i + 0.5) * (x1 - x0)) / grid.nx, y0 + ((j + 0.5) * (y1 - y0)) / grid.ny];
}

/** d3-contour's grid coordinate (cell edges at integers) to data units. */
export function gridToData(grid: GridSpec, gx: number, gy: number): Point {
  const { x0, x1, y0, y1 } = grid.extent;
  return [x0 + (gx * (x1 - x0)) / grid.nx, y0 + (gy * (y1 - y0)) / grid.ny];
}

/**
 * The region of every label of a row-major label grid, ascending by label. Neighbouring regions
 * share their boundaries exactly (both are the ½-level line between the same cell centres).
 */
export function labelRegions(labels: Int32Array, grid: GridSpec): Region[] {
  const { nx, ny } = grid;
  const boxes = new Map<number, { i0: number; i1: number; j0: number; j1: number; cells: number }>();
  for (let j = 0, c = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++, c++) {
      const l = labels[c];
      const b = boxes.get(l);
      if (!b) boxes.set(l, { i0: i, i1: i, j0: j, j1: j, cells: 1 });
      else {
        if (i < b.i0) b.i0 = i;
        if (i > b.i1) b.i1 = i;
        if (j > b.j1) b.j1 = j;
        b.cells++;
      }
    }
  }
  const out: Region[] = [];
  for (const label of [...boxes.keys()].sort((a, b) => a - b)) {
    const b = boxes.get(label)!;
    // Where the box touches the grid's edge, one replicated cell beyond it: the boundary then runs
    // straight to the edge instead of cutting the corner there (clamped back onto the edge below).
    const padL = b.i0 === 0 ? 1 : 0, padR = b.i1 === nx - 1 ? 1 : 0;
    const padB = b.j0 === 0 ? 1 : 0, padT = b.j1 === ny - 1 ? 1 : 0;
    const w = b.i1 - b.i0 + 1 + padL + padR, h = b.j1 - b.j0 + 1 + padB + padT;
    const indicator = new Float64Array(w * h);
    for (let j = 0; j < h; j++) {
      const row = Math.min(ny - 1, Math.max(0, b.j0 - padB + j)) * nx;
      for (let i = 0; i < w; i++) indicator[j * w + i] = labels[row + Math.min(nx - 1, Math.max(0, b.i0 - padL + i))] === label ? 1 : 0;
    }
    // Outside the box the indicator is 0 anyway: the crop's border lines are the full grid's.
    const [shape] = contours().size([w, h]).thresholds([0.5])(indicator as unknown as number[]);
    const ox = b.i0 - padL, oy = b.j0 - padB;
    const polygons = shape.coordinates.map((poly) =>
      poly.map((ring) => ring.map(([gx, gy]) => gridToData(grid, Math.min(nx, Math.max(0, gx + ox)), Math.min(ny, Math.max(0, gy + oy))))),
    );
    out.push({ label, polygons, cells: b.cells });
  }
  return out;
}

/** An SVG path of polygons through a map from data units to pixels. */
export function polygonsPath(polygons: Point[][][], sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  for (const poly of polygons) {
    for (const ring of poly) {
      ring.forEach(([x, y], k) => {
        d += `${k === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
      });
      d += 'Z';
    }
  }
  return d;
}

/**
 * The boundary lines of polygons, without the stretches that run along the extent's border:
 * the lines between regions (or of a level) inside the plot, not a frame around it. An SVG path
 * of polylines through a map from data units to pixels.
 */
export function interiorPath(polygons: Point[][][], extent: Extent, sx: (v: number) => number, sy: (v: number) => number): string {
  const ex = 1e-9 * Math.max(1, Math.abs(extent.x1 - extent.x0));
  const ey = 1e-9 * Math.max(1, Math.abs(extent.y1 - extent.y0));
  const onBorder = ([ax, ay]: Point, [bx, by]: Point): boolean =>
    (Math.abs(ax - extent.x0) < ex && Math.abs(bx - extent.x0) < ex) ||
    (Math.abs(ax - extent.x1) < ex && Math.abs(bx - extent.x1) < ex) ||
    (Math.abs(ay - extent.y0) < ey && Math.abs(by - extent.y0) < ey) ||
    (Math.abs(ay - extent.y1) < ey && Math.abs(by - extent.y1) < ey);
  let d = '';
  for (const poly of polygons) {
    for (const ring of poly) {
      let open = false;
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i], b = ring[(i + 1) % ring.length];
        if (onBorder(a, b)) {
          open = false;
          continue;
        }
        if (!open) d += `M${sx(a[0]).toFixed(1)},${sy(a[1]).toFixed(1)}`;
        d += `L${sx(b[0]).toFixed(1)},${sy(b[1]).toFixed(1)}`;
        open = true;
      }
    }
  }
  return d;
}

/** Area of a ring (shoelace), positive counter-clockwise in data units. */
export function ringArea(ring: readonly Point[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i], [x1, y1] = ring[(i + 1) % n];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

/** Whether a point is inside a ring (even-odd rule). */
export function insideRing(p: Point, ring: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point is inside polygons with holes. */
export function insidePolygons(p: Point, polygons: readonly Point[][][]): boolean {
  return polygons.some((poly) => insideRing(p, poly[0]) && !poly.slice(1).some((hole) => insideRing(p, hole)));
}
