/**
 * Folder import on real files: listing, labels from sub-folders and from labels.csv, the four
 * kinds of bad file reported and skipped, resizing to the most common size, colour, and the
 * Olivetti faces read from their PNG folder equal to scikit-learn's values from the MAT file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImageSet } from '../../../src/main/backend/imagesets/build';
import { labelsFromCsv, listImageFolder, naturalCompare, parseLabelsCsv } from '../../../src/main/backend/imagesets/folder';
import { encodePng } from '../../../src/main/backend/imagesets/png';
import { readMat } from '../../../src/main/backend/importers/mat';
import type { ImageFileSpec, ImageImportTask } from '../../../src/shared/images';
import { writeBmp } from '../../unit/backend/importers/bmp-writer';
import { writePgm } from '../../unit/backend/importers/writers';
import { decodeGrayPng } from '../../unit/backend/importers/png';

const SHARED = join(__dirname, '../../../../shared/data');
const OLIVETTI = join(SHARED, 'faces/olivetti');

let dir: string;

const task = (files: ImageFileSpec[], over: Partial<ImageImportTask> = {}): ImageImportTask => ({
  kind: 'images',
  files,
  size: null,
  colour: 'grayscale',
  resize: 'stretch',
  maxPixels: 100_000_000,
  maxBytes: 2 ** 30,
  labelName: 'folder',
  ...over,
});

/** A 40,000 × 40,000 PNG header in front of a few bytes of data: a decoder must not try it. */
function hugePngHeader(): Uint8Array {
  const png = encodePng(2, 2, 1, new Uint8Array([0, 50, 100, 200]));
  const v = new DataView(png.buffer);
  v.setUint32(16, 40_000);
  v.setUint32(20, 40_000);
  return png;
}

