/**
 * One image file to one row of a dataset: decoded (sharp for PNG, JPEG and WebP with its pixel
 * limit checked from the header before any decoding; the strict PGM and BMP readers otherwise),
 * made gray or RGB, transparency flattened onto white, and resized to the dataset's size when it
 * differs. The samples stay 8-bit (0..255); 16-bit images are reduced to 8 bits.
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { readBmp } from '../importers/bmp';
import { ImportError } from '../importers/errors';
import { DEFAULT_MAX_PIXELS, readPgm } from '../importers/pgm';
import { notAnImage, readImageHeaderOf, sniffFormat } from './formats';

export interface ImageTarget {
  width: number;
  height: number;
  /** 1: grayscale, 3: RGB. */
  channels: 1 | 3;
  /** How an image of another shape is fitted: stretched to the size, or scaled to cover it and cropped at the centre. */
  resize: 'stretch' | 'crop';
  /** Images with more pixels are refused before decoding. */
  maxPixels?: number;
}

export interface DecodedImage {
  /** `height * width * channels` samples of the target, top row first. */
  pixels: Uint8Array;
  sourceWidth: number;
  sourceHeight: number;
  /** True when the source had another size and was resized. */
  resized: boolean;
}

/** Decodes `bytes` (the content of `file`) to the target size and colour. */
export async function decodeImage(bytes: Uint8Array, file: string, target: ImageTarget): Promise<DecodedImage> {
  const maxPixels = target.maxPixels ?? DEFAULT_MAX_PIXELS;
  const format = sniffFormat(bytes.subarray(0, 16));
  if (!format) throw notAnImage(file, bytes.subarray(0, 64));
  if (format === 'pgm' || format === 'bmp') {
    const img = format === 'pgm' ? pgmRaster(bytes, file, maxPixels) : readBmp(bytes, file, { maxPixels });
    const same = img.width === target.width && img.height === target.height && img.channels === target.channels;
    if (same) return { pixels: img.pixels, sourceWidth: img.width, sourceHeight: img.height, resized: false };
    const input = sharp(img.pixels, { raw: { width: img.width, height: img.height, channels: img.channels } });
    return convert(input, file, img.width, img.height, target);
  }
  const input = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true });
  // Our header reader is much cheaper than a round trip through sharp; sharp has the last word
  // on a header ours cannot make sense of.
  let w: number | undefined, h: number | undefined;
  try {
    ({ width: w, height: h } = await readImageHeaderOf(bytes, file));
  } catch {
    try {
      ({ width: w, height: h } = await input.metadata());
    } catch (e) {
      throw sharpError(e, file, format, maxPixels);
    }
  }
  if (!w || !h) throw new ImportError(file, 'bad-header', `the ${format.toUpperCase()} header gives no size`);
  // sharp also checks its limit, but only where it decodes: say why before it starts.
  if (w * h > maxPixels) throw tooLarge(file, w, h, maxPixels);
  return convert(input, file, w, h, target, format);
}

async function convert(input: Sharp, file: string, w: number, h: number, target: ImageTarget, format: string = 'raw'): Promise<DecodedImage> {
  const resized = w !== target.width || h !== target.height;
  let pipeline = input.flatten({ background: '#ffffff' });
  if (resized) pipeline = pipeline.resize(target.width, target.height, { fit: target.resize === 'crop' ? 'cover' : 'fill' });
  pipeline = target.channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw sharpError(e, file, format, target.maxPixels ?? DEFAULT_MAX_PIXELS);
  }
  const pixels = toChannels(out.data, out.info.channels, target.channels, target.width * target.height, file);
  return { pixels, sourceWidth: w, sourceHeight: h, resized };
}

/** sharp may keep an alpha or a colour channel the pipeline did not drop: keep the asked ones. */
function toChannels(data: Buffer, have: number, want: 1 | 3, count: number, file: string): Uint8Array {
  if (data.length !== count * have) throw new ImportError(file, 'length-mismatch', `the decoder returned ${data.length} samples for ${count} pixels`);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (have === want) return bytes.slice();
  const out = new Uint8Array(count * want);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < want; k++) out[i * want + k] = bytes[i * have + Math.min(k, have - 1)];
  }
  return out;
}

/** A PGM as an 8-bit raster (samples scaled from maxval to 255). */
function pgmRaster(bytes: Uint8Array, file: string, maxPixels: number): { width: number; height: number; channels: 1; pixels: Uint8Array } {
  const img = readPgm(bytes, file, { maxPixels });
  if (img.maxval === 255) return { width: img.width, height: img.height, channels: 1, pixels: img.pixels as Uint8Array };
  const out = new Uint8Array(img.pixels.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((img.pixels[i] * 255) / img.maxval);
  return { width: img.width, height: img.height, channels: 1, pixels: out };
}

function tooLarge(file: string, w: number, h: number, maxPixels: number): ImportError {
  return new ImportError(file, 'too-large', `the image is ${w}×${h}, more than the ${maxPixels.toLocaleString('en-US')} pixels allowed (refused before decoding)`);
}

/** sharp's messages, in the importers' terms. */
function sharpError(e: unknown, file: string, format: string, maxPixels: number): ImportError {
  if (e instanceof ImportError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const what = format.toUpperCase();
  if (/exceeds pixel limit/i.test(message)) return new ImportError(file, 'too-large', `the image has more than the ${maxPixels.toLocaleString('en-US')} pixels allowed (refused before decoding)`);
  if (/premature end|truncated|unexpected end|end of (file|stream)|not enough data|short read/i.test(message)) {
    return new ImportError(file, 'truncated', `the ${what} data ends early (${firstLine(message)})`);
  }
  if (/unsupported image format/i.test(message)) return new ImportError(file, 'bad-magic', `not a readable image (${firstLine(message)})`);
  return new ImportError(file, 'bad-value', `the ${what} data is damaged (${firstLine(message)})`);
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/^Vips\w*:\s*/, '').trim();
}
