/**
 * K-Means decision regions drawn exactly: the Voronoi cells of the centroids (d3-delaunay),
 * clipped to the visible rectangle. Only meaningful when the centroids live in the plane of the
 * view (2-D data); on a projection the regions are a power diagram and come from a grid instead.
 */
import { Delaunay } from 'd3-delaunay';
import type { Extent } from '../../../../shared/analyses/geometry';
import type { Point } from './grid';

export interface VoronoiCell {
  /** The centroid's index (its cluster label). */
  index: number;
  /** The cell clipped to the extent, a closed ring (first point repeated last), in data units. */
  polygon: Point[];
}

/**
 * The cells of `k` centres (k, 2) row-major inside `extent`. Coincident centres share one cell
 * (the first keeps it), so the count can be below k only then.
 */
export function voronoiCells(centers: ArrayLike<number>, k: number, extent: Extent): VoronoiCell[] {
  const pts = new Float64Array(2 * k);
  for (let i = 0; i < 2 * k; i++) pts[i] = centers[i];
  const voronoi = new Delaunay(pts).voronoi([extent.x0, extent.y0, extent.x1, extent.y1]);
  const cells: VoronoiCell[] = [];
  for (let i = 0; i < k; i++) {
    const poly = voronoi.cellPolygon(i);
    if (poly && poly.length >= 4) cells.push({ index: i, polygon: poly as Point[] });
  }
  return cells;
}

/** The SVG path of a ring through a map from data units to pixels. */
export function ringPath(ring: readonly Point[], sx: (v: number) => number, sy: (v: number) => number): string {
  return ring.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('') + 'Z';
}
