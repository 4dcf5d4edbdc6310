/**
 * A BMP writer for the tests of the BMP reader: every layout the reader accepts (8-bit palette,
 * 24-bit, 32-bit plain or with masks; 12-, 40-, 108- and 124-byte headers; bottom-up or
 * top-down), written from the format's description, not from the reader.
 */

export interface BmpWriteOptions {
  width: number;
  height: number;
  /** Top row first, `channels` interleaved samples per pixel (1 = gray, 3 = RGB, 4 = RGBA). */
  pixels: ArrayLike<number>;
  channels: 1 | 3 | 4;
  bitCount: 8 | 24 | 32;
  topDown?: boolean;
  headerSize?: 12 | 40 | 108 | 124;
  /** 32-bit only: write BI_BITFIELDS masks (B, G, R, A bytes in the standard places). */
  bitfields?: boolean;
  /** 8-bit only: the palette as RGB triples; default: the distinct colours of `pixels`. */
  palette?: number[][];
}

export function writeBmp(o: BmpWriteOptions): Uint8Array {
  const headerSize = o.headerSize ?? 40;
  const { width, height, channels, bitCount } = o;
  const rgba = (i: number): number[] =>
    channels === 1 ? [o.pixels[i], o.pixels[i], o.pixels[i], 255] : [o.pixels[i * channels], o.pixels[i * channels + 1], o.pixels[i * channels + 2], channels === 4 ? o.pixels[i * channels + 3] : 255];
  let palette: number[][] = [];
  if (bitCount === 8) {
    if (o.palette) palette = o.palette;
    else {
      const seen = new Map<string, number>();
      for (let i = 0; i < width * height; i++) {
        const c = rgba(i).slice(0, 3);
        if (!seen.has(c.join())) seen.set(c.join(), seen.size);
      }
      palette = [...seen.keys()].map((k) => k.split(',').map(Number));
    }
  }
  const masksAfter = o.bitfields && headerSize === 40 ? 12 : 0;
  const entryBytes = headerSize === 12 ? 3 : 4;
  const paletteBytes = palette.length * entryBytes;
  const rowBytes = Math.ceil((width * bitCount) / 32) * 4;
  const offset = 14 + headerSize + masksAfter + paletteBytes;
  const size = offset + rowBytes * height;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, size, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, headerSize, true);
  if (headerSize === 12) {
    v.setUint16(18, width, true);
    v.setInt16(20, o.topDown ? -height : height, true);
    v.setUint16(22, 1, true);
    v.setUint16(24, bitCount, true);
  } else {
    v.setInt32(18, width, true);
    v.setInt32(22, o.topDown ? -height : height, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, bitCount, true);
    v.setUint32(30, o.bitfields ? 3 : 0, true);
    v.setUint32(34, rowBytes * height, true);
    v.setUint32(46, bitCount === 8 ? palette.length : 0, true);
    if (o.bitfields) {
      const masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
      masks.slice(0, headerSize === 40 ? 3 : 4).forEach((m, i) => v.setUint32(54 + 4 * i, m >>> 0, true));
    }
  }
  palette.forEach(([r, g, b], i) => {
    const at = 14 + headerSize + masksAfter + i * entryBytes;
    out[at] = b;
    out[at + 1] = g;
    out[at + 2] = r;
  });
  const index = new Map(palette.map((c, i) => [c.join(), i]));
  for (let y = 0; y < height; y++) {
    const row = offset + (o.topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = rgba(y * width + x);
      if (bitCount === 8) out[row + x] = index.get([r, g, b].join()) ?? 0;
      else if (bitCount === 24) out.set([b, g, r], row + 3 * x);
      else out.set([b, g, r, o.bitfields ? a : 0], row + 4 * x);
    }
  }
  return out;
}
