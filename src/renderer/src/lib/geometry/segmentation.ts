/** Images of the segmentation view as RGBA buffers for a canvas: the original and each segmentation. */

/** RGBA of RGB bytes, (width · height · 4). */
export function rgbaOf(rgb: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const n = rgb.length / 3;
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    out[4 * p] = rgb[3 * p];
    out[4 * p + 1] = rgb[3 * p + 1];
    out[4 * p + 2] = rgb[3 * p + 2];
    out[4 * p + 3] = 255;
  }
  return out;
}

/** Colours of a palette (k, 3) in 0..1 as bytes, (k · 3). */
export function paletteBytes(palette: Float64Array): Uint8Array {
  return Uint8Array.from(palette, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** The segmented image: every pixel painted with its cluster's colour, RGBA (nPixels · 4). */
export function segmentedRgba(labels: Uint8Array, palette: Float64Array): Uint8ClampedArray<ArrayBuffer> {
  const bytes = paletteBytes(palette);
  const out = new Uint8ClampedArray(labels.length * 4);
  for (let p = 0; p < labels.length; p++) {
    const c = 3 * labels[p];
    out[4 * p] = bytes[c];
    out[4 * p + 1] = bytes[c + 1];
    out[4 * p + 2] = bytes[c + 2];
    out[4 * p + 3] = 255;
  }
  return out;
}

/** A palette colour as CSS hex. */
export function hexColor(palette: Float64Array, c: number): string {
  const b = paletteBytes(palette.subarray(3 * c, 3 * c + 3));
  return `#${Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Pixels per colour, (k). */
export function colourCounts(labels: Uint8Array, k: number): Int32Array {
  const out = new Int32Array(k);
  for (let p = 0; p < labels.length; p++) out[labels[p]]++;
  return out;
}

/** "10, 8, 6, 4, 2" → [10, 8, 6, 4, 2]; throws with a message on anything else. */
export function parseKs(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) throw new Error('List the numbers of colours, e.g. 10, 8, 6, 4, 2');
  const ks = parts.map((p) => Number(p));
  const bad = parts.find((p, i) => !Number.isInteger(ks[i]) || ks[i] < 1 || ks[i] > 255);
  if (bad !== undefined) throw new Error(`"${bad}" is not a number of colours from 1 to 255`);
  if (ks.length > 12) throw new Error('At most 12 numbers of colours at once');
  return ks;
}
