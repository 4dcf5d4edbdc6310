/**
 * Contour levels of a mixture's negative log-likelihood, log-spaced as the chapter's
 * `plot_gaussian_mixture` draws them: `np.logspace(0, 2, 12)`, twelve levels from 1 to 100, the
 * colours running from 1 to 30 (its LogNorm(vmin=1, vmax=30)). Generalised to any data: the
 * levels start at the power of ten at or below the grid's smallest value and span two decades;
 * where the density exceeds 1 somewhere (a negative NLL) they are shifted to start one unit below
 * the minimum. Levels above the grid's largest value are kept (they cut nothing), as the chapter's.
 */

/** `count` values from 10^a to 10^b, evenly spaced in the exponent (NumPy's logspace). */
export function logspace(a: number, b: number, count: number): number[] {
  if (count < 1) return [];
  if (count === 1) return [10 ** a];
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
}

/**
 * The levels for a grid whose finite NLL values span [min, max], ascending. For the chapter's
 * three blobs (min ≈ 1.6) this is exactly logspace(0, 2, 12).
 */
export function nllLevels(min: number, max: number, count = 12): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  const shift = levelShift(min);
  const lo = 10 ** Math.floor(Math.log10(min - shift));
  return logspace(Math.log10(lo), Math.log10(lo) + 2, count).map((v) => v + shift);
}

/** What is added to the NLL scale so that its minimum is at least 1 (0 when it already is positive). */
export function levelShift(min: number): number {
  return min > 0 ? 0 : min - 1;
}

/**
 * Where a value sits on the colour ramp, 0..1: log-scaled from the first level to 30 × it, as the
 * chapter's LogNorm(vmin=1, vmax=30), clamped. `shift` is the levels' levelShift.
 */
export function levelColorPosition(value: number, firstLevel: number, shift: number): number {
  const base = firstLevel - shift;
  const t = Math.log(Math.max(base, value - shift) / base) / Math.log(30);
  return Math.min(1, Math.max(0, t));
}

/** How many levels fall strictly inside [min, max]: the contour lines actually drawn. */
export function levelsInside(levels: readonly number[], min: number, max: number): number {
  return levels.filter((v) => v > min && v < max).length;
}
