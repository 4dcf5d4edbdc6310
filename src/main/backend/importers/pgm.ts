/**
 * Netpbm grayscale images: P5 (binary raster) and P2 (plain, ASCII raster). The header is
 * `magic width height maxval` separated by whitespace, with `#` comments to the end of a line
 * allowed anywhere before the single whitespace character that ends it.
 */
import { budgetOf, checkBudget, type BudgetOptions } from './budget';
import { ImportError } from './errors';

export interface PgmImage {
  width: number;
  height: number;
  maxval: number;
  /** Row-major, `height * width` samples; Uint16Array when maxval > 255. */
  pixels: Uint8Array | Uint16Array;
}

export interface PgmOptions extends BudgetOptions {
  /** The most pixels an image may have; default {@link DEFAULT_MAX_PIXELS}. */
  maxPixels?: number;
}

/** 100 megapixels: far beyond any image one clusters pixel by pixel. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** The largest decimal a header number may be written with (65535 fits; longer digits are junk). */
const MAX_HEADER_DIGITS = 10;

/** Reads a P5 or P2 PGM file, checking the raster's real length before allocating it. */
export function readPgm(bytes: Uint8Array, file: string, opts: PgmOptions = {}): PgmImage {
  const budget = budgetOf(opts);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length === 0) throw new ImportError(file, 'empty-file', 'the file is empty');
  if (bytes.length < 2 || bytes[0] !== 0x50 /* P */ || (bytes[1] !== 0x35 && bytes[1] !== 0x32)) {
    throw new ImportError(file, 'bad-magic', 'not a PGM image: it does not start with "P5" or "P2"');
  }
  const plain = bytes[1] === 0x32;
  const header = new HeaderReader(bytes, file);
  const width = header.number('width');
  const height = header.number('height');
  const maxval = header.number('maxval');
  if (width < 1 || height < 1) throw new ImportError(file, 'bad-header', `the image is ${width}×${height}: both sides must be at least 1`);
  if (maxval < 1 || maxval > 65535) throw new ImportError(file, 'bad-header', `maxval ${maxval} is outside 1..65535`);
  const count = width * height;
  if (count > maxPixels) {
    throw new ImportError(file, 'too-large', `the image is ${width}×${height}, more than the ${maxPixels.toLocaleString('en-US')} pixels allowed`);
  }
  const start = header.rasterStart();
  const wide = maxval > 255;
  const sampleBytes = wide ? 2 : 1;

  if (!plain) {
    const available = bytes.length - start;
    const needed = count * sampleBytes;
    if (available < needed) {
      throw new ImportError(file, 'truncated', `a ${width}×${height} raster needs ${needed} bytes but only ${available} follow the header`);
    }
    if (available > needed) {
      throw new ImportError(file, 'length-mismatch', `a ${width}×${height} raster needs ${needed} bytes but ${available} follow the header`);
    }
    checkBudget(file, needed, budget);
    const pixels = wide ? new Uint16Array(count) : bytes.slice(start, start + needed);
    if (wide) {
      for (let i = 0; i < count; i++) pixels[i] = (bytes[start + 2 * i] << 8) | bytes[start + 2 * i + 1];
    }
    checkRange(pixels, maxval, width, file);
    return { width, height, maxval, pixels };
  }

  // Plain raster: each sample takes at least one digit and all but the last one separator.
  const available = bytes.length - start;
  if (available < 2 * count - 1) {
    throw new ImportError(file, 'truncated', `a ${width}×${height} raster needs ${count} samples but only ${available} bytes follow the header`);
  }
  checkBudget(file, count * sampleBytes, budget);
  const pixels = wide ? new Uint16Array(count) : new Uint8Array(count);
  let p = start;
  for (let i = 0; i < count; i++) {
    while (p < bytes.length && isSpace(bytes[p])) p++;
    if (p >= bytes.length) throw new ImportError(file, 'truncated', `the raster ends after ${i} of ${count} samples`);
    let v = 0, digits = 0;
    while (p < bytes.length && isDigit(bytes[p])) {
      if (++digits > MAX_HEADER_DIGITS) break;
      v = v * 10 + (bytes[p++] - 0x30);
    }
    if (digits === 0 || digits > MAX_HEADER_DIGITS || (p < bytes.length && !isSpace(bytes[p]))) {
      throw new ImportError(file, 'bad-value', `sample ${i + 1} (row ${Math.floor(i / width) + 1}) is not a decimal number`);
    }
    if (v > maxval) throw new ImportError(file, 'bad-value', `sample ${i + 1} (row ${Math.floor(i / width) + 1}) is ${v}, above maxval ${maxval}`);
    pixels[i] = v;
  }
  while (p < bytes.length && isSpace(bytes[p])) p++;
  if (p < bytes.length) throw new ImportError(file, 'length-mismatch', `unexpected data after the ${count} samples of the raster`);
  return { width, height, maxval, pixels };
}

function checkRange(pixels: Uint8Array | Uint16Array, maxval: number, width: number, file: string): void {
  if (maxval === 255 || maxval === 65535) return;
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i] > maxval) {
      throw new ImportError(file, 'bad-value', `the pixel at row ${Math.floor(i / width) + 1}, column ${(i % width) + 1} is ${pixels[i]}, above maxval ${maxval}`);
    }
  }
}

/** Netpbm whitespace: blank, tab, CR, LF, vertical tab, form feed. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** Reads the three header numbers after the magic, skipping whitespace and comments. */
class HeaderReader {
  pos = 2;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {}

  number(what: string): number {
    const b = this.bytes;
    const before = this.pos;
    this.skipSpaceAndComments();
    if (this.pos === before) {
      if (this.pos >= b.length) throw new ImportError(this.file, 'truncated', `the header ends before ${what}`);
      throw new ImportError(this.file, 'bad-header', `expected whitespace before ${what}`);
    }
    if (this.pos >= b.length) throw new ImportError(this.file, 'truncated', `the header ends before ${what}`);
    let v = 0, digits = 0;
    while (this.pos < b.length && isDigit(b[this.pos])) {
      v = v * 10 + (b[this.pos++] - 0x30);
      if (++digits > MAX_HEADER_DIGITS) throw new ImportError(this.file, 'bad-header', `${what} has too many digits`);
    }
    if (digits === 0) throw new ImportError(this.file, 'bad-header', `${what} is not a decimal number`);
    return v;
  }

  /**
   * Where the raster starts: after exactly one whitespace character following maxval. A comment
   * there is skipped and its line break counts as that character, as libnetpbm reads it.
   */
  rasterStart(): number {
    const b = this.bytes;
    if (this.pos < b.length && b[this.pos] === 0x23 /* # */) {
      while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
    }
    if (this.pos >= b.length) throw new ImportError(this.file, 'truncated', 'the file ends right after the header');
    if (!isSpace(b[this.pos])) throw new ImportError(this.file, 'bad-header', 'maxval is not followed by a whitespace character');
    return this.pos + 1;
  }

  private skipSpaceAndComments(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      if (isSpace(b[this.pos])) this.pos++;
      else if (b[this.pos] === 0x23 /* # */) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }
}
