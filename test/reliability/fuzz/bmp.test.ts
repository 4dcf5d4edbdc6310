import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readBmp, type BmpImage } from '../../../src/main/backend/importers/bmp';
import { writeBmp, type BmpWriteOptions } from '../../unit/backend/importers/bmp-writer';
import { FUZZ_BUDGET, FUZZ_RUNS, FuzzStats, drawn, fcParams, fuzzInputs, tokens, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const FILE = 'fuzz.bmp';
const DICTIONARY = tokens('BM', [0x28, 0, 0, 0], [0x0c, 0, 0, 0], [0x7c, 0, 0, 0], [0x6c, 0, 0, 0], [8, 0], [24, 0], [32, 0], [3, 0, 0, 0], [1, 0, 0, 0], [0xff, 0xff, 0xff, 0xff]);

type Layout = Pick<BmpWriteOptions, 'bitCount' | 'channels' | 'headerSize' | 'bitfields'>;
const LAYOUTS: Layout[] = [
  { bitCount: 8, channels: 1 },
  { bitCount: 8, channels: 3 },
  { bitCount: 8, channels: 1, headerSize: 12 },
  { bitCount: 24, channels: 3 },
  { bitCount: 24, channels: 3, headerSize: 12 },
  { bitCount: 32, channels: 3 },
  { bitCount: 32, channels: 3, bitfields: true },
  { bitCount: 32, channels: 4, bitfields: true, headerSize: 108 },
  { bitCount: 32, channels: 4, bitfields: true, headerSize: 124 },
];

/** Random images up to 9×9 in every layout the reader accepts. */
const images = fc
  .record({
    width: fc.integer({ min: 1, max: 9 }),
    height: fc.integer({ min: 1, max: 9 }),
    layout: fc.constantFrom(...LAYOUTS),
    topDown: fc.boolean(),
    samples: drawn(9 * 9 * 4, (r) => r.int(256)),
  })
  .map(({ width, height, layout, topDown, samples }) => {
    const n = width * height;
    // A palette has few colours: draw pixels from 5 of them; alpha stays non-zero so it is kept.
    let pixels = samples.slice(0, n * layout.channels);
    if (layout.bitCount === 8) pixels = Array.from({ length: n * layout.channels }, (_, i) => samples[(Math.floor(i / layout.channels) % 5) * layout.channels + (i % layout.channels)]);
    if (layout.channels === 4) pixels = pixels.map((v, i) => (i % 4 === 3 ? Math.max(1, v) : v));
    const opts = { width, height, pixels, topDown, ...layout };
    return { opts, bytes: writeBmp(opts) };
  });

function checkImage(img: BmpImage): string | null {
  if (img.pixels.length !== img.width * img.height * img.channels) return `${img.pixels.length} samples for ${img.width}×${img.height}×${img.channels}`;
  return null;
}

const summaries: string[] = [];
afterAll(() => {
  summaries.forEach((s) => console.log(s));
  recordFigures(fuzzFigures('fuzz bmp', __filename));
});

describe('fuzzing the BMP reader', () => {
  it('only ever throws ImportErrors naming the file, on mutated and random input', () => {
    const stats = new FuzzStats('bmp', FILE);
    fc.assert(
      fc.property(fuzzInputs(images.map((i) => i.bytes), DICTIONARY), (bytes) =>
        stats.run(bytes, (b, f) => readBmp(b, f, { budgetBytes: FUZZ_BUDGET, maxPixels: 1 << 20 }), checkImage),
      ),
      fcParams(),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('reads back the pixels a writer wrote, in every layout', () => {
    const stats = new FuzzStats('bmp round-trip', FILE);
    fc.assert(
      fc.property(images, ({ opts, bytes }) => {
        stats.run(bytes, readBmp, (got) => {
          if (got.width !== opts.width || got.height !== opts.height) return 'size differs';
          // A colour palette that happens to hold only grays reads as one channel.
          const gray = got.channels === 1 && opts.channels === 3;
          const expected = gray ? Array.from({ length: opts.width * opts.height }, (_, i) => opts.pixels[3 * i]) : Array.from(opts.pixels);
          if (!gray && got.channels !== opts.channels) return `channels ${got.channels}, wrote ${opts.channels}`;
          return Array.from(got.pixels).every((p, i) => p === expected[i]) ? null : 'pixels differ';
        });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 5)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});
