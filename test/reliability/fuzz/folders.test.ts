/**
 * Fuzzing the image-folder import as the app runs it: the listing of a folder
 * (`listImageFolder`), its labels.csv (`parseLabelsCsv`), and the decoding of each file
 * (`decodeImage`, what `buildImageSet` — the worker's image task — calls per file: sharp for
 * PNG, JPEG and WebP behind the header check, the strict PGM and BMP readers otherwise), down
 * to whole folders built into a dataset (`buildImageSet`, header pass included).
 *
 * The runs are split by cost. Decoding goes through sharp (a native call on its thread pool,
 * about a millisecond a file), and a whole folder costs a temp folder on disk, a listing and a
 * build, tens of milliseconds: 10,000 of those would not fit the ~40 s this file may take. So:
 *
 * - FUZZ_RUNS (10,000) labels CSVs to `parseLabelsCsv`: structured CSVs (headers, delimiters,
 *   BOM, line ends, ragged rows, quotes, empty labels, Windows paths), half of them as written
 *   and half mutated by the harness, decoded from bytes as `readFile(…, 'utf8')` does (invalid
 *   UTF-8 included);
 * - FUZZ_RUNS files to `decodeImage`, bytes in memory, with `readImageHeaderOf` (the header
 *   reader of the size pass) on the same bytes: small valid PNG/JPEG/WebP made with sharp and
 *   `encodePng`, PGM and BMP from the test writers, mutated by the harness, or random;
 * - FUZZ_RUNS / 20 (500) decompression-bomb headers: a valid file whose header claims a huge
 *   size (60000×60000, 2³²−1, or just under the pixel limit) in front of a few bytes of data,
 *   decoded with the app's own limit: refused or failed fast, never decoded;
 * - FUZZ_RUNS / 33 (300) whole folders on disk: a few such files under image extensions with
 *   odd names (unicode, spaces, dots, back-slashes, hidden files, sub-folders as labels, folders
 *   past the depth limit), links (broken, outside, loops), other files, and a labels.csv of
 *   garbage or one written from the folder's names (which must then label every image); listed,
 *   labelled as the service does, and built as the worker does.
 *
 * A header claiming 100,000,000 × 1 is within the pixel limit; libvips then cannot shrink it to
 * the target and prints a GLib-CRITICAL line on stderr before failing: that is expected noise,
 * and the file is still reported as an ImportError.
 *
 * Required: no uncaught exception and no error other than an ImportError naming the file (for a
 * file) or `images` (the whole folder refused); every image the listing found is either a row of
 * the dataset or a skipped file with a reason; the listing finds exactly the files written; no
 * call slower than the harness's hang limit. `parseLabelsCsv` throws plain Errors whose message
 * starts with the CSV's name (the listing keeps the message as `labelsCsvError`): they are
 * counted as rejections under an ImportError code here, and any other error is a failure.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/math/random';
import { buildImageSet } from '../../../src/main/backend/imagesets/build';
import { decodeImage, type DecodedImage, type ImageTarget } from '../../../src/main/backend/imagesets/decode';
import { labelsFromCsv, listImageFolder, naturalCompare, parseLabelsCsv, unmatchedCsvRows, type LabelsCsv } from '../../../src/main/backend/imagesets/folder';
import { IMAGE_EXTENSIONS, readImageHeaderOf, type ImageHeader } from '../../../src/main/backend/imagesets/formats';
import { encodePng } from '../../../src/main/backend/imagesets/png';
import { ImportError, type ImportErrorCode } from '../../../src/main/backend/importers/errors';
import { DEFAULT_MAX_PIXELS } from '../../../src/main/backend/importers/pgm';
import type { ImageFileSpec, ImageSetResult } from '../../../src/shared/images';
import { writeBmp } from '../../unit/backend/importers/bmp-writer';
import { writePgm } from '../../unit/backend/importers/writers';
import { FUZZ_RUNS, FuzzStats, HANG_MS, fcParams, fuzzInputs, tokens, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const enc = new TextEncoder();
const ascii = (s: string): Uint8Array => enc.encode(s);

// ---------------------------------------------------------------------------------------------
// Valid small images, the seeds of the mutations.

type Kind = 'png' | 'jpeg' | 'webp' | 'pgm' | 'bmp';
interface Seed {
  kind: Kind;
  bytes: Uint8Array;
}

function randomPixels(n: number, seed: number): Uint8Array {
  const r = new Random(seed);
  return Uint8Array.from({ length: n }, () => r.int(256));
}

/** PNG, JPEG and WebP in the variants sharp writes (alpha, palette, 16-bit, progressive, lossless, VP8X). */
async function sharpSeeds(): Promise<Seed[]> {
  const out: Seed[] = [];
  const sizes = [
    [1, 1],
    [3, 2],
    [7, 5],
    [16, 9],
  ];
  for (const [k, [w, h]] of sizes.entries()) {
    const rgb = () => sharp(Buffer.from(randomPixels(w * h * 3, k)), { raw: { width: w, height: h, channels: 3 } });
    const rgba = () => sharp(Buffer.from(randomPixels(w * h * 4, k + 10)), { raw: { width: w, height: h, channels: 4 } });
    const gray = () => sharp(Buffer.from(randomPixels(w * h, k + 20)), { raw: { width: w, height: h, channels: 1 } });
    const made: Array<[Kind, Promise<Buffer>]> = [
      ['png', rgba().png().toBuffer()],
      ['png', rgb().png({ palette: true }).toBuffer()],
      ['png', rgb().toColourspace('rgb16').png().toBuffer()],
      ['png', gray().png().toBuffer()],
      ['jpeg', rgb().jpeg({ quality: 60 }).toBuffer()],
      ['jpeg', rgb().jpeg({ progressive: true }).toBuffer()],
      ['jpeg', gray().jpeg().toBuffer()],
      ['webp', rgb().webp({ quality: 50 }).toBuffer()],
      ['webp', rgb().webp({ lossless: true }).toBuffer()],
      ['webp', rgba().webp({ quality: 50 }).toBuffer()],
    ];
    for (const [kind, p] of made) {
      const b = await p;
      out.push({ kind, bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice() });
    }
  }
  return out;
}

