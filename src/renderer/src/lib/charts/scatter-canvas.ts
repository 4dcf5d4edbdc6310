/**
 * Draws a coloured point cloud on a canvas in one pass over typed arrays, with no per-point
 * objects. Small clouds are canvas paths (one path and one fill per colour); large ones are
 * stamped straight into an ImageData buffer with source-over blending, because a path of
 * 100,000 sub-paths costs the canvas a few hundred milliseconds and the buffer a few tens.
 * "Other" points (noise, unlabelled) are drawn first and smaller, so they read as background;
 * an optional emphasis mask draws the chosen points last, larger, over a faded cloud.
 */
import { rgb } from 'd3-color';

/** A linear map v ↦ a·v + b from data to CSS pixels (what a d3 linear scale computes). */
export interface LinearMap {
  a: number;
  b: number;
}

export interface ScatterPaint {
  x: Float64Array;
  y: Float64Array;
  /** Colour index per point (into `colors`); −1 or out of range uses `otherColor`. Null: all `otherColor`. */
  codes: Int32Array | null;
  colors: readonly string[];
  otherColor: string;
  xMap: LinearMap;
  yMap: LinearMap;
  /** CSS pixels. */
  width: number;
  height: number;
  devicePixelRatio: number;
  /** 1 for points to emphasise (drawn last, larger, the rest faded), (nSamples); null: none. */
  emphasis?: Uint8Array | null;
}

/** Above this many points the pixel buffer replaces canvas paths. */
const PIXELS_ABOVE = 5_000;

/** Point radius in CSS pixels: smaller as the cloud gets denser. */
export function pointRadius(n: number): number {
  if (n > 50_000) return 1.1;
  if (n > 10_000) return 1.5;
  if (n > 2_000) return 2.2;
  return 3;
}

/** Opacity of the points: denser clouds are more transparent, so density still shows. */
export function pointAlpha(n: number): number {
  return n > 20_000 ? 0.6 : 0.85;
}

/** Noise and unlabelled points are this much smaller than cluster points. */
export const OTHER_SCALE = 0.6;
/** Emphasised points are this much larger, and the others this transparent. */
export const EMPHASIS_SCALE = 1.5;
export const FADED_ALPHA = 0.15;

/** Which points a pass draws: all, only the emphasised, or only the others. */
type Pass = 'all' | 'emphasised' | 'faded';

function inPass(p: ScatterPaint, pass: Pass, i: number): boolean {
  if (pass === 'all') return true;
  const on = p.emphasis![i] === 1;
  return pass === 'emphasised' ? on : !on;
}

function passesOf(p: ScatterPaint, n: number): Pass[] {
  return p.emphasis && p.emphasis.length === n ? ['faded', 'emphasised'] : ['all'];
}

/** Paints the points and returns how many were drawn (finite x and y). */
export function paintScatter(ctx: CanvasRenderingContext2D, p: ScatterPaint): number {
  const n = Math.min(p.x.length, p.y.length);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  let drawn = 0;
  if (n > PIXELS_ABOVE) {
    const W = ctx.canvas.width, H = ctx.canvas.height;
    if (W === 0 || H === 0) return 0;
    const img = ctx.createImageData(W, H);
    for (const pass of passesOf(p, n)) drawn += paintPixels(img, p, n, pass);
    ctx.putImageData(img, 0, 0);
  } else {
    for (const pass of passesOf(p, n)) drawn += paintPaths(ctx, p, n, pass);
  }
  return drawn;
}

/** Radius and opacity of a colour slot (0 = other) in a pass; with no codes every point is plain. */
function styleOf(p: ScatterPaint, n: number, slot: number, pass: Pass): { r: number; alpha: number } {
  let r = pointRadius(n) * (slot === 0 && p.codes ? OTHER_SCALE : 1);
  let alpha = pointAlpha(n);
  if (pass === 'emphasised') {
    r *= EMPHASIS_SCALE;
    alpha = 1;
  } else if (pass === 'faded') alpha = FADED_ALPHA;
  return { r, alpha };
}

/** Colour slot of point i: 0 is "other" (noise, no run), c + 1 is colour c. */
function slotOf(codes: Int32Array | null, k: number, i: number): number {
  const c = codes ? codes[i] : -1;
  return c >= 0 && c < k ? c + 1 : 0;
}

