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
  const candidate = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    const out = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    out.set(row);
    let best = 0, bestCost = cost(row);
    // Sub: the difference to the sample one pixel to the left.
    for (let i = 0; i < stride; i++) candidate[i] = row[i] - (i >= channels ? row[i - channels] : 0);
    const sub = cost(candidate);
    if (sub < bestCost) {
      best = 1;
      bestCost = sub;
      out.set(candidate);
    }
    if (prev) {
      for (let i = 0; i < stride; i++) candidate[i] = row[i] - prev[i];
      if (cost(candidate) < bestCost) {
        best = 2;
        out.set(candidate);
      }
    }
    raw[y * (stride + 1)] = best;
  }
  const idat = deflateSync(raw);
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  return concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** The filter heuristic: filtered bytes read as signed, the sum of their magnitudes. */
function cost(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s += bytes[i] < 128 ? bytes[i] : 256 - bytes[i];
  return s;
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