/** 4×3 gray images with a ramp offset by `k`. */
const ramp = (k: number): Uint8Array => encodePng(4, 3, 1, Uint8Array.from({ length: 12 }, (_, j) => j * 20 + k));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-folder-'));
  mkdirSync(join(dir, 'cats'));
  mkdirSync(join(dir, 'dogs'));
  mkdirSync(join(dir, '.hidden'));
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, `cats/c${i + 1}.png`), ramp(i));
  writeFileSync(join(dir, 'cats/c10.png'), ramp(9));
  writeFileSync(join(dir, 'dogs/d1.pgm'), writePgm(4, 3, 255, Array.from({ length: 12 }, (_, j) => 240 - j * 10)));
  writeFileSync(join(dir, 'dogs/d2.bmp'), writeBmp({ width: 4, height: 3, channels: 1, bitCount: 8, pixels: Array.from({ length: 12 }, (_, j) => j * 3) }));
  // Another size: resized to the most common one (4×3).
  writeFileSync(join(dir, 'dogs/d3.png'), encodePng(8, 6, 1, Uint8Array.from({ length: 48 }, (_, j) => j * 5)));
  const jpeg = readFileSync(join(SHARED, 'images/photos/coffee.jpg'));
  writeFileSync(join(dir, 'dogs/truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  writeFileSync(join(dir, 'cats/empty.png'), '');
  writeFileSync(join(dir, 'dogs/notes.png'), 'these are my notes, not a picture\n');
  writeFileSync(join(dir, 'dogs/huge.png'), hugePngHeader());
  writeFileSync(join(dir, 'readme.txt'), 'not an image');
  writeFileSync(join(dir, '.hidden/x.png'), ramp(0));
  symlinkSync('/etc/hostname', join(dir, 'cats/outside.png'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listing a folder of images', () => {
  it('lists images in natural order with their sub-folder, leaving out hidden entries, other files and links to outside', async () => {
    const l = await listImageFolder(dir);
    expect(l.images.map((i) => i.name)).toEqual([
      'cats/c1.png', 'cats/c2.png', 'cats/c3.png', 'cats/c10.png', 'cats/empty.png',
      'dogs/d1.pgm', 'dogs/d2.bmp', 'dogs/d3.png', 'dogs/huge.png', 'dogs/notes.png', 'dogs/truncated.jpg',
    ]);
    expect(l.images.every((i) => i.folderLabel === i.name.split('/')[0])).toBe(true);
    expect(l.ignored).toBe(1);
    expect(l.problems).toEqual([{ file: 'cats/outside.png', reason: 'a link to outside the folder' }]);
    expect(l.labelsCsv).toBeNull();
  });

  it('orders runs of digits by value', () => {
    expect(['img10', 'img2', 'img1', 'img02'].sort(naturalCompare)).toEqual(['img1', 'img2', 'img02', 'img10']);
  });

  it('reads labels.csv with a header naming the file and label columns, and matches bare names', () => {
    const csv = parseLabelsCsv('file,person\np00_0.png,0\nsub/p01_0.png,1\n', 'labels.csv');
    expect(csv).toMatchObject({ fileColumn: 'file', labelColumn: 'person' });
    const imgs = [{ path: '', name: 'a/p00_0.png', folderLabel: 'a' }, { path: '', name: 'sub/p01_0.png', folderLabel: 'sub' }, { path: '', name: 'x.png', folderLabel: null }];
    expect(labelsFromCsv(imgs, csv)).toEqual(['0', '1', null]);
    expect(parseLabelsCsv('img.png;cat\nimg2.png;dog\n', 'l.csv').labels.get('img2.png')).toBe('dog');
    expect(() => parseLabelsCsv('a,b\n1,2\n', 'l.csv')).toThrow(/needs a header with a file column/);
    expect(() => parseLabelsCsv('file,label\nx.png,a\nx.png,b\n', 'l.csv')).toThrow(/labeled both a and b/);
  });
});

describe('importing a folder', () => {
  it('reports the truncated JPEG, the empty file, the text named .png and the 40,000 × 40,000 header, and imports the rest', async () => {
    const l = await listImageFolder(dir);
    const r = await buildImageSet(task(l.images.map((i) => ({ path: i.path, name: i.name, label: i.folderLabel }))));
    expect(r.skipped.map((s) => s.file)).toEqual(['cats/empty.png', 'dogs/huge.png', 'dogs/notes.png', 'dogs/truncated.jpg']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['cats/empty.png']).toBe('the file is empty');
    expect(reasons['dogs/notes.png']).toBe('not a PNG image: the file holds text');
    expect(reasons['dogs/huge.png']).toMatch(/40000×40000, more than the 100,000,000 pixels allowed \(refused before decoding\)/);
    expect(reasons['dogs/truncated.jpg']).toMatch(/JPEG data ends early/);
    expect(r.names).toEqual(['cats/c1.png', 'cats/c2.png', 'cats/c3.png', 'cats/c10.png', 'dogs/d1.pgm', 'dogs/d2.bmp', 'dogs/d3.png']);
    expect(r.labels).toEqual(['cats', 'cats', 'cats', 'cats', 'dogs', 'dogs', 'dogs']);
    expect({ w: r.width, h: r.height, c: r.channels, rows: r.X.rows, cols: r.X.cols, resized: r.resized }).toEqual({ w: 4, h: 3, c: 1, rows: 7, cols: 12, resized: 1 });
    expect(r.X.data).toBeInstanceOf(Float32Array);
  });

  it('scales every value by the set\'s minimum and maximum, like scikit-learn\'s Olivetti faces', async () => {
    const files = ['cats/c1.png', 'cats/c10.png', 'dogs/d1.pgm', 'dogs/d2.bmp'].map((n) => ({ path: join(dir, n), name: n, label: null }));
    const r = await buildImageSet(task(files));
    // Raw values: ramps 0..220 and 9..229, the PGM 240..130, the BMP 0..33: min 0, max 240.
    expect(r.scale).toEqual({ min: 0, max: 240 });
    expect(r.labels).toBeNull();
    expect(Array.from(r.X.data.subarray(12, 24))).toEqual(Array.from({ length: 12 }, (_, j) => Math.fround((j * 20 + 9) / 240)));
    expect(Array.from(r.X.data.subarray(24, 36))).toEqual(Array.from({ length: 12 }, (_, j) => Math.fround((240 - j * 10) / 240)));
    expect(Array.from(r.X.data.subarray(36, 48))).toEqual(Array.from({ length: 12 }, (_, j) => Math.fround((j * 3) / 240)));
  });

  it('keeps each row\'s thumbnail as a PNG of the image as the dataset holds it, enlarged by a whole factor', async () => {
    const r = await buildImageSet(task([{ path: join(dir, 'cats/c1.png'), name: 'cats/c1.png', label: null }]));
    const png = decodeGrayPng(r.thumbnails.subarray(r.thumbnailOffsets[0], r.thumbnailOffsets[1]));
    expect({ w: png.width, h: png.height }).toEqual({ w: 64, h: 48 });
    expect(png.pixels[0]).toBe(0);
    expect(png.pixels[16 * 3]).toBe(60); // column 3 of the first row, enlarged 16 times
  });

  it('brings images to a chosen size and to colour (RGB, channels interleaved)', async () => {
    const files = [{ path: join(dir, 'dogs/d3.png'), name: 'd3.png', label: null }, { path: join(dir, 'cats/c1.png'), name: 'c1.png', label: null }];
    const r = await buildImageSet(task(files, { size: { width: 8, height: 6 }, colour: 'rgb' }));
    expect({ w: r.width, h: r.height, c: r.channels, cols: r.X.cols, resized: r.resized }).toEqual({ w: 8, h: 6, c: 3, cols: 144, resized: 1 });
    expect(r.featureNames.slice(0, 4)).toEqual(['p0_r', 'p0_g', 'p0_b', 'p1_r']);
    // A gray source is the same in every channel, and the image at its own size is not resampled.
    for (let j = 0; j < 48; j++) {
      const px = r.X.data.subarray(j * 3, j * 3 + 3);
      expect(px[0]).toBe(px[1]);
      expect(px[1]).toBe(px[2]);
    }
    expect(r.X.data[3 * 47] * (r.scale!.max - r.scale!.min) + r.scale!.min).toBeCloseTo(235, 3);
  });

  it('refuses a matrix beyond the memory budget before decoding anything', async () => {
    const files = Array.from({ length: 10 }, (_, i) => ({ path: join(dir, 'cats/c1.png'), name: `c${i}.png`, label: null }));
    await expect(buildImageSet(task(files, { size: { width: 512, height: 512 }, colour: 'rgb', maxBytes: 1 << 20 }))).rejects.toThrow(
      /10 images of 512×512 in colour take 30\.0 MiB, more than the 1\.0 MiB memory budget/,
    );
  });

  it('reads the Olivetti PNG folder as 400 × 4096 with person labels, equal to scikit-learn\'s faces from the MAT file', async () => {
    const l = await listImageFolder(OLIVETTI);
    expect(l.labelsCsv).toMatchObject({ fileColumn: 'file', labelColumn: 'person' });
    const labels = labelsFromCsv(l.images, l.labelsCsv!);
    const r = await buildImageSet(task(l.images.map((i, k) => ({ path: i.path, name: i.name, label: labels[k] })), { labelName: 'person' }));
    expect({ rows: r.X.rows, cols: r.X.cols, w: r.width, h: r.height, skipped: r.skipped.length }).toEqual({ rows: 400, cols: 4096, w: 64, h: 64, skipped: 0 });
    expect(r.labels).toEqual(Array.from({ length: 400 }, (_, k) => String(Math.floor(k / 10))));
    expect(r.scale).toEqual({ min: 0, max: 242 });
    // sklearn: faces = mat['faces'].T (400, 4096) as float32, minus its min, over its max; the
    // image of row k is faces[k].reshape(64, 64).T (the MAT stores each face column-major).
    const faces = readMat(new Uint8Array(readFileSync(join(SHARED, 'faces/olivettifaces.mat'))), 'olivettifaces.mat').get('faces')!;
    expect(faces.dims).toEqual([4096, 400]);
    let mismatches = 0;
    for (let k = 0; k < 400; k++) {
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          if (r.X.data[k * 4096 + y * 64 + x] !== Math.fround(faces.data[x * 64 + y + 4096 * k] / 242)) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });
});