function paintPaths(ctx: CanvasRenderingContext2D, p: ScatterPaint, n: number, pass: Pass): number {
  const dpr = p.devicePixelRatio;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  // Counting sort of point indices by colour slot, so each colour is one path; "other" first,
  // under the clusters.
  const k = p.colors.length;
  const slots = k + 1;
  const starts = new Int32Array(slots + 1);
  for (let i = 0; i < n; i++) if (inPass(p, pass, i)) starts[slotOf(p.codes, k, i) + 1]++;
  for (let s = 0; s < slots; s++) starts[s + 1] += starts[s];
  const order = new Int32Array(starts[slots]);
  const next = starts.slice(0, slots);
  for (let i = 0; i < n; i++) if (inPass(p, pass, i)) order[next[slotOf(p.codes, k, i)]++] = i;

  const { a: ax, b: bx } = p.xMap;
  const { a: ay, b: by } = p.yMap;
  let drawn = 0;
  for (let slot = 0; slot < slots; slot++) {
    const from = starts[slot], to = starts[slot + 1];
    if (from === to) continue;
    const { r, alpha } = styleOf(p, n, slot, pass);
    ctx.globalAlpha = alpha;
    ctx.fillStyle = slot === 0 ? p.otherColor : p.colors[slot - 1];
    ctx.beginPath();
    for (let j = from; j < to; j++) {
      const i = order[j];
      const px = ax * p.x[i] + bx, py = ay * p.y[i] + by;
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      drawn++;
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  return drawn;
}

/** The pixels a disc of radius `r` (device pixels) covers, with the covered fraction of each. */
interface Stamp {
  dx: Int32Array;
  dy: Int32Array;
  coverage: Float32Array;
}

function discStamp(r: number): Stamp {
  const reach = Math.ceil(r);
  const dx: number[] = [], dy: number[] = [], cov: number[] = [];
  const SUB = 4;
  for (let y = -reach; y <= reach; y++) {
    for (let x = -reach; x <= reach; x++) {
      let inside = 0;
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) {
          const ux = x - 0.5 + (sx + 0.5) / SUB, uy = y - 0.5 + (sy + 0.5) / SUB;
          if (ux * ux + uy * uy <= r * r) inside++;
        }
      }
      // Pixels the disc barely touches cost as much as full ones and add nothing visible.
      if (inside >= SUB) {
        dx.push(x);
        dy.push(y);
        cov.push(inside / (SUB * SUB));
      }
    }
  }
  return { dx: Int32Array.from(dx), dy: Int32Array.from(dy), coverage: Float32Array.from(cov) };
}

/** RGB of each colour slot (slot 0 = other), 3 bytes per slot. */
function slotColors(p: ScatterPaint): Uint8Array {
  const out = new Uint8Array((p.colors.length + 1) * 3);
  [p.otherColor, ...p.colors].forEach((c, s) => {
    const v = rgb(c);
    out[3 * s] = v.r;
    out[3 * s + 1] = v.g;
    out[3 * s + 2] = v.b;
  });
  return out;
}

/** A stamp with the opacity of each of its pixels, 0..255. */
interface AlphaStamp extends Stamp {
  alpha: Int32Array;
}

function alphaStamp(rCss: number, dpr: number, alpha: number): AlphaStamp {
  const stamp = discStamp(rCss * dpr);
  return { ...stamp, alpha: Int32Array.from(stamp.coverage, (c) => Math.round(alpha * c * 255)) };
}

function paintPixels(img: ImageData, p: ScatterPaint, n: number, pass: Pass): number {
  const W = img.width, H = img.height;
  const dpr = p.devicePixelRatio;
  const buf = img.data;
  // Noise ("other") and cluster points get their own stamp sizes.
  const stamps = [0, 1].map((slot) => {
    const { r, alpha } = styleOf(p, n, slot, pass);
    return alphaStamp(r, dpr, alpha);
  });
  const rgbOf = slotColors(p);
  const codes = p.codes, k = p.colors.length;
  const xs = p.x, ys = p.y;
  const emphasis = pass === 'all' ? null : p.emphasis!;
  const want = pass === 'emphasised' ? 1 : 0;
  const ax = p.xMap.a * dpr, bx = p.xMap.b * dpr;
  const ay = p.yMap.a * dpr, by = p.yMap.b * dpr;
  let drawn = 0;
  // "Other" points first, under the clusters.
  for (let phase = 0; phase < 2; phase++) {
    for (let i = 0; i < n; i++) {
      if (emphasis && emphasis[i] !== want) continue;
      const c = codes ? codes[i] : -1;
      const inCluster = c >= 0 && c < k;
      if (+inCluster !== phase) continue;
      const px = ax * xs[i] + bx, py = ay * ys[i] + by;
      if (!(px > -1e9 && px < 1e9 && py > -1e9 && py < 1e9)) continue;
      drawn++;
      const cx = px | 0, cy = py | 0;
      const s = inCluster ? 3 * (c + 1) : 0;
      const r = rgbOf[s], g = rgbOf[s + 1], b = rgbOf[s + 2];
      const stamp = stamps[inCluster ? 1 : 0];
      const sdx = stamp.dx, sdy = stamp.dy, sa = stamp.alpha, m = sdx.length;
      for (let j = 0; j < m; j++) {
        const X = cx + sdx[j], Y = cy + sdy[j];
        if (X < 0 || Y < 0 || X >= W || Y >= H) continue;
        const o = (Y * W + X) << 2;
        // Source-over in straight (non-premultiplied) alpha, as ImageData stores it; in 0..255
        // integers, so the buffer needs no float pass.
        const a = sa[j];
        const keep = (buf[o + 3] * (255 - a)) / 255;
        const oa = a + keep;
        buf[o] = (r * a + buf[o] * keep) / oa;
        buf[o + 1] = (g * a + buf[o + 1] * keep) / oa;
        buf[o + 2] = (b * a + buf[o + 2] * keep) / oa;
        buf[o + 3] = oa;
      }
    }
  }
  return drawn;
}

