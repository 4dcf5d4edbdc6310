import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMat } from '../../../../src/main/backend/importers/mat';
import { fixture, importError } from './helpers';
import { decodeGrayPng } from './png';
import { SHARED_DATA, concat, writeMat } from './writers';

const FACES = SHARED_DATA + 'faces/';
const read = (name: string) => readMat(fixture(`mat/${name}`), name);

/** The matrix make_fixtures.py saves as X, column-major as MATLAB stores it. */
const X_COLUMN_MAJOR = [0, 1, 2, 3].flatMap((j) => [0, 1, 2].map((i) => (i * 4 + j) / 4 - 1));

describe('readMat', () => {
  for (const name of ['vars.mat', 'vars-compressed.mat']) {
    it(`reads the numeric variables scipy saved in ${name}, skipping text and cells`, () => {
      const vars = read(name);
      expect([...vars.keys()].sort()).toEqual(['X', 'f32', 'i16', 'small', 'u8']);
      const X = vars.get('X')!;
      expect(X).toMatchObject({ dims: [3, 4], className: 'double', matlabClass: 'double' });
      expect(Array.from(X.data)).toEqual(X_COLUMN_MAJOR);
      expect(vars.get('u8')).toMatchObject({ dims: [1, 3], className: 'uint8', data: new Uint8Array([0, 255, 7]) });
      expect(vars.get('i16')).toMatchObject({ dims: [2, 1], className: 'int16', data: new Int16Array([-5, 300]) });
      expect(vars.get('f32')).toMatchObject({ dims: [1, 2], className: 'single', data: new Float32Array([0.5, 1.5]) });
      expect(Array.from(vars.get('small')!.data)).toEqual([1, 3, 2, 4]);
    });
  }

  it('reads a big-endian file with a small-element name', () => {
    const B = read('big-endian.mat').get('B')!;
    expect(B).toMatchObject({ dims: [2, 3], className: 'uint16' });
    expect(Array.from(B.data)).toEqual([1, 4, 2, 5, 3, 65535]);
  });

  it('round-trips both byte orders, compressed or not, and keeps the stored type', () => {
    const vars = [
      { name: 'd', dims: [2, 2], classCode: 6, miType: 9, values: [1.5, -2, 1e300, 0] },
      { name: 'd_as_u8', dims: [1, 3], classCode: 6, miType: 2, values: [0, 9, 255] },
      { name: 'i32', dims: [3, 1], classCode: 12, miType: 5, values: [-(2 ** 31), 0, 2 ** 31 - 1] },
      { name: 'u32', dims: [1, 1], classCode: 13, miType: 6, values: [2 ** 32 - 1] },
      { name: 'i8', dims: [1, 2], classCode: 8, miType: 1, values: [-128, 127] },
      { name: 's', dims: [1, 2, 2], classCode: 7, miType: 7, values: [0.25, -1, 3, 4] },
    ];
    for (const bigEndian of [false, true]) {
      for (const compress of [false, true]) {
        const out = readMat(writeMat(vars, { bigEndian, compress }), 'rt.mat');
        for (const v of vars) {
          const got = out.get(v.name)!;
          expect(got.dims).toEqual(v.dims);
          expect(Array.from(got.data)).toEqual(v.values);
        }
        expect(out.get('d_as_u8')).toMatchObject({ className: 'uint8', matlabClass: 'double' });
      }
    }
  });

  it('detects truncated files and elements', () => {
    expect(importError(() => read('truncated.mat')).code).toBe('truncated');
    expect(importError(() => read('short.mat')).code).toBe('truncated');
    expect(read('header-only.mat').size).toBe(0);
    expect(importError(() => read('truncated-compressed.mat')).code).toMatch(/^(truncated|bad-compression)$/);
  });

  it('rejects other formats and versions', () => {
    expect(importError(() => read('v4.mat')).code).toBe('bad-magic');
    const v73 = importError(() => read('v73-header.mat'));
    expect(v73.code).toBe('unsupported-version');
    expect(v73.message).toMatch(/-v7/);
    expect(importError(() => readMat(new Uint8Array(0), 'e.mat')).code).toBe('empty-file');
    expect(importError(() => readMat(new Uint8Array(200), 'z.mat')).code).toBe('bad-magic');
  });

  it('checks the data length against the dimensions', () => {
    const bad = writeMat([{ name: 'x', dims: [2, 3], classCode: 6, miType: 9, values: [1, 2, 3, 4, 5] }]);
    expect(importError(() => readMat(bad, 'bad.mat')).code).toBe('length-mismatch');
    const huge = writeMat([{ name: 'x', dims: [2 ** 31 - 1, 2 ** 31 - 1], classCode: 6, miType: 9, values: [1] }]);
    expect(importError(() => readMat(huge, 'huge.mat')).code).toBe('length-mismatch');
  });

  it('stops a compressed element that inflates past the budget', () => {
    const header = writeMat([]);
    const payload = new Uint8Array(deflateSync(Buffer.alloc(16 << 20)));
    const tag = new Uint8Array(8);
    new DataView(tag.buffer).setUint32(0, 15, true);
    new DataView(tag.buffer).setUint32(4, payload.length, true);
    const e = importError(() => readMat(concat([header, tag, payload]), 'bomb.mat', { budgetBytes: 1 << 20 }));
    expect(e).toMatchObject({ code: 'too-large', file: 'bomb.mat' });
  });

  it('refuses arrays larger than the budget', () => {
    expect(importError(() => readMat(fixture('mat/vars.mat'), 'vars.mat', { budgetBytes: 64 })).code).toBe('too-large');
  });
});

describe('Olivetti faces', () => {
  it('reads faces as uint8 4096×400 whose images are the reference PNGs', () => {
    const faces = readMat(new Uint8Array(readFileSync(FACES + 'olivettifaces.mat')), 'olivettifaces.mat').get('faces')!;
    expect(faces).toMatchObject({ dims: [4096, 400], className: 'uint8', matlabClass: 'double' });
    const files = readFileSync(FACES + 'olivetti/labels.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(files).toHaveLength(400);
    // faces.T.reshape(400, 64, 64).transpose(0, 2, 1): pixel (r, c) of image k is faces[c * 64 + r, k].
    for (let k = 0; k < 400; k++) {
      const png = decodeGrayPng(new Uint8Array(readFileSync(FACES + 'olivetti/' + files[k])));
      expect([png.width, png.height]).toEqual([64, 64]);
      let mismatches = 0;
      for (let r = 0; r < 64; r++) for (let c = 0; c < 64; c++) if (png.pixels[r * 64 + c] !== faces.data[k * 4096 + c * 64 + r]) mismatches++;
      expect(mismatches, files[k]).toBe(0);
    }
  });
});
