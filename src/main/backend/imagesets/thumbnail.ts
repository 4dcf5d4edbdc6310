/**
 * Thumbnails of the images as the dataset holds them (its size and colour): larger images are
 * shrunk to fit `maxSide` by averaging the pixels each thumbnail pixel covers; small ones (8×8
 * digits, 28×28 MNIST) are enlarged by a whole factor with hard edges, so that a gallery shows
 * them crisp at any zoom.
 */
import { encodePng } from './png';

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 64;

export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Top row first, 8-bit samples, channels interleaved. */
  pixels: Uint8Array;
}

/** The raster scaled for a thumbnail whose longest side is at most `maxSide`. */
export function thumbnailRaster(img: Raster, maxSide = THUMBNAIL_SIZE): Raster {
  const longest = Math.max(img.width, img.height);
  if (longest > maxSide) {
    const s = maxSide / longest;
    return shrink(img, Math.max(1, Math.round(img.width * s)), Math.max(1, Math.round(img.height * s)));
  }
  const factor = Math.floor(maxSide / longest);
  return factor >= 2 ? enlarge(img, factor) : img;
}

/** A PNG thumbnail of the raster. */
export function thumbnailPng(img: Raster, maxSide = THUMBNAIL_SIZE): Uint8Array {
  const t = thumbnailRaster(img, maxSide);
  return encodePng(t.width, t.height, t.channels, t.pixels);
}

function enlarge(img: Raster, f: number): Raster {
  const { width: w, height: h, channels: c } = img;
  const W = w * f, H = h * f, rowBytes = W * c;
  const out = new Uint8Array(rowBytes * H);
  for (let y = 0; y < h; y++) {
    // One enlarged row, then copied f − 1 times below itself.
    const first = y * f * rowBytes;
    let d = first;
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * c;
      for (let r = 0; r < f; r++) for (let k = 0; k < c; k++) out[d++] = img.pixels[s + k];
    }
    for (let r = 1; r < f; r++) out.copyWithin(first + r * rowBytes, first, first + rowBytes);
  }
  return { width: W, height: H, channels: c, pixels: out };
}

/** Box filter: each output pixel is the mean of the source pixels whose centres it covers. */
function shrink(img: Raster, W: number, H: number): Raster {
  const { width: w, height: h, channels: c } = img;
  const xs = spans(w, W), ys = spans(h, H);
  const out = new Uint8Array(W * H * c);
  const sum = new Float64Array(c);
  for (let Y = 0; Y < H; Y++) {
    for (let X = 0; X < W; X++) {
      sum.fill(0);
      for (let y = ys[Y]; y < ys[Y + 1]; y++) {
        for (let x = xs[X]; x < xs[X + 1]; x++) {
          const s = (y * w + x) * c;
          for (let k = 0; k < c; k++) sum[k] += img.pixels[s + k];
        }
      }
      const n = (ys[Y + 1] - ys[Y]) * (xs[X + 1] - xs[X]);
      const d = (Y * W + X) * c;
      for (let k = 0; k < c; k++) out[d + k] = Math.round(sum[k] / n);
    }
  }
  return { width: W, height: H, channels: c, pixels: out };
}

/** Boundaries of `m` source spans over `n` pixels, each at least one pixel wide. */
function spans(n: number, m: number): Int32Array {
  const b = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) b[i] = Math.round((i * n) / m);
  for (let i = 1; i <= m; i++) if (b[i] <= b[i - 1]) b[i] = Math.min(n, b[i - 1] + 1);
  return b;
}