/** The linear map a d3 linear scale computes (data to CSS pixels). */
export function linearMapOf(scale: { domain(): number[]; range(): number[] }): LinearMap {
  const [d0, d1] = scale.domain(), [r0, r1] = scale.range();
  const a = (r1 - r0) / (d1 - d0);
  return { a, b: r0 - a * d0 };
}

/** A mark stamped into pixels: the pixels around its centre (device pixels) and the opacity of each, 0..255. */
export interface PixelMark {
  dx: Int32Array;
  dy: Int32Array;
  alpha: Int32Array;
}

/** The pixels within `reach` whose area `covers` (centre offsets in device pixels) at least a quarter of, 4×4 samples each. */
function markOf(reach: number, covers: (ux: number, uy: number) => boolean, alpha: number): PixelMark {
  const dx: number[] = [], dy: number[] = [], a: number[] = [];
  const SUB = 4;
  for (let y = -reach; y <= reach; y++) {
    for (let x = -reach; x <= reach; x++) {
      let inside = 0;
      for (let sy = 0; sy < SUB; sy++) for (let sx = 0; sx < SUB; sx++) if (covers(x - 0.5 + (sx + 0.5) / SUB, y - 0.5 + (sy + 0.5) / SUB)) inside++;
      if (inside >= SUB) {
        dx.push(x);
        dy.push(y);
        a.push(Math.round((alpha * inside * 255) / (SUB * SUB)));
      }
    }
  }
  return { dx: Int32Array.from(dx), dy: Int32Array.from(dy), alpha: Int32Array.from(a) };
}

/** A filled disc of radius `r` (CSS pixels), as the scatter plots stamp their points. */
export function discMark(r: number, dpr: number, alpha: number): PixelMark {
  return alphaStamp(r, dpr, alpha);
}

/** A circle of radius `r` stroked `width` wide (CSS pixels), as `ctx.arc` then `ctx.stroke` draws it. */
export function ringMark(r: number, width: number, dpr: number, alpha: number): PixelMark {
  const outer = (r + width / 2) * dpr, inner = Math.max(0, r - width / 2) * dpr;
  return markOf(Math.ceil(outer), (ux, uy) => {
    const d = ux * ux + uy * uy;
    return d <= outer * outer && d >= inner * inner;
  }, alpha);
}

/** An × of two diagonals from −h to +h on each axis, stroked `width` wide (CSS pixels). */
export function crossMark(h: number, width: number, dpr: number, alpha: number): PixelMark {
  const reach = h * dpr, half = (width * dpr) / 2;
  return markOf(Math.ceil(reach + half), (ux, uy) => Math.abs(ux) <= reach + half / 2 && Math.abs(uy) <= reach + half / 2 && (Math.abs(ux - uy) <= half * Math.SQRT2 || Math.abs(ux + uy) <= half * Math.SQRT2), alpha);
}

/**
 * Stamps `mark` in one colour at the points `which` (indices into x and y), blending source-over
 * into the buffer as `paintScatter` does; returns how many were drawn (finite x and y).
 */
export function stampMarks(img: ImageData, x: Float64Array, y: Float64Array, xMap: LinearMap, yMap: LinearMap, dpr: number, which: Int32Array, mark: PixelMark, color: string): number {
  const W = img.width, H = img.height, buf = img.data;
  const { r, g, b } = rgb(color);
  const ax = xMap.a * dpr, bx = xMap.b * dpr, ay = yMap.a * dpr, by = yMap.b * dpr;
  const mdx = mark.dx, mdy = mark.dy, ma = mark.alpha, m = mdx.length;
  let drawn = 0;
  for (let w = 0; w < which.length; w++) {
    const i = which[w];
    const px = ax * x[i] + bx, py = ay * y[i] + by;
    if (!(px > -1e9 && px < 1e9 && py > -1e9 && py < 1e9)) continue;
    drawn++;
    const cx = Math.floor(px), cy = Math.floor(py);
    for (let j = 0; j < m; j++) {
      const X = cx + mdx[j], Y = cy + mdy[j];
      if (X < 0 || Y < 0 || X >= W || Y >= H) continue;
      const o = (Y * W + X) << 2;
      const a = ma[j];
      if (a === 255) {
        buf[o] = r;
        buf[o + 1] = g;
        buf[o + 2] = b;
        buf[o + 3] = 255;
        continue;
      }
      const keep = (buf[o + 3] * (255 - a)) / 255;
      const oa = a + keep;
      buf[o] = (r * a + buf[o] * keep) / oa;
      buf[o + 1] = (g * a + buf[o + 1] * keep) / oa;
      buf[o + 2] = (b * a + buf[o + 2] * keep) / oa;
      buf[o + 3] = oa;
    }
  }
  return drawn;
}
