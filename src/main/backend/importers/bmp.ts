/**
 * Windows bitmaps, uncompressed: 8-bit palette, 24-bit BGR and 32-bit BGR(A) (plain or with
 * bit-field masks), stored bottom-up (positive height) or top-down (negative height). A 14-byte
 * file header ("BM", size, offset of the pixels), then an information header of 12 (OS/2 core),
 * 40, 52, 56, 108 or 124 bytes, the masks and palette, and the rows, each padded to 4 bytes.
 *
 * What a header claims is checked against the real length before anything is allocated; the
 * file-size and image-size fields, often wrong in files from the wild, are not trusted.
 */
import { budgetOf, checkBudget, type BudgetOptions } from './budget';
import { ImportError } from './errors';
import { DEFAULT_MAX_PIXELS } from './pgm';

export interface BmpImage {
  width: number;
  height: number;
  /** 1 for a palette of grays, 3 for colour, 4 when the file has an alpha channel in use. */
  channels: 1 | 3 | 4;
  /** Top row first, `height * width * channels` samples, channels interleaved (R, G, B, A). */
  pixels: Uint8Array;
}

export interface BmpOptions extends BudgetOptions {
  /** The most pixels an image may have; default {@link DEFAULT_MAX_PIXELS}. */
  maxPixels?: number;
}

const FILE_HEADER_BYTES = 14;
/** Information header sizes: OS/2 core, BITMAPINFOHEADER, V2, V3, V4, V5. */
const HEADER_SIZES = new Set([12, 40, 52, 56, 108, 124]);
const BI_RGB = 0, BI_BITFIELDS = 3, BI_ALPHABITFIELDS = 6;
const COMPRESSION_NAMES: Record<number, string> = { 1: 'RLE8', 2: 'RLE4', 4: 'JPEG', 5: 'PNG' };

interface Header {
  width: number;
  height: number;
  topDown: boolean;
  bitCount: number;
  compression: number;
  colorsUsed: number;
  /** Where the masks or palette start. */
  afterHeader: number;
  /** 3 bytes per palette entry in the OS/2 core format, 4 otherwise. */
  paletteEntryBytes: number;
  /** Red, green, blue, alpha masks for 32-bit bit fields, or null for plain BGRX. */
  masks: [number, number, number, number] | null;
  dataOffset: number;
}

