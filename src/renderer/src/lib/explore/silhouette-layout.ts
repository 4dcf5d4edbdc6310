/**
 * Where the bands of a silhouette diagram go, as the chapter lays them out: clusters stacked
 * bottom to top in label order, each band one unit per sample (sorted ascending, so the widest
 * coefficients are at the top of the band), with a gap of a thirtieth of the samples between
 * bands and at the bottom. Units count up from the bottom of the plot.
 */

export interface BandInput {
  label: number;
  size: number;
}

export interface Band extends BandInput {
  /** First unit of the band (its bottom). */
  start: number;
  /** The band's middle, for its tick. */
  mid: number;
}

export interface BandLayout {
  bands: Band[];
  /** Units from the bottom of the plot to its top (the last band plus one gap). */
  total: number;
  padding: number;
}

/** The chapter's gap: `len(X) // 30`, at least one unit. */
export function bandPadding(nSamples: number): number {
  return Math.max(1, Math.floor(nSamples / 30));
}

export function bandLayout(clusters: readonly BandInput[], padding = bandPadding(clusters.reduce((t, c) => t + c.size, 0))): BandLayout {
  let pos = padding;
  const bands = clusters.map((c): Band => {
    const b = { label: c.label, size: c.size, start: pos, mid: pos + c.size / 2 };
    pos += c.size + padding;
    return b;
  });
  return { bands, total: pos, padding };
}

/**
 * The band and the sample position in it at a unit, or null in a gap.
 * @returns `offset` in 0..size−1: the offset into the band's sorted members.
 */
export function locate(layout: BandLayout, unit: number): { band: number; offset: number } | null {
  const bands = layout.bands;
  let lo = 0, hi = bands.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = bands[mid];
    if (unit < b.start) hi = mid - 1;
    else if (unit >= b.start + b.size) lo = mid + 1;
    else return { band: mid, offset: Math.floor(unit - b.start) };
  }
  return null;
}

/** The coefficient axis: from −0.1 (or below the smallest value, to a tenth) to 1, as in the chapter. */
export function coefficientDomain(min: number): [number, number] {
  const lo = Number.isFinite(min) ? Math.min(-0.1, Math.floor(min * 10) / 10) : -0.1;
  return [Math.max(-1, lo), 1];
}

/** How many panels per row for n side-by-side diagrams: one, two, or a 2 × 2 grid. */
export function gridColumns(n: number): number {
  return n <= 1 ? 1 : 2;
}
