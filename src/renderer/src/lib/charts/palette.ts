/**
 * Categorical colours for clusters. Up to ten clusters get Tableau 10 (distinct, colour-blind
 * friendly); beyond that, hues step by the golden angle in HCL with three lightness levels, so
 * neighbouring cluster indices never look alike and 50 clusters stay tellable apart. Each theme
 * gets its own lightness, so the marks keep their contrast on a dark background.
 */
import { schemeTableau10 } from 'd3-scale-chromatic';
import { hcl, rgb } from 'd3-color';

/** Colour of the −1 "noise" label (DBSCAN) and of anything unassigned. */
export function noiseColor(dark: boolean): string {
  return dark ? '#6b717c' : '#9aa0a9';
}

const GOLDEN_ANGLE = 137.508;

export function categoricalColors(n: number, dark: boolean): string[] {
  if (n <= schemeTableau10.length) {
    return schemeTableau10.slice(0, n).map((c) => (dark ? rgb(c).brighter(0.35).formatHex() : c));
  }
  const levels = dark ? [72, 58, 84] : [52, 38, 66];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = (25 + i * GOLDEN_ANGLE) % 360;
    const l = levels[i % levels.length];
    out.push(hcl(h, dark ? 55 : 62, l).formatHex());
  }
  return out;
}
