import { describe, expect, it } from 'vitest';
import { readBmp } from '../../../../src/main/backend/importers/bmp';
import { importError } from './helpers';
import { writeBmp } from './bmp-writer';

/** The 2×2 24-bit example of the BMP article on Wikipedia, byte for byte: bottom row red, white; top row blue, green. */
const WIKIPEDIA_2X2 = new Uint8Array([
  0x42, 0x4d, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0x00, 0x00, 0x00,
  0x28, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x18, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x13, 0x0b, 0x00, 0x00, 0x13, 0x0b, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
  0xff, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00,
]);

/** A 5×3 RGB test card (odd width: every row is padded). */
const W = 5, H = 3;
const RGB = Array.from({ length: W * H * 3 }, (_, i) => (i * 53 + 7) % 256);
const GRAY = Array.from({ length: W * H }, (_, i) => (i * 17) % 256);

describe('readBmp', () => {
  it('reads the 24-bit bottom-up example of the format description', () => {
    const img = readBmp(WIKIPEDIA_2X2, 'wiki.bmp');
    expect(img).toMatchObject({ width: 2, height: 2, channels: 3 });
    expect(Array.from(img.pixels)).toEqual([0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255]);
  });

  it('reads 24-bit rows padded to 4 bytes, bottom-up and top-down alike', () => {
    for (const topDown of [false, true]) {
      const img = readBmp(writeBmp({ width: W, height: H, pixels: RGB, channels: 3, bitCount: 24, topDown }), 'c.bmp');
      expect(img.channels).toBe(3);
      expect(Array.from(img.pixels)).toEqual(RGB);
    }
  });

  it('reads an 8-bit palette of grays as one channel, and a colour palette as RGB', () => {
    const gray = readBmp(writeBmp({ width: W, height: H, pixels: GRAY, channels: 1, bitCount: 8 }), 'g.bmp');
    expect(gray.channels).toBe(1);
    expect(Array.from(gray.pixels)).toEqual(GRAY);
    const colours = [[255, 0, 0], [0, 128, 255], [10, 20, 30]];
    const px = Array.from({ length: W * H }, (_, i) => colours[i % 3]).flat();
    const colour = readBmp(writeBmp({ width: W, height: H, pixels: px, channels: 3, bitCount: 8, topDown: true }), 'p.bmp');
    expect(colour.channels).toBe(3);
    expect(Array.from(colour.pixels)).toEqual(px);
  });

  it('reads the OS/2 core header with its 3-byte palette entries', () => {
    const img = readBmp(writeBmp({ width: W, height: H, pixels: GRAY, channels: 1, bitCount: 8, headerSize: 12 }), 'core.bmp');
    expect(Array.from(img.pixels)).toEqual(GRAY);
    const rgb = readBmp(writeBmp({ width: W, height: H, pixels: RGB, channels: 3, bitCount: 24, headerSize: 12 }), 'core24.bmp');
    expect(Array.from(rgb.pixels)).toEqual(RGB);
  });

  it('reads 32-bit BGRX as RGB, ignoring the unused fourth byte', () => {
    const img = readBmp(writeBmp({ width: W, height: H, pixels: RGB, channels: 3, bitCount: 32 }), 'x.bmp');
    expect(img.channels).toBe(3);
    expect(Array.from(img.pixels)).toEqual(RGB);
  });

  it('reads 32-bit bit fields with alpha from V4 and V5 headers as RGBA', () => {
    const rgba = Array.from({ length: W * H * 4 }, (_, i) => (i % 4 === 3 ? (i * 31) % 256 : (i * 11) % 256));
    for (const headerSize of [108, 124] as const) {
      const img = readBmp(writeBmp({ width: W, height: H, pixels: rgba, channels: 4, bitCount: 32, bitfields: true, headerSize }), 'a.bmp');
      expect(img.channels).toBe(4);
      expect(Array.from(img.pixels)).toEqual(rgba);
    }
  });

  it('makes an image whose alpha channel is all zero opaque', () => {
    const rgba = Array.from({ length: W * H * 4 }, (_, i) => (i % 4 === 3 ? 0 : i % 256));
    const img = readBmp(writeBmp({ width: W, height: H, pixels: rgba, channels: 4, bitCount: 32, bitfields: true, headerSize: 124 }), 'z.bmp');
    for (let i = 3; i < img.pixels.length; i += 4) expect(img.pixels[i]).toBe(255);
  });

  it('reads RGB masks that follow a 40-byte header', () => {
    const img = readBmp(writeBmp({ width: W, height: H, pixels: RGB, channels: 3, bitCount: 32, bitfields: true }), 'm.bmp');
    expect(img.channels).toBe(3);
    expect(Array.from(img.pixels)).toEqual(RGB);
  });

  it('scales masks narrower than 8 bits to 0..255 (5-6-5 inside 32 bits)', () => {
    const bytes = writeBmp({ width: 1, height: 1, pixels: [0, 0, 0], channels: 3, bitCount: 32, bitfields: true });
    const v = new DataView(bytes.buffer);
    v.setUint32(54, 0xf800, true);
    v.setUint32(58, 0x07e0, true);
    v.setUint32(62, 0x001f, true);
    v.setUint32(v.getUint32(10, true), 0xf800 | (32 << 5) | 0, true);
    expect(Array.from(readBmp(bytes, 'rgb565.bmp').pixels)).toEqual([255, 130, 0]);
  });

  it('tolerates wrong file-size and image-size fields and bytes after the pixels', () => {
    const bytes = writeBmp({ width: W, height: H, pixels: RGB, channels: 3, bitCount: 24 });
    const v = new DataView(bytes.buffer);
    v.setUint32(2, 0, true);
    v.setUint32(34, 0, true);
    const padded = new Uint8Array([...bytes, 0, 0]);
    expect(Array.from(readBmp(padded, 'loose.bmp').pixels)).toEqual(RGB);
  });

  describe('refuses, with a reason naming the file', () => {
    const valid = (): Uint8Array => writeBmp({ width: W, height: H, pixels: RGB, channels: 3, bitCount: 24 });
    const patch = (set: (v: DataView) => void): Uint8Array => {
      const b = valid();
      set(new DataView(b.buffer));
      return b;
    };

    it('an empty file and a file that is not a bitmap', () => {
      expect(importError(() => readBmp(new Uint8Array(0), 'e.bmp'))).toMatchObject({ code: 'empty-file', message: 'e.bmp: the file is empty' });
      expect(importError(() => readBmp(new TextEncoder().encode('hello, world'), 't.bmp')).code).toBe('bad-magic');
    });

    it('a file cut inside its headers or its rows', () => {
      const b = valid();
      expect(importError(() => readBmp(b.subarray(0, 20), 'h.bmp')).code).toBe('truncated');
      const e = importError(() => readBmp(b.subarray(0, b.length - 1), 'r.bmp'));
      expect(e.code).toBe('truncated');
      expect(e.message).toMatch(/^r\.bmp: 3 rows of 16 bytes need 48 bytes but only 47 follow/);
    });

    it('compressed and 1-, 4- and 16-bit bitmaps, which it does not read', () => {
      expect(importError(() => readBmp(patch((v) => v.setUint32(30, 1, true)), 'rle.bmp')).message).toMatch(/RLE8-compressed/);
      for (const bits of [1, 4, 16]) {
        expect(importError(() => readBmp(patch((v) => v.setUint16(28, bits, true)), 'b.bmp'))).toMatchObject({ code: 'unsupported-dtype' });
      }
    });

    it('a header size it does not know (OS/2 2.x, 64 bytes)', () => {
      expect(importError(() => readBmp(patch((v) => v.setUint32(14, 64, true)), 'os2.bmp')).code).toBe('unsupported-version');
    });

    it('zero or negative sizes and more planes than one', () => {
      expect(importError(() => readBmp(patch((v) => v.setInt32(18, 0, true)), 'w.bmp')).code).toBe('bad-header');
      expect(importError(() => readBmp(patch((v) => v.setInt32(18, -5, true)), 'w.bmp')).code).toBe('bad-header');
      expect(importError(() => readBmp(patch((v) => v.setInt32(22, 0, true)), 'h.bmp')).code).toBe('bad-header');
      expect(importError(() => readBmp(patch((v) => v.setUint16(26, 2, true)), 'p.bmp')).code).toBe('bad-header');
    });

    it('a 40,000 × 40,000 header before allocating anything', () => {
      const b = patch((v) => {
        v.setInt32(18, 40_000, true);
        v.setInt32(22, 40_000, true);
      });
      const e = importError(() => readBmp(b, 'huge.bmp'));
      expect(e.code).toBe('too-large');
      expect(e.message).toMatch(/40000×40000, more than the 100,000,000 pixels allowed/);
      expect(importError(() => readBmp(valid(), 'small-limit.bmp', { maxPixels: 14 })).code).toBe('too-large');
    });

    it('a pixel offset inside the headers or past the end', () => {
      expect(importError(() => readBmp(patch((v) => v.setUint32(10, 20, true)), 'o.bmp')).code).toBe('bad-header');
      expect(importError(() => readBmp(patch((v) => v.setUint32(10, 1_000_000, true)), 'o.bmp')).code).toBe('truncated');
    });

    it('palette indices beyond the palette, and too many palette colours', () => {
      const b = writeBmp({ width: 2, height: 1, pixels: [1, 2], channels: 1, bitCount: 8 });
      const offset = new DataView(b.buffer).getUint32(10, true);
      b[offset + 1] = 7;
      expect(importError(() => readBmp(b, 'idx.bmp')).message).toBe('idx.bmp: the pixel at row 1, column 2 uses colour 7 of a 2-colour palette');
      const c = writeBmp({ width: 2, height: 1, pixels: [1, 2], channels: 1, bitCount: 8 });
      new DataView(c.buffer).setUint32(46, 300, true);
      expect(importError(() => readBmp(c, 'pal.bmp')).code).toBe('bad-header');
    });

    it('masks that are not one run of bits, or all zero', () => {
      const b = writeBmp({ width: 1, height: 1, pixels: [1, 2, 3], channels: 3, bitCount: 32, bitfields: true });
      new DataView(b.buffer).setUint32(54, 0x00ff00ff, true);
      expect(importError(() => readBmp(b, 'mask.bmp')).message).toMatch(/red mask 0xff00ff is not one run/);
      const z = writeBmp({ width: 1, height: 1, pixels: [1, 2, 3], channels: 3, bitCount: 32, bitfields: true });
      for (const at of [54, 58, 62]) new DataView(z.buffer).setUint32(at, 0, true);
      expect(importError(() => readBmp(z, 'zero.bmp')).code).toBe('bad-header');
    });
  });
});