/** Images from the repository's own writers, of random size and content. */
const writerSeeds: fc.Arbitrary<Seed> = fc
  .record({
    kind: fc.constantFrom('png1', 'png3', 'pgm8', 'pgm16', 'pgm-plain', 'bmp8', 'bmp24', 'bmp32') as fc.Arbitrary<string>,
    width: fc.integer({ min: 1, max: 10 }),
    height: fc.integer({ min: 1, max: 10 }),
    seed: fc.integer(),
  })
  .map(({ kind, width, height, seed }): Seed => {
    const n = width * height;
    const px = randomPixels(n * 4, seed);
    switch (kind) {
      case 'png1':
        return { kind: 'png', bytes: encodePng(width, height, 1, px.subarray(0, n)) };
      case 'png3':
        return { kind: 'png', bytes: encodePng(width, height, 3, px.subarray(0, 3 * n)) };
      case 'pgm8':
        return { kind: 'pgm', bytes: writePgm(width, height, 255, px.subarray(0, n)) };
      case 'pgm16':
        return { kind: 'pgm', bytes: writePgm(width, height, 65535, Array.from(px.subarray(0, n), (v, i) => v * 256 + px[n + i])) };
      case 'pgm-plain':
        return { kind: 'pgm', bytes: writePgm(width, height, 200, Array.from(px.subarray(0, n), (v) => v % 201), true) };
      case 'bmp8':
        // A few colours, so that the palette stays small.
        return { kind: 'bmp', bytes: writeBmp({ width, height, channels: 1, bitCount: 8, pixels: Array.from(px.subarray(0, n), (v) => v & 0xc0) }) };
      case 'bmp24':
        return { kind: 'bmp', bytes: writeBmp({ width, height, channels: 3, bitCount: 24, pixels: px.subarray(0, 3 * n), topDown: (seed & 1) === 1 }) };
      default:
        return { kind: 'bmp', bytes: writeBmp({ width, height, channels: 4, bitCount: 32, bitfields: true, headerSize: 108, pixels: px.map((v, i) => (i % 4 === 3 ? v | 1 : v)) }) };
    }
  });

const IMAGE_DICTIONARY = tokens(
  'IHDR', 'IDAT', 'IEND', 'PLTE', 'tRNS', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0xff, 0xd8], [0xff, 0xd8, 0xff], [0xff, 0xc0], [0xff, 0xc2], [0xff, 0xc4], [0xff, 0xda], [0xff, 0xd9], [0xff, 0xdd, 0, 4], [0xff, 0xff],
  'RIFF', 'WEBP', 'VP8 ', 'VP8L', 'VP8X', 'ALPH', [0x9d, 0x01, 0x2a], [0x2f],
  'P5', 'P2', '255', '65535', '60000', '#', '\n', ' ',
  'BM', [0x28, 0, 0, 0], [0x0c, 0, 0, 0], [0x7c, 0, 0, 0], [8, 0], [24, 0], [32, 0], [3, 0, 0, 0],
  [0x60, 0xea, 0, 0], [0, 0, 0xea, 0x60], [0xff, 0xff, 0xff, 0xff],
);

