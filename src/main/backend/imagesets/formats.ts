/**
 * The image formats a folder import reads, recognised by their first bytes (a file's extension
 * only decides whether it is looked at): PNG, JPEG and WebP through sharp, PGM and BMP through
 * the strict readers of ../importers. Each header gives the size without decoding the pixels.
 */
import { open } from 'node:fs/promises';
import { ImportError } from '../importers/errors';
import { IMAGE_FILE_EXTENSIONS } from '../../../shared/images';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'pgm' | 'bmp';

/** File extensions taken as images (lower case, with the dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(IMAGE_FILE_EXTENSIONS);

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** True when the header says the image has colour (false for gray, null when it cannot tell). */
  colour: boolean | null;
}

/** The format whose signature `head` starts with, or null. */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  const at = (i: number, ...bytes: number[]): boolean => bytes.every((b, k) => head[i + k] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (head[0] === 0x50 && (head[1] === 0x35 || head[1] === 0x32)) return 'pgm';
  if (at(0, 0x42, 0x4d)) return 'bmp';
  return null;
}

const NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', pgm: 'PGM', bmp: 'BMP' };

/** Why bytes that sniffed as nothing are not an image, naming what the extension promised. */
export function notAnImage(file: string, head: Uint8Array): ImportError {
  if (head.length === 0) return new ImportError(file, 'empty-file', 'the file is empty');
  const ext = /\.([^.]+)$/.exec(file)?.[1]?.toLowerCase();
  const claimed = ext === 'png' ? 'PNG' : ext === 'jpg' || ext === 'jpeg' || ext === 'jpe' || ext === 'jfif' ? 'JPEG' : ext === 'webp' ? 'WebP' : ext === 'pgm' ? 'PGM' : ext === 'bmp' || ext === 'dib' ? 'BMP' : 'image';
  const text = head.subarray(0, 64).every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80);
  return new ImportError(file, 'bad-magic', `not a ${claimed} image: ${text ? 'the file holds text' : 'its first bytes are no image signature'}`);
}

/** Reads what the header of the file at `path` says (a few reads of its first bytes). */
export async function readImageHeader(path: string, file: string): Promise<ImageHeader> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const read = async (pos: number, len: number): Promise<Uint8Array> => {
      const buf = new Uint8Array(Math.max(0, Math.min(len, size - pos)));
      if (buf.length) await fh.read(buf, 0, buf.length, pos);
      return buf;
    };
    const head = await read(0, 4096);
    return await parseHeader(head, file, size, read);
  } finally {
    await fh.close();
  }
}

/** The header of in-memory bytes. */
export function readImageHeaderOf(bytes: Uint8Array, file: string): Promise<ImageHeader> {
  return parseHeader(bytes.subarray(0, 4096), file, bytes.length, async (pos, len) => bytes.subarray(pos, pos + len));
}

async function parseHeader(head: Uint8Array, file: string, size: number, read: (pos: number, len: number) => Promise<Uint8Array>): Promise<ImageHeader> {
  const format = sniffFormat(head);
  if (!format) throw notAnImage(file, head);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const need = (n: number): void => {
    if (head.length < n) throw new ImportError(file, 'truncated', `the file ends inside its ${NAMES[format]} header`);
  };
  switch (format) {
    case 'png': {
      need(29);
      if (String.fromCharCode(...head.subarray(12, 16)) !== 'IHDR') throw new ImportError(file, 'bad-header', 'the PNG does not start with its IHDR chunk');
      const colourType = head[25];
      return { format, width: view.getUint32(16), height: view.getUint32(20), colour: colourType === 3 ? null : (colourType & 2) !== 0 };
    }
    case 'jpeg':
      return jpegHeader(file, size, read);
    case 'webp':
      return webpHeader(head, view, file);
    case 'bmp': {
      need(26);
      const headerSize = view.getUint32(14, true);
      if (headerSize === 12) return { format, width: view.getUint16(18, true), height: Math.abs(view.getInt16(20, true)), colour: null };
      need(30);
      const bits = view.getUint16(28, true);
      const width = view.getInt32(18, true);
      if (width < 1) throw new ImportError(file, 'bad-header', `the BMP header gives a width of ${width}`);
      return { format, width, height: Math.abs(view.getInt32(22, true)), colour: bits === 8 ? null : true };
    }
    case 'pgm':
      return { format, ...pgmSize(head, file), colour: false };
  }
}

/** JPEG: walk the marker segments to the first start-of-frame. */
async function jpegHeader(file: string, size: number, read: (pos: number, len: number) => Promise<Uint8Array>): Promise<ImageHeader> {
  let pos = 2;
  // Segments are at most 64 KiB; a start of frame past this many is no JPEG one can use.
  for (let segments = 0; segments < 1024; segments++) {
    const m = await read(pos, 10);
    if (m.length < 4) break;
    if (m[0] !== 0xff) throw new ImportError(file, 'bad-header', `expected a JPEG marker at byte ${pos}`);
    const marker = m[1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) throw new ImportError(file, 'bad-header', 'the JPEG has no frame header before its image data');
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    const length = (m[2] << 8) | m[3];
    if (length < 2) throw new ImportError(file, 'bad-header', `a JPEG segment at byte ${pos} has length ${length}`);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (m.length < 10) break;
      const height = (m[5] << 8) | m[6], width = (m[7] << 8) | m[8];
      return { format: 'jpeg', width, height, colour: m[9] >= 3 };
    }
    pos += 2 + length;
    if (pos >= size) break;
  }
  throw new ImportError(file, 'truncated', 'the file ends before the JPEG frame header');
}

function webpHeader(head: Uint8Array, view: DataView, file: string): ImageHeader {
  if (head.length < 30) throw new ImportError(file, 'truncated', 'the file ends inside its WebP header');
  const chunk = String.fromCharCode(...head.subarray(12, 16));
  if (chunk === 'VP8X') {
    const width = 1 + (head[24] | (head[25] << 8) | (head[26] << 16));
    const height = 1 + (head[27] | (head[28] << 8) | (head[29] << 16));
    return { format: 'webp', width, height, colour: null };
  }
  if (chunk === 'VP8L') {
    if (head[20] !== 0x2f) throw new ImportError(file, 'bad-header', 'the lossless WebP lacks its signature byte');
    const bits = view.getUint32(21, true);
    return { format: 'webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), colour: null };
  }
  if (chunk === 'VP8 ') {
    if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) throw new ImportError(file, 'bad-header', 'the lossy WebP lacks its frame start code');
    return { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff, colour: null };
  }
  throw new ImportError(file, 'bad-header', `unknown WebP chunk "${chunk}"`);
}

/** Width and height from a PGM header: magic, then whitespace- and comment-separated numbers. */
function pgmSize(head: Uint8Array, file: string): { width: number; height: number } {
  let p = 2;
  const nums: number[] = [];
  while (nums.length < 2) {
    while (p < head.length && (head[p] === 0x23 || head[p] === 0x20 || (head[p] >= 0x09 && head[p] <= 0x0d))) {
      if (head[p] === 0x23) while (p < head.length && head[p] !== 0x0a && head[p] !== 0x0d) p++;
      else p++;
    }
    let v = 0, digits = 0;
    while (p < head.length && head[p] >= 0x30 && head[p] <= 0x39 && digits < 10) {
      v = v * 10 + (head[p++] - 0x30);
      digits++;
    }
    if (digits === 0) throw new ImportError(file, p >= head.length ? 'truncated' : 'bad-header', 'the PGM header does not give a width and a height');
    nums.push(v);
  }
  return { width: nums[0], height: nums[1] };
}
