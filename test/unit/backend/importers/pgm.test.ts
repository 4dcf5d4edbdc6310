import { describe, expect, it } from 'vitest';
import { readPgm } from '../../../../src/main/backend/importers/pgm';
import { fixture, importError, utf8 } from './helpers';
import { writePgm } from './writers';

const read = (name: string) => readPgm(fixture(`pgm/${name}`), name);

describe('readPgm', () => {
  it('reads a binary 8-bit image with comments in its header', () => {
    const img = read('p5-comments.pgm');
    expect({ w: img.width, h: img.height, maxval: img.maxval }).toEqual({ w: 3, h: 2, maxval: 255 });
    expect(img.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(img.pixels)).toEqual([0, 10, 20, 30, 40, 250]);
  });

  it('reads 16-bit samples as big-endian into a Uint16Array', () => {
    const img = read('p5-16bit.pgm');
    expect(img.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(img.pixels)).toEqual([0, 1, 256, 65535]);
  });

  it('reads the plain (ASCII) format', () => {
    const img = read('p2.pgm');
    expect({ w: img.width, h: img.height, maxval: img.maxval }).toEqual({ w: 3, h: 2, maxval: 9 });
    expect(Array.from(img.pixels)).toEqual([0, 1, 2, 3, 4, 9]);
  });

  it('round-trips what a writer writes, binary and plain', () => {
    const px = Array.from({ length: 12 }, (_, i) => (i * 37) % 300);
    for (const plain of [false, true]) {
      const img = readPgm(writePgm(4, 3, 299, px, plain), 'w.pgm');
      expect(Array.from(img.pixels)).toEqual(px);
    }
  });

  it('takes a comment right after maxval, its line break ending the header', () => {
    const bytes = new Uint8Array([...utf8('P5 2 1 255#note\n'), 7, 9]);
    expect(Array.from(readPgm(bytes, 'c.pgm').pixels)).toEqual([7, 9]);
  });

  it('detects truncated and overlong rasters', () => {
    expect(importError(() => read('truncated.pgm')).code).toBe('truncated');
    expect(importError(() => readPgm(utf8('P5 2 2 255\n'), 't.pgm')).code).toBe('truncated');
    expect(importError(() => readPgm(utf8('P5 2 2'), 't.pgm')).code).toBe('truncated');
    expect(importError(() => readPgm(utf8('P2 2 2 9\n1 2 3'), 't.pgm')).code).toBe('truncated');
    expect(importError(() => readPgm(new Uint8Array([...utf8('P5 1 1 255\n'), 1, 2]), 'l.pgm')).code).toBe('length-mismatch');
    expect(importError(() => readPgm(utf8('P2 1 1 9\n1 2\n'), 'l.pgm')).code).toBe('length-mismatch');
  });

  it('refuses dimensions past the pixel cap before allocating', () => {
    const e = importError(() => read('huge.pgm'));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/^huge\.pgm: the image is 200000×200000/);
    expect(importError(() => readPgm(writePgm(4, 4, 255, new Array(16).fill(0)), 'c.pgm', { maxPixels: 15 })).code).toBe('too-large');
  });

  it('refuses samples above maxval', () => {
    expect(importError(() => read('above-maxval.pgm')).code).toBe('bad-value');
    expect(importError(() => readPgm(new Uint8Array([...utf8('P5 1 1 100\n'), 101]), 'm.pgm')).code).toBe('bad-value');
  });

  it('rejects malformed headers and other formats', () => {
    expect(importError(() => read('p6-color.ppm')).code).toBe('bad-magic');
    expect(importError(() => readPgm(new Uint8Array(0), 'e.pgm')).code).toBe('empty-file');
    for (const bad of ['P5 0 2 255\n', 'P5 2 2 0\n', 'P5 2 2 65536\n', 'P52 2 255\n', 'P5 2x 2 255\n', 'P5 -2 2 255\n', 'P5 99999999999 1 255\n', 'P5 2 2 255x']) {
      expect(importError(() => readPgm(utf8(bad + '\0\0\0\0'), 'h.pgm')).code, bad).toBe('bad-header');
    }
    expect(importError(() => readPgm(utf8('P2 2 1 9\n1 x\n'), 'v.pgm')).code).toBe('bad-value');
  });
});