// ---------------------------------------------------------------------------------------------
// Decompression bombs: a valid file whose header claims a huge (or just allowed) size.

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Width × height claims: far past the limit, at the edges of the fields, and just under the limit. */
const HUGE_SIZES: Array<[number, number]> = [
  [60_000, 60_000],
  [40_000, 40_000],
  [65_535, 65_535],
  [0xffffffff, 0xffffffff],
  [0x7fffffff, 1],
  [1, 0x80000000],
  [16_384, 16_384],
  [10_001, 10_000],
  [10_000, 9_999],
  [100_000_000, 1],
  [0, 60_000],
  [3_000, 3_000],
];

/** `seed` with its header rewritten to claim `w`×`h` (clamped to what the field holds), or null. */
function claimSize(seed: Seed, w: number, h: number): Uint8Array | null {
  const b = seed.bytes.slice();
  const v = new DataView(b.buffer);
  switch (seed.kind) {
    case 'png': {
      v.setUint32(16, w >>> 0);
      v.setUint32(20, h >>> 0);
      v.setUint32(29, crc32(b.subarray(12, 29)));
      return b;
    }
    case 'jpeg': {
      for (let p = 2; p + 9 < b.length; ) {
        if (b[p] !== 0xff) return null;
        const m = b[p + 1];
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
          v.setUint16(p + 5, Math.min(h, 0xffff));
          v.setUint16(p + 7, Math.min(w, 0xffff));
          return b;
        }
        p += 2 + v.getUint16(p + 2);
      }
      return null;
    }
    case 'webp': {
      const chunk = String.fromCharCode(...b.subarray(12, 16));
      if (chunk === 'VP8X') {
        const [cw, ch] = [Math.max(0, Math.min(w, 1 << 24) - 1), Math.max(0, Math.min(h, 1 << 24) - 1)];
        b.set([cw & 0xff, (cw >> 8) & 0xff, cw >> 16, ch & 0xff, (ch >> 8) & 0xff, ch >> 16], 24);
      } else if (chunk === 'VP8L') {
        const bits = v.getUint32(21, true);
        const [cw, ch] = [Math.max(0, Math.min(w, 1 << 14) - 1), Math.max(0, Math.min(h, 1 << 14) - 1)];
        v.setUint32(21, ((bits & 0xf0000000) | cw | (ch << 14)) >>> 0, true);
      } else {
        v.setUint16(26, (v.getUint16(26, true) & 0xc000) | Math.min(w, 0x3fff), true);
        v.setUint16(28, (v.getUint16(28, true) & 0xc000) | Math.min(h, 0x3fff), true);
      }
      return b;
    }
    case 'bmp':
      v.setInt32(18, w | 0, true);
      v.setInt32(22, h | 0, true);
      return b;
    case 'pgm':
      return concatBytes(ascii(`P5\n${w} ${h}\n255\n`), b.subarray(b.length - Math.min(b.length, 16)));
  }
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// labels.csv

const CSV_HEADERS = ['file', 'filename', 'File', 'FILE_NAME', 'path', 'image', 'name', 'label', 'Label', 'class', 'species', '', ' label ', '"file"', '"la,bel"', 'ünïcode', 'file,label'];
const CSV_CELLS = ['a.png', 'sub/b.jpg', 'sub\\c.pgm', './d.bmp', '.\\e.webp', 'f g.PNG', '日本.jpeg', 'x.txt', 'cat', 'dog', 'Cat', '__proto__', 'constructor', '"quoted, cell"', '"a""b"', '"multi\nline"', '0', '😀'];
const ODD_CELLS = ['', '  ', '"unterminated', 'x"y', 'label', 'file', '-1', 'NaN', '\u00a0', '\u200b'];
const csvCell = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...CSV_CELLS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_CELLS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
);
const csvHeader = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(['file', 'label'], ['filename', 'class'], ['label', 'path'], ['image', 'label', 'extra'], ['name', 'species']) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...CSV_HEADERS), { minLength: 1, maxLength: 4 }) },
);

/** A labels CSV as a person or a script might write it, well-formed or not. */
const csvTexts: fc.Arbitrary<Uint8Array> = fc
  .record({
    bom: fc.boolean(),
    delimiter: fc.constantFrom(',', ';', '\t', '|', ', '),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    header: fc.option(csvHeader, { nil: null, freq: 5 }),
    rows: fc.array(fc.oneof({ weight: 4, arbitrary: fc.array(csvCell, { minLength: 2, maxLength: 2 }) }, { weight: 1, arbitrary: fc.array(csvCell, { maxLength: 4 }) }), { maxLength: 8 }),
    trailing: fc.constantFrom('', '\n', '\n', '\n\n', ',,,\n'),
  })
  .map(({ bom, delimiter, eol, header, rows, trailing }) => {
    const lines = [...(header ? [header] : []), ...rows].map((r) => r.join(delimiter));
    return ascii((bom ? '\ufeff' : '') + lines.join(eol) + trailing);
  });
