// Renders the app icon from its SVG sources into every file the packages need, with sharp:
//   resources/icon.png                 512 px, the window icon on Linux
//   resources/icon.icns, icon.ico      the app icon on macOS and Windows
//   resources/icons/NxN.png            16…1024 px, the Linux icon set (electron-builder linux.icon)
//   resources/icons/document.{icns,ico}  the icon of .clusterscope files (fileAssociations)
//   resources/icons/manifest.json      the sources' SHA-256, so a test notices an SVG edited
//                                      without the PNGs being made again
// Sizes up to 32 px come from resources/icons/icon-small.svg, drawn for the pixel grid (the full
// drawing's points blur into each other there); larger ones from resources/icon.svg.
//
// Run: npx node scripts/make-icons.mjs   (commit the outputs; the build does not run this)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = { large: 'resources/icon.svg', small: 'resources/icons/icon-small.svg' };
const SET_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const SMALL_MAX = 32;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types holding PNG data, by pixel size (Apple Icon Image format). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16 pt @2x
  ['ic12', 64], // 32 pt @2x
  ['ic07', 128],
  ['ic13', 256], // 128 pt @2x
  ['ic08', 256],
  ['ic14', 512], // 256 pt @2x
  ['ic09', 512],
  ['ic10', 1024], // 512 pt @2x
];

const read = (rel) => readFileSync(join(root, rel), 'utf8');

/** The SVG's width in user units (its rasterisation at 72 dpi). */
function svgWidth(svg) {
  const m = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg);
  if (!m) throw new Error('the SVG needs a width attribute');
  return Number(m[1]);
}

/** Rasterises at four times the target and scales down: smoother edges on small sizes. */
async function renderSvg(svg, size) {
  const density = (72 * size * 4) / svgWidth(svg);
  return sharp(Buffer.from(svg), { density })
    .resize(size, size, { kernel: 'lanczos3' })
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
}

/**
 * A .clusterscope document: a page with a folded corner and the app icon on it. The app icon's
 * drawing is nested whole, so the document follows any change to it.
 */
function documentSvg(iconSvg) {
  const inner = iconSvg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1024 1024" width="1024" height="1024">
  <path d="M200 64 H640 L864 288 V912 Q864 960 816 960 H200 Q152 960 152 912 V112 Q152 64 200 64 Z" fill="#f8fafc" stroke="#94a3b8" stroke-width="16"/>
  <path d="M640 64 V240 Q640 288 688 288 H864" fill="#e2e8f0" stroke="#94a3b8" stroke-width="16" stroke-linejoin="round"/>
  <svg x="212" y="332" width="600" height="600" viewBox="0 0 1024 1024">${inner}</svg>
</svg>`;
}

/** PNG → 32-bit BMP (DIB) image for an ICO entry: bottom-up BGRA rows and an empty AND mask. */
async function icoBitmap(png, size) {
  const { data } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0);
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8); // colour rows plus mask rows
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(32, 14);
  out.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  for (let y = 0; y < size; y++) {
    const src = (size - 1 - y) * size * 4;
    const dst = 40 + y * size * 4;
    for (let x = 0; x < size; x++) {
      const s = src + x * 4, d = dst + x * 4;
      out[d] = data[s + 2];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s];
      out[d + 3] = data[s + 3];
    }
  }
  return out;
}

/**
 * ICO with bitmaps below 256 px (what every Windows component and NSIS read) and a PNG at
 * 256 px (Vista and later).
 */
async function encodeIco(pngBySize) {
  const images = [];
  for (const size of ICO_SIZES) {
    const png = pngBySize.get(size);
    images.push({ size, data: size >= 256 ? png : await icoBitmap(png, size) });
  }
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size; // 0 means 256
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** ICNS: the 'icns' header and one PNG element per type. */
function encodeIcns(pngBySize) {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

async function renderSet(largeSvg, smallSvg, sizes) {
  const out = new Map();
  for (const size of sizes) out.set(size, await renderSvg(size <= SMALL_MAX && smallSvg ? smallSvg : largeSvg, size));
  return out;
}

// Line endings normalised: a Windows checkout (CRLF) has the same drawing.
const sha256 = (text) => createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');

async function main() {
  const large = read(SOURCES.large);
  const small = read(SOURCES.small);
  const write = (rel, data) => {
    writeFileSync(join(root, rel), data);
    console.log(`${rel}  ${data.length} bytes`);
  };

  const app = await renderSet(large, small, SET_SIZES);
  for (const size of SET_SIZES) write(`resources/icons/${size}x${size}.png`, app.get(size));
  write('resources/icon.png', app.get(512));
  write('resources/icon.ico', await encodeIco(app));
  write('resources/icon.icns', encodeIcns(app));

  // The page shape reads at every size, so documents have no separate small drawing.
  const docSizes = [...new Set([...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])];
  const doc = await renderSet(documentSvg(large), null, docSizes);
  write('resources/icons/document.ico', await encodeIco(doc));
  write('resources/icons/document.icns', encodeIcns(doc));

  const manifest = {
    generator: 'scripts/make-icons.mjs',
    sources: Object.fromEntries(Object.values(SOURCES).map((rel) => [rel, sha256(read(rel))])),
  };
  write('resources/icons/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
}

await main();