/** Reads an uncompressed 8-, 24- or 32-bit BMP file. */
export function readBmp(bytes: Uint8Array, file: string, opts: BmpOptions = {}): BmpImage {
  const budget = budgetOf(opts);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const h = readHeader(bytes, file);
  const count = h.width * h.height;
  if (count > maxPixels) {
    throw new ImportError(file, 'too-large', `the image is ${h.width}×${h.height}, more than the ${maxPixels.toLocaleString('en-US')} pixels allowed`);
  }
  const rowBytes = Math.ceil((h.width * h.bitCount) / 32) * 4;
  const available = bytes.length - h.dataOffset;
  const needed = rowBytes * h.height;
  if (available < needed) {
    throw new ImportError(file, 'truncated', `${h.height} rows of ${rowBytes} bytes need ${needed} bytes but only ${Math.max(0, available)} follow the pixel offset ${h.dataOffset}`);
  }
  if (h.bitCount === 8) return readPaletted(bytes, file, h, rowBytes, budget);
  const channels = h.masks && h.masks[3] !== 0 ? 4 : 3;
  checkBudget(file, count * channels, budget);
  const out = new Uint8Array(count * channels);
  if (h.bitCount === 24) {
    forEachRow(h, rowBytes, (src, dst) => {
      for (let x = 0; x < h.width; x++) {
        const s = src + 3 * x, d = (dst + x) * 3;
        out[d] = bytes[s + 2];
        out[d + 1] = bytes[s + 1];
        out[d + 2] = bytes[s];
      }
    });
    return { width: h.width, height: h.height, channels: 3, pixels: out };
  }
  // 32-bit: BGRX without masks, else each channel where its mask says, scaled to 8 bits.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields = (h.masks ?? [0x00ff0000, 0x0000ff00, 0x000000ff, 0]).map(maskField);
  let anyAlpha = false;
  forEachRow(h, rowBytes, (src, dst) => {
    for (let x = 0; x < h.width; x++) {
      const v = view.getUint32(src + 4 * x, true);
      const d = (dst + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = fields[c](v);
      if (channels === 4 && out[d + 3] !== 0) anyAlpha = true;
    }
  });
  // Many writers fill an alpha mask with zeros: an image that would be invisible is opaque.
  if (channels === 4 && !anyAlpha) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return { width: h.width, height: h.height, channels, pixels: out };
}

function readHeader(bytes: Uint8Array, file: string): Header {
  if (bytes.length === 0) throw new ImportError(file, 'empty-file', 'the file is empty');
  if (bytes.length < 2 || bytes[0] !== 0x42 /* B */ || bytes[1] !== 0x4d /* M */) {
    throw new ImportError(file, 'bad-magic', 'not a BMP image: it does not start with "BM"');
  }
  if (bytes.length < FILE_HEADER_BYTES + 4) throw new ImportError(file, 'truncated', 'the file ends inside the BMP headers');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (!HEADER_SIZES.has(headerSize)) {
    throw new ImportError(file, 'unsupported-version', `the information header is ${headerSize} bytes; only the 12, 40, 52, 56, 108 and 124-byte headers are read`);
  }
  const afterHeader = FILE_HEADER_BYTES + headerSize;
  if (bytes.length < afterHeader) throw new ImportError(file, 'truncated', `the file ends inside its ${headerSize}-byte information header`);

  let width: number, rawHeight: number, planes: number, bitCount: number;
  let compression = BI_RGB, colorsUsed = 0;
  if (headerSize === 12) {
    width = view.getUint16(18, true);
    rawHeight = view.getInt16(20, true);
    planes = view.getUint16(22, true);
    bitCount = view.getUint16(24, true);
  } else {
    width = view.getInt32(18, true);
    rawHeight = view.getInt32(22, true);
    planes = view.getUint16(26, true);
    bitCount = view.getUint16(28, true);
    compression = view.getUint32(30, true);
    colorsUsed = view.getUint32(46, true);
  }
  if (planes !== 1) throw new ImportError(file, 'bad-header', `the header gives ${planes} colour planes; a BMP has exactly 1`);
  if (width < 1 || rawHeight === 0 || rawHeight === -0x80000000) {
    throw new ImportError(file, 'bad-header', `the image is ${width}×${rawHeight}: the width must be positive and the height non-zero`);
  }
  if (bitCount !== 8 && bitCount !== 24 && bitCount !== 32) {
    throw new ImportError(file, 'unsupported-dtype', `${bitCount}-bit pixels are not read; only 8-, 24- and 32-bit bitmaps`);
  }
  let masks: Header['masks'] = null;
  let paletteStart = afterHeader;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    if (bitCount !== 32) throw new ImportError(file, 'unsupported-dtype', `bit-field masks are read for 32-bit pixels only, not ${bitCount}-bit`);
    // The masks follow a 40-byte header, and are part of the larger ones (alpha from V3 on).
    const nMasks = compression === BI_ALPHABITFIELDS ? 4 : 3;
    const at = FILE_HEADER_BYTES + 40;
    if (headerSize === 40) {
      if (bytes.length < at + 4 * nMasks) throw new ImportError(file, 'truncated', 'the file ends inside its colour masks');
      paletteStart = at + 4 * nMasks;
    }
    const hasAlphaMask = headerSize >= 56 || (headerSize === 40 && nMasks === 4);
    const m = [0, 1, 2, 3].map((i) => (i < 3 || hasAlphaMask ? view.getUint32(at + 4 * i, true) : 0));
    masks = [m[0], m[1], m[2], m[3]];
    for (const [i, mask] of masks.entries()) {
      if (mask !== 0 && !isContiguous(mask)) throw new ImportError(file, 'bad-header', `the ${['red', 'green', 'blue', 'alpha'][i]} mask 0x${mask.toString(16)} is not one run of bits`);
    }
    if (masks[0] === 0 && masks[1] === 0 && masks[2] === 0) throw new ImportError(file, 'bad-header', 'the colour masks are all zero');
  } else if (compression !== BI_RGB) {
    const name = COMPRESSION_NAMES[compression];
    throw new ImportError(file, 'unsupported-dtype', name ? `${name}-compressed bitmaps are not read; only uncompressed ones` : `unknown compression ${compression}`);
  }
  if (bitCount === 8 && colorsUsed > 256) throw new ImportError(file, 'bad-header', `the header announces ${colorsUsed} palette colours; an 8-bit image has at most 256`);
  const paletteEntryBytes = headerSize === 12 ? 3 : 4;
  const paletteEnd = paletteStart + (bitCount === 8 ? (colorsUsed || 256) * paletteEntryBytes : 0);
  if (dataOffset < paletteEnd) {
    // A palette shorter than announced is common in small files: only what fits before the pixels counts.
    if (bitCount !== 8 || dataOffset < paletteStart) {
      throw new ImportError(file, 'bad-header', `the pixels are said to start at byte ${dataOffset}, inside the headers (which end at byte ${paletteStart})`);
    }
  }
  if (dataOffset > bytes.length) throw new ImportError(file, 'truncated', `the pixels are said to start at byte ${dataOffset}, past the end of the ${bytes.length}-byte file`);
  return {
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bitCount,
    compression,
    colorsUsed,
    afterHeader: paletteStart,
    paletteEntryBytes,
    masks,
    dataOffset,
  };
}

