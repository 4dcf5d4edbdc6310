/**
 * Samples of image-like tables drawn from their feature values: a row of a square grayscale
 * dataset (8×8 digits, 28×28 MNIST, 64×64 faces…) becomes RGBA pixels, each image scaled from its
 * own darkest to its brightest value (as matplotlib's `imshow` does).
 */

/** The side of the square image a row of `nFeatures` values is, or null when it is not one. */
export function squareSide(nFeatures: number): number | null {
  const side = Math.round(Math.sqrt(nFeatures));
  return side >= 2 && side * side === nFeatures ? side : null;
}

/**
 * RGBA bytes (side × side × 4) of one row, `values` in row-major pixel order; NaN pixels are
 * transparent. A constant row is drawn mid-grey.
 */
export function rowToRgba(values: ArrayLike<number>, side: number): Uint8ClampedArray<ArrayBuffer> {
  const n = side * side;
  if (values.length !== n) throw new RangeError(`a ${side}×${side} image needs ${n} values, got ${values.length}`);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const g = Number.isNaN(v) ? 0 : span > 0 ? Math.round(((v - min) / span) * 255) : 128;
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = g;
    out[i * 4 + 3] = Number.isNaN(v) ? 0 : 255;
  }
  return out;
}
