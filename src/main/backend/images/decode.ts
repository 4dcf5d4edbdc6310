/**
 * An image file to RGB pixels with sharp: PNG or JPEG, oriented by its EXIF tag, transparency
 * flattened onto white, gray made RGB. The size is read from the header and checked against
 * the pixel limit before anything is decoded.
 */
import sharp from 'sharp';
import { ApiError } from '../../../shared/api';

/** 4 megapixels (e.g. 2000 × 2000): 48 MB of float32 colours in the project. */
export const MAX_IMAGE_PIXELS = 4_000_000;

export interface RgbImage {
  width: number;
  height: number;
  /** height · width · 3 bytes, top row first. */
  rgb: Uint8Array;
}

export async function decodeRgb(bytes: Uint8Array, name: string, maxPixels = MAX_IMAGE_PIXELS): Promise<RgbImage> {
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => {
      throw new ApiError(`${name} is not an image sharp can read (PNG or JPEG expected)`, 'bad-input');
    });
  if (meta.format !== 'png' && meta.format !== 'jpeg') {
    throw new ApiError(`${name} is ${meta.format ? `a ${meta.format.toUpperCase()} image` : 'not an image'}: open a PNG or JPEG`, 'bad-input');
  }
  const w = meta.width ?? 0, h = meta.height ?? 0;
  if (w * h > maxPixels) {
    throw new ApiError(
      `${name} is ${w} × ${h} = ${(w * h / 1e6).toFixed(1)} megapixels, over the ${(maxPixels / 1e6).toFixed(1)}-megapixel limit: resize it first`,
      'too-large',
    );
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (e) {
    throw new ApiError(`Could not decode ${name}: ${e instanceof Error ? e.message : String(e)}`, 'bad-input');
  }
}