function readPaletted(bytes: Uint8Array, file: string, h: Header, rowBytes: number, budget: number): BmpImage {
  const announced = h.colorsUsed || 256;
  const entries = Math.min(announced, Math.floor((h.dataOffset - h.afterHeader) / h.paletteEntryBytes));
  if (entries < 1) throw new ImportError(file, 'bad-header', 'the 8-bit image has no palette');
  const palette = new Uint8Array(entries * 3);
  let gray = true;
  for (let i = 0; i < entries; i++) {
    const at = h.afterHeader + i * h.paletteEntryBytes;
    palette[3 * i] = bytes[at + 2];
    palette[3 * i + 1] = bytes[at + 1];
    palette[3 * i + 2] = bytes[at];
    if (bytes[at] !== bytes[at + 1] || bytes[at] !== bytes[at + 2]) gray = false;
  }
  const channels = gray ? 1 : 3;
  const count = h.width * h.height;
  checkBudget(file, count * channels, budget);
  const out = new Uint8Array(count * channels);
  let row = 0;
  forEachRow(h, rowBytes, (src, dst) => {
    for (let x = 0; x < h.width; x++) {
      const index = bytes[src + x];
      if (index >= entries) {
        throw new ImportError(file, 'bad-value', `the pixel at row ${row + 1}, column ${x + 1} uses colour ${index} of a ${entries}-colour palette`);
      }
      if (gray) out[dst + x] = palette[3 * index];
      else out.set(palette.subarray(3 * index, 3 * index + 3), (dst + x) * 3);
    }
    row++;
  });
  return { width: h.width, height: h.height, channels, pixels: out };
}

/**
 * Calls `fn(sourceByte, destinationPixel)` for each row, top row first: bottom-up files store
 * the last row first.
 */
function forEachRow(h: Header, rowBytes: number, fn: (src: number, dst: number) => void): void {
  for (let y = 0; y < h.height; y++) {
    const stored = h.topDown ? y : h.height - 1 - y;
    fn(h.dataOffset + stored * rowBytes, y * h.width);
  }
}

function isContiguous(mask: number): boolean {
  const shifted = mask >>> trailingZeros(mask);
  return (shifted & (shifted + 1)) === 0;
}

function trailingZeros(mask: number): number {
  let n = 0;
  while (n < 32 && ((mask >>> n) & 1) === 0) n++;
  return n;
}

/** The 8-bit value of the bits `mask` selects (0 for an empty mask). */
function maskField(mask: number): (v: number) => number {
  if (mask === 0) return () => 0;
  const shift = trailingZeros(mask);
  const max = mask >>> shift;
  return (v) => Math.round((((v & mask) >>> shift) * 255) / max);
}