const CSV_DICTIONARY = tokens(',', ';', '\t', '"', '""', '\n', '\r\n', '\r', '\ufeff', [0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82], 'file', 'label', 'filename', '.png', '/', '\\', '');

/** The ImportError code a labels.csv message stands for (the messages of parseLabelsCsv). */
function csvCode(message: string): ImportErrorCode {
  if (/not a readable CSV/.test(message)) return 'bad-quote';
  if (/ is empty$/.test(message)) return 'empty-file';
  if (/has no label column|no label column/.test(message)) return 'unknown-column';
  if (/needs a header/.test(message)) return 'bad-header';
  if (/empty label/.test(message)) return 'missing-value';
  if (/is labeled both/.test(message)) return 'bad-value';
  if (/lists no files/.test(message)) return 'no-data';
  return 'bad-header';
}

/** parseLabelsCsv with its errors as ImportErrors: only an Error whose message starts with the file counts as a rejection. */
function parseLabels(text: string, file: string, column?: string): LabelsCsv {
  try {
    return parseLabelsCsv(text, file, column);
  } catch (e) {
    if (e instanceof Error && e.constructor === Error && e.message.startsWith(file)) throw new ImportError(file, csvCode(e.message), e.message.slice(file.length).replace(/^[,:]?\s*/, ''));
    throw e;
  }
}

