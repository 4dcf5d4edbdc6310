/**
 * Draws a coloured point cloud on a canvas in one pass over typed arrays: points are bucketed
 * by colour (a counting sort, no per-point objects), then each colour is one path and one fill.
 * 100,000 points take a few tens of milliseconds.
 */

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
}

/** Above this many points squares replace circles: the same look at that density, far cheaper. */
const SQUARES_ABOVE = 20_000;

/** Point radius in CSS pixels: smaller as the cloud gets denser. */
export function pointRadius(n: number): number {
  if (n > 50_000) return 1.1;
  if (n > 10_000) return 1.6;
  if (n > 2_000) return 2.2;
  return 3;
}

/** Paints the points and returns how many were drawn (finite x and y). */
export function paintScatter(ctx: CanvasRenderingContext2D, p: ScatterPaint): number {
  const n = Math.min(p.x.length, p.y.length);
  const dpr = p.devicePixelRatio;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, p.width, p.height);

  // Counting sort of point indices by colour slot: slot 0 is "other" (noise, no run) and is
  // drawn first, under the clusters; slot c + 1 is colour c.
  const k = p.colors.length;
  const slots = k + 1;
  const slotOf = (i: number): number => {
    const c = p.codes ? p.codes[i] : -1;
    return c >= 0 && c < k ? c + 1 : 0;
  };
  const starts = new Int32Array(slots + 1);
  for (let i = 0; i < n; i++) starts[slotOf(i) + 1]++;
  for (let s = 0; s < slots; s++) starts[s + 1] += starts[s];
  const order = new Int32Array(n);
  const next = starts.slice(0, slots);
  for (let i = 0; i < n; i++) order[next[slotOf(i)]++] = i;

  const r = pointRadius(n);
  const squares = n > SQUARES_ABOVE;
  const { a: ax, b: bx } = p.xMap;
  const { a: ay, b: by } = p.yMap;
  ctx.globalAlpha = n > SQUARES_ABOVE ? 0.7 : 0.85;
  let drawn = 0;
  for (let slot = 0; slot < slots; slot++) {
    const from = starts[slot], to = starts[slot + 1];
    if (from === to) continue;
    ctx.fillStyle = slot === 0 ? p.otherColor : p.colors[slot - 1];
    ctx.beginPath();
    for (let j = from; j < to; j++) {
      const i = order[j];
      const px = ax * p.x[i] + bx, py = ay * p.y[i] + by;
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      if (squares) ctx.rect(px - r, py - r, 2 * r, 2 * r);
      else {
        ctx.moveTo(px + r, py);
        ctx.arc(px, py, r, 0, 2 * Math.PI);
      }
      drawn++;
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  return drawn;
}
