/**
 * A small PNG encoder for thumbnails: 8-bit gray or RGB, one IDAT, each row filtered with
 * whichever of None, Sub and Up gives the smallest sum of absolute values (libpng's heuristic).
 * Thumbnails are tiny and many (70,000 for MNIST): encoding them here costs tens of
 * microseconds each, where a round trip through sharp costs milliseconds.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Encodes `pixels` (top row first, `channels` interleaved 8-bit samples per pixel) as a PNG.
 * @param channels 1 (gray) or 3 (RGB)
 */
export function encodePng(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Uint8Array {
  if (!(Number.isInteger(width) && width >= 1 && Number.isInteger(height) && height >= 1)) throw new RangeError(`a PNG is at least 1×1, got ${width}×${height}`);
  const stride = width * channels;
  if (pixels.length !== stride * height) throw new RangeError(`${pixels.length} samples for a ${width}×${height}×${channels} image`);
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const src = y * stride, dst = y * (stride + 1) + 1;
    // Index loops, no subarrays: this runs for every row of tens of thousands of thumbnails.
    let none = 0, sub = 0, up = 0;
    for (let i = 0; i < stride; i++) {
      const v = pixels[src + i];
      const s = (v - (i >= channels ? pixels[src + i - channels] : 0)) & 0xff;
      const u = (v - (y > 0 ? pixels[src - stride + i] : 0)) & 0xff;
      none += v < 128 ? v : 256 - v;
      sub += s < 128 ? s : 256 - s;
      up += u < 128 ? u : 256 - u;
    }
    const filter = sub < none && sub <= up ? 1 : up < none && y > 0 ? 2 : 0;
    raw[dst - 1] = filter;
    for (let i = 0; i < stride; i++) {
      const v = pixels[src + i];
      raw[dst + i] = filter === 0 ? v : filter === 1 ? v - (i >= channels ? pixels[src + i - channels] : 0) : v - pixels[src - stride + i];
    }
  }
  // A small window for small images: less zlib state to set up per thumbnail, the same output size.
  const idat = deflateSync(raw, raw.length <= 4096 ? { windowBits: 12, memLevel: 5 } : {});
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  return concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