function checkLabels(csv: LabelsCsv, file: string): string | null {
  if (csv.file !== file) return `file ${csv.file}`;
  if (csv.labels.size === 0) return 'no labels, no error';
  if (typeof csv.fileColumn !== 'string' || typeof csv.labelColumn !== 'string') return 'column names are not strings';
  for (const [name, label] of csv.labels) {
    if (name === '' || name.includes('\\')) return `file name ${JSON.stringify(name)} kept as written`;
    if (typeof label !== 'string' || label === '') return `empty label for ${name}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Decoding one file

/** Checks a decoded image against the target it was asked for. */
function checkDecoded(img: DecodedImage, target: ImageTarget): string | null {
  if (!(img.pixels instanceof Uint8Array)) return 'pixels are not bytes';
  if (img.pixels.length !== target.width * target.height * target.channels) return `${img.pixels.length} samples for ${target.width}×${target.height}×${target.channels}`;
  const { sourceWidth: w, sourceHeight: h } = img;
  if (!(Number.isInteger(w) && Number.isInteger(h) && w >= 1 && h >= 1)) return `source size ${w}×${h}`;
  if (w * h > (target.maxPixels ?? DEFAULT_MAX_PIXELS)) return `decoded ${w}×${h}, past the pixel limit`;
  if (img.resized !== (w !== target.width || h !== target.height)) return `resized ${img.resized} for ${w}×${h} → ${target.width}×${target.height}`;
  return null;
}

function checkHeader(h: ImageHeader): string | null {
  if (!(Number.isInteger(h.width) && Number.isInteger(h.height) && h.width >= 0 && h.height >= 0)) return `header size ${h.width}×${h.height}`;
  return null;
}

const targets: fc.Arbitrary<ImageTarget> = fc.record({
  width: fc.integer({ min: 1, max: 12 }),
  height: fc.integer({ min: 1, max: 12 }),
  channels: fc.constantFrom<1 | 3>(1, 3),
  resize: fc.constantFrom<'stretch' | 'crop'>('stretch', 'crop'),
  maxPixels: fc.constant(DEFAULT_MAX_PIXELS),
});

// ---------------------------------------------------------------------------------------------
// Whole folders

const ODD_NAMES = [
  'a', 'img2', 'img10', 'img010', 'with space', ' leading', 'trailing ', 'dots.in.the.name', '..double', 'ünïcödé', 'cafe\u0301', 'café', '日本語', 'emoji😀',
  'tab\tname', 'new\nline', 'back\\slash', '#hash', '%20', '-dash', 'CON', 'x'.repeat(120), '__MACOSX', '.hidden', '.DS_Store', 'labels.csv', 'LABELS',
];
const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_NAMES) },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
      .filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..' && Buffer.byteLength(s) <= 200),
  },
);
const imageExtension = fc.constantFrom(...IMAGE_EXTENSIONS, '.PNG', '.Jpg', '.JPEG', '.Bmp');
const otherExtension = fc.constantFrom('.txt', '.csv', '', '.png.txt', '.gif', '.tiff', '.');

type Content = { kind: 'valid' | 'mutated' | 'empty' | 'bomb' | 'random'; bytes: Uint8Array };

interface FolderFile {
  dirs: string[];
  base: string;
  ext: string;
  content: Content;
}

interface FolderCase {
  files: FolderFile[];
  others: Array<{ dirs: string[]; name: string }>;
  deep: number;
  /** Garbage bytes, or a CSV written from the names the folder holds (`style`). */
  csv: { name: string; bytes: Uint8Array } | { name: string; style: 'path' | 'base' | 'backslash' | 'headerless'; delimiter: string; bom: boolean; eol: string } | null;
  links: Array<'broken' | 'outside' | 'loop' | 'alias'>;
  size: { width: number; height: number } | null;
  colour: 'grayscale' | 'rgb';
  resize: 'stretch' | 'crop';
  labels: 'folders' | 'csv' | 'none';
}

function folderCases(seeds: fc.Arbitrary<Seed>, mutated: fc.Arbitrary<Uint8Array>, bombs: fc.Arbitrary<Uint8Array>): fc.Arbitrary<FolderCase> {
  const content: fc.Arbitrary<Content> = fc.oneof(
    { weight: 4, arbitrary: seeds.map((s) => ({ kind: 'valid' as const, bytes: s.bytes })) },
    { weight: 5, arbitrary: mutated.map((bytes) => ({ kind: 'mutated' as const, bytes })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const, bytes: new Uint8Array(0) }) },
    { weight: 1, arbitrary: bombs.map((bytes) => ({ kind: 'bomb' as const, bytes })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'random' as const, bytes })) },
  );
  const dirs = fc.array(segment, { maxLength: 3 });
  return fc.record({
    files: fc.array(fc.record({ dirs, base: segment, ext: imageExtension, content }), { minLength: 0, maxLength: 6 }),
    others: fc.array(fc.record({ dirs, name: fc.tuple(segment, otherExtension).map(([s, e]) => s + e) }), { maxLength: 2 }),
    deep: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 11, max: 14 }) }),
    csv: fc.option(
      fc.oneof(
        fc.record({ name: fc.constantFrom('labels.csv', 'LABELS.CSV', 'Labels.csv'), bytes: fc.oneof(csvTexts, fuzzInputs(csvTexts, CSV_DICTIONARY)) }),
        fc.record({
          name: fc.constant('labels.csv'),
          style: fc.constantFrom('path' as const, 'base' as const, 'backslash' as const, 'headerless' as const),
          delimiter: fc.constantFrom(',', ';', '\t'),
          bom: fc.boolean(),
          eol: fc.constantFrom('\n', '\r\n'),
        }),
      ),
      { nil: null },
    ),
    links: fc.array(fc.constantFrom('broken' as const, 'outside' as const, 'loop' as const, 'alias' as const), { maxLength: 2 }),
    size: fc.option(fc.record({ width: fc.integer({ min: 1, max: 16 }), height: fc.integer({ min: 1, max: 16 }) }), { nil: null }),
    colour: fc.constantFrom('grayscale' as const, 'rgb' as const),
    resize: fc.constantFrom('stretch' as const, 'crop' as const),
    labels: fc.constantFrom('folders' as const, 'csv' as const, 'none' as const),
  });
}

interface Written {
  dir: string;
  /** name in the folder → what the file holds, for every file the listing must find. */
  expected: Map<string, Content['kind']>;
  ignored: number;
  problems: string[];
}

/** Writes the case to `dir`, skipping a path a previous entry already took; returns what the listing must find. */
function writeCase(dir: string, c: FolderCase, outside: string): Written {
  mkdirSync(dir);
  const files = new Set<string>(), dirs = new Set<string>();
  const expected = new Map<string, Content['kind']>();
  const problems = new Set<string>();
  let ignored = 0;
  const visible = (parts: string[]): boolean => parts.every((p) => !p.startsWith('.') && p !== '__MACOSX');
  /** Creates the parent folders of `parts` unless one of them is a file; false when the path is taken. */
  const place = (parts: string[]): boolean => {
    for (let i = 1; i < parts.length; i++) if (files.has(parts.slice(0, i).join('/'))) return false;
    const path = parts.join('/');
    // The top-level labels.csv is written by the case itself.
    if (files.has(path) || dirs.has(path) || parts[0].toLowerCase() === 'labels.csv') return false;
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (parts.length > 1) mkdirSync(join(dir, ...parts.slice(0, -1)), { recursive: true });
    files.add(path);
    return true;
  };
  /** What the walk does with a file at `parts`: listed, counted as ignored, or not reached. */
  const account = (parts: string[], isImage: boolean, kind: Content['kind']): void => {
    // The walk enters 12 levels of folders: a folder at the 13th is reported, not entered.
    if (!visible(parts.slice(0, 13))) return;
    if (parts.length - 1 > 12) {
      problems.add(parts.slice(0, 13).join('/'));
      return;
    }
    if (isImage) expected.set(parts.join('/'), kind);
    else ignored++;
  };
  for (const f of c.files) {
    const parts = [...(c.deep ? Array.from({ length: c.deep }, (_, i) => `d${i}`) : []), ...f.dirs, f.base + f.ext];
    if (!place(parts)) continue;
    writeFileSync(join(dir, ...parts), f.content.bytes);
    account(parts, IMAGE_EXTENSIONS.has(extOf(parts[parts.length - 1])), f.content.kind);
  }
  for (const o of c.others) {
    const parts = [...o.dirs, o.name];
    if (!place(parts)) continue;
    writeFileSync(join(dir, ...parts), 'not an image\n');
    account(parts, IMAGE_EXTENSIONS.has(extOf(o.name)), 'random');
  }
  if (c.csv && 'bytes' in c.csv) writeFileSync(join(dir, c.csv.name), c.csv.bytes);
  for (const [i, link] of c.links.entries()) {
    const name = `link${i}${link === 'loop' ? '' : '.png'}`;
    if (!place([name])) continue;
    if (link === 'broken') symlinkSync(join(dir, 'nowhere.png'), join(dir, name));
    if (link === 'outside') symlinkSync(outside, join(dir, name));
    if (link === 'loop') symlinkSync('.', join(dir, name));
    if (link === 'alias') {
      const target = [...expected.keys()][0];
      if (target === undefined) symlinkSync(join(dir, 'nowhere.png'), join(dir, name));
      else symlinkSync(join(dir, ...target.split('/')), join(dir, name));
      if (target !== undefined) expected.set(name, expected.get(target)!);
    }
    if (link === 'broken' || link === 'outside' || (link === 'alias' && expected.get(name) === undefined)) problems.add(name);
  }
  if (c.csv && 'style' in c.csv) writeFileSync(join(dir, c.csv.name), matchingCsv([...expected.keys()], c.csv));
  return { dir, expected, ignored, problems: [...problems].sort() };
}

/** The label a matching labels.csv gives the image `name`. */
const labelOf = (name: string): string => `class ${name.length % 3}`;

/** A labels.csv naming every image of the folder, quoted where a name needs it. */
function matchingCsv(names: string[], o: { style: 'path' | 'base' | 'backslash' | 'headerless'; delimiter: string; bom: boolean; eol: string }): string {
  const quote = (s: string): string => (/[,;\t"\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const cell = (n: string): string => (o.style === 'base' ? n.slice(n.lastIndexOf('/') + 1) : o.style === 'backslash' ? n.replace(/\//g, '\\') : n);
  const rows = names.map((n) => [quote(cell(n)), quote(labelOf(n))].join(o.delimiter));
  return (o.bom ? '\ufeff' : '') + [...(o.style === 'headerless' ? [] : [`filename${o.delimiter}label`]), ...rows].join(o.eol) + o.eol;
}

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** The reasons a folder case broke the rules, or null. */
async function runFolderCase(c: FolderCase, w: Written, counts: Map<string, number>): Promise<string | null> {
  const bump = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
  const listing = await listImageFolder(w.dir);
  const names = listing.images.map((i) => i.name);
  const want = [...w.expected.keys()].sort();
  if (JSON.stringify([...names].sort()) !== JSON.stringify(want)) return `listed ${JSON.stringify(names)}, expected ${JSON.stringify(want)}`;
  for (let i = 1; i < names.length; i++) {
    if (naturalCompare(names[i - 1], names[i]) > 0 || naturalCompare(names[i], names[i - 1]) < 0) return `not in natural order: ${names[i - 1]}, ${names[i]}`;
  }
  for (const img of listing.images) {
    const slash = img.name.indexOf('/');
    if (img.folderLabel !== (slash > 0 ? img.name.slice(0, slash) : null)) return `${img.name} has folder label ${img.folderLabel}`;
  }
  if (listing.ignored !== w.ignored) return `${listing.ignored} files ignored, expected ${w.ignored}`;
  const problems = listing.problems.map((p) => p.file).sort();
  if (JSON.stringify(problems) !== JSON.stringify(w.problems)) return `problems ${JSON.stringify(listing.problems)}, expected ${JSON.stringify(w.problems)}`;
  if (listing.problems.some((p) => !p.reason)) return 'a listing problem without a reason';
  if (c.csv) {
    if ((listing.labelsCsv === null) === (listing.labelsCsvError === null)) return 'labels.csv neither read nor refused';
    if (listing.labelsCsvError !== null && !listing.labelsCsvError.startsWith(c.csv.name)) return `labels.csv error does not name it: ${listing.labelsCsvError}`;
    if (listing.labelsCsv && listing.labelsCsv.file !== c.csv.name) return `labels.csv read as ${listing.labelsCsv.file}`;
    bump(listing.labelsCsv ? 'labels.csv read' : 'labels.csv refused');
  } else if (listing.labelsCsv || listing.labelsCsvError) return 'a labels.csv found where there is none';

  // Labelled as the service does; images without a label are left out before the build.
  let labels: Array<string | null> = listing.images.map(() => null);
  if (c.labels === 'folders') labels = listing.images.map((i) => i.folderLabel);
  if (c.labels === 'csv') {
    if (!listing.labelsCsv) {
      bump('refused: no usable labels.csv');
      return null;
    }
    labels = labelsFromCsv(listing.images, listing.labelsCsv);
    const unmatched = unmatchedCsvRows(listing.images, listing.labelsCsv);
    if (labels.length !== listing.images.length || !(unmatched >= 0 && unmatched <= listing.labelsCsv.labels.size)) return 'labelsFromCsv/unmatchedCsvRows out of range';
    if ('style' in c.csv! && c.csv.style !== 'base') {
      // Every image is listed by its path: each must get the label written for it (but a
      // back-slash in a name is read as a Windows separator: such names are left out here).
      const wrong = listing.images.findIndex((img, i) => !img.name.includes('\\') && labels[i] !== labelOf(img.name));
      if (wrong >= 0) return `${JSON.stringify(listing.images[wrong].name)} labeled ${JSON.stringify(labels[wrong])} from a labels.csv that gives it ${JSON.stringify(labelOf(listing.images[wrong].name))}`;
      if (unmatched !== 0 && !listing.images.some((img) => img.name.includes('\\'))) return `${unmatched} rows of a labels.csv written from the folder unmatched`;
    }
  }
  const files: ImageFileSpec[] = listing.images.flatMap((img, i) => (c.labels !== 'none' && labels[i] === null ? [] : [{ path: img.path, name: img.name, label: c.labels === 'none' ? null : labels[i] }]));
  if (files.length === 0) {
    bump('refused: no (labelled) images');
    return null;
  }
  let result: ImageSetResult;
  try {
    result = await buildImageSet({ kind: 'images', files, size: c.size, colour: c.colour, resize: c.resize, maxPixels: DEFAULT_MAX_PIXELS, maxBytes: 1 << 30, labelName: c.labels === 'none' ? null : 'label' });
  } catch (e) {
    if (!(e instanceof ImportError)) return `build threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    if (e.file !== 'images' || !e.message.startsWith('images: ')) return `the build refused the folder without saying so: ${e.message}`;
    if (e.code === 'no-data' && files.some((f) => w.expected.get(f.name) === 'valid')) return `refused a folder with a valid image: ${e.message}`;
    bump(`refused: ${e.code}`);
    return null;
  }
  const kept = new Set(result.names);
  const skipped = new Map(result.skipped.map((s) => [s.file, s.reason]));
  if (kept.size + skipped.size !== files.length || result.names.length !== kept.size) return `${kept.size} rows and ${skipped.size} skipped for ${files.length} files`;
  for (const f of files) {
    if (kept.has(f.name) === skipped.has(f.name)) return `${f.name} is ${kept.has(f.name) ? 'both kept and skipped' : 'neither kept nor skipped'}`;
    const reason = skipped.get(f.name);
    if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '' || /undefined|\[object/.test(reason))) return `${f.name} skipped for ${JSON.stringify(reason)}`;
    const kind = w.expected.get(f.name);
    if (kind === 'valid' && reason !== undefined) return `valid ${f.name} skipped: ${reason}`;
    if (kind === 'empty' && reason === undefined) return `empty ${f.name} imported`;
    if (reason !== undefined) bump('files skipped');
  }
  const d = result.width * result.height * result.channels;
  if (result.X.cols !== d || result.X.rows !== kept.size || result.X.data.length !== result.X.rows * d) return 'matrix shape';
  for (const x of result.X.data) if (!(x >= 0 && x <= 1)) return `value ${x} outside [0, 1]`;
  if (result.thumbnailOffsets.length !== result.X.rows + 1) return 'thumbnail offsets';
  if ((result.labels === null) !== (c.labels === 'none') || (result.labels && result.labels.length !== result.X.rows)) return 'labels';
  bump('built');
  bump(`rows: ${result.X.rows}`.replace(/\d+$/, (n) => (Number(n) > 3 ? '4+' : n)));
  return null;
}

