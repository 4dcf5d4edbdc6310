/**
 * A scatter's zoom as saved with the project: the data point at the centre of the plot and the
 * scale factor, rather than d3-zoom's pixel translation, so that a zoom saved in one window size
 * shows the same place in another.
 */
import type { LinearMap } from './scatter-canvas';

export interface ZoomView {
  /** Scale factor (1 = the whole data). */
  k: number;
  /** The data coordinates at the centre of the plot area. */
  cx: number;
  cy: number;
}

/** d3-zoom's transform: screen = k · base + (x, y). */
export interface PixelTransform {
  k: number;
  x: number;
  y: number;
}

/** The saved form of a transform, given the unzoomed maps and the plot area's centre in pixels. */
export function viewOf(t: PixelTransform, base: { x: LinearMap; y: LinearMap }, centre: [number, number]): ZoomView {
  const bx = (centre[0] - t.x) / t.k, by = (centre[1] - t.y) / t.k;
  return { k: t.k, cx: (bx - base.x.b) / base.x.a, cy: (by - base.y.b) / base.y.a };
}

/** The transform that shows a saved view, the inverse of `viewOf`. */
export function transformOf(v: ZoomView, base: { x: LinearMap; y: LinearMap }, centre: [number, number]): PixelTransform {
  const bx = base.x.a * v.cx + base.x.b, by = base.y.a * v.cy + base.y.b;
  return { k: v.k, x: centre[0] - v.k * bx, y: centre[1] - v.k * by };
}

/** The map a zoom applies on top of a base map: pixel = k · (a·v + b) + t. */
export function zoomed(m: LinearMap, k: number, t: number): LinearMap {
  return { a: m.a * k, b: m.b * k + t };
}

/** A saved view read back from the project, or null when it is not one. */
export function parseZoomView(v: unknown): ZoomView | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!ok(o.k) || !ok(o.cx) || !ok(o.cy) || o.k <= 0) return null;
  return { k: o.k, cx: o.cx, cy: o.cy };
}