// ---------------------------------------------------------------------------------------------

let SEEDS: Seed[] = [];
let base: string;
const summaries: string[] = [];

beforeAll(async () => {
  SEEDS = await sharpSeeds();
  base = mkdtempSync(join(tmpdir(), 'cs-fuzz-folders-'));
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'secret.png'), encodePng(2, 2, 1, new Uint8Array([1, 2, 3, 4])));
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
  summaries.forEach((s) => console.log(s));
  recordFigures(fuzzFigures('fuzz folders', __filename));
});

const seedsArb = (): fc.Arbitrary<Seed> => fc.oneof(fc.constantFrom(...SEEDS), writerSeeds);
const mutatedArb = (): fc.Arbitrary<Uint8Array> => fuzzInputs(seedsArb().map((s) => s.bytes), IMAGE_DICTIONARY);
const bombsArb = (): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(seedsArb(), fc.constantFrom(...HUGE_SIZES), fc.boolean())
    .map(([seed, [w, h], swap]) => claimSize(seed, swap ? h : w, swap ? w : h) ?? seed.bytes);

describe('fuzzing the image-folder import', () => {
  it('labels.csv: only Errors naming the file, on structured, mutated and invalid-UTF-8 CSVs', () => {
    const FILE = 'labels.csv';
    const stats = new FuzzStats('folders labels.csv', FILE);
    // The app never asks for a label column (listImageFolder's option); the fuzz does, now and then.
    const column = fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('label', 'class', 'Label', 'file', 'nope', '', '"file"') });
    fc.assert(
      // Half as written, half mutated: the written ones reach the labels, the mutated ones the errors.
      fc.property(fc.oneof(csvTexts, fuzzInputs(csvTexts, CSV_DICTIONARY)), column, (bytes, col) =>
        // As listImageFolder reads it: readFile(…, 'utf8'), invalid sequences replaced.
        stats.run(bytes, (b, f) => parseLabels(Buffer.from(b).toString('utf8'), f, col), (csv) => checkLabels(csv, FILE)),
      ),
      fcParams(),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('one file: decodeImage and the header reader only throw ImportErrors naming the file, on mutated and random bytes', async () => {
    const FILE = 'sub dir/ïmage 01.png';
    const stats = new FuzzStats('folders decode', FILE);
    const headers = new FuzzStats('folders header', FILE);
    await fc.assert(
      fc.asyncProperty(mutatedArb(), targets, async (bytes, target) => {
        await headers.runAsync(bytes, () => readImageHeaderOf(bytes, FILE), checkHeader);
        await stats.runAsync(bytes, () => decodeImage(bytes, FILE, target), (img) => checkDecoded(img, target));
      }),
      fcParams(),
    );
    summaries.push(stats.summary(), headers.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
    expect(headers.unexpected, headers.report()).toHaveLength(0);
  });

  it('decompression bombs: a header claiming a huge size is refused or fails fast, never decoded', async () => {
    const FILE = 'bomb.png';
    const stats = new FuzzStats('folders bomb', FILE);
    await fc.assert(
      fc.asyncProperty(bombsArb(), targets, async (bytes, target) => {
        await stats.runAsync(bytes, () => decodeImage(bytes, FILE, target), (img) => checkDecoded(img, target));
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 20)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('whole folders: listed exactly, every image a row or a skipped file with a reason, or the folder refused', async () => {
    const stats = new FuzzStats('folders whole', 'images');
    const counts = new Map<string, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(folderCases(seedsArb(), mutatedArb(), bombsArb()), async (c) => {
        const dir = join(base, `case-${n++}`);
        const t0 = performance.now();
        let problem: string | null;
        try {
          const w = writeCase(dir, c, join(base, 'outside', 'secret.png'));
          problem = await runFolderCase(c, w, counts);
        } catch (e) {
          problem = `threw ${e instanceof Error ? `${e.name}: ${e.stack}` : String(e)}`;
        }
        const ms = performance.now() - t0;
        if (problem === null && ms > HANG_MS) problem = `took ${ms.toFixed(0)} ms`;
        stats.cases++;
        stats.slowestMs = Math.max(stats.slowestMs, ms);
        if (problem === null) stats.accepted++;
        else stats.fail(ascii(JSON.stringify(c, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))), problem);
        rmSync(dir, { recursive: true, force: true });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 33)),
    );
    const tally = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    summaries.push(stats.summary(`${tally}; `));
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});
