import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readPgm, type PgmImage } from '../../../src/main/backend/importers/pgm';
import { fixture } from '../../unit/backend/importers/helpers';
import { writePgm } from '../../unit/backend/importers/writers';
import { FUZZ_BUDGET, FUZZ_RUNS, FuzzStats, drawn, fcParams, fuzzInputs, tokens, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const FILE = 'fuzz.pgm';
const SEEDS = ['p5-comments.pgm', 'p5-16bit.pgm', 'p2.pgm', 'above-maxval.pgm', 'huge.pgm'].map((n) => fixture(`pgm/${n}`));
const DICTIONARY = tokens('#', '# comment\n', '\n', ' ', '\t', '\r', 'P5', 'P2', 'P6', '255', '65535', '65536', '0', '99999', '4294967297', '-1', 'x');

/** Random images up to 12×12, 8- or 16-bit, binary or plain. */
const images = fc
  .record({
    width: fc.integer({ min: 1, max: 12 }),
    height: fc.integer({ min: 1, max: 12 }),
    maxval: fc.oneof(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 256, max: 65535 })),
    plain: fc.boolean(),
    fractions: fc.oneof(drawn(144, (r) => r.random()), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 144, maxLength: 144 })),
  })
  .map(({ width, height, maxval, plain, fractions }) => {
    const pixels = fractions.slice(0, width * height).map((f) => Math.round(f * maxval));
    return { width, height, maxval, plain, pixels, bytes: writePgm(width, height, maxval, pixels, plain) };
  });

function checkImage(img: PgmImage): string | null {
  if (img.pixels.length !== img.width * img.height) return `${img.pixels.length} pixels for ${img.width}×${img.height}`;
  for (const p of img.pixels) if (p > img.maxval) return `pixel ${p} above maxval ${img.maxval}`;
  return null;
}

const summaries: string[] = [];
afterAll(() => {
  summaries.forEach((s) => console.log(s));
  recordFigures(fuzzFigures('fuzz pgm', __filename));
});

describe('fuzzing the PGM reader', () => {
  it('only ever throws ImportErrors naming the file, on mutated and random input', () => {
    const stats = new FuzzStats('pgm', FILE);
    const valid = fc.oneof(fc.constantFrom(...SEEDS), images.map((i) => i.bytes));
    fc.assert(
      fc.property(fuzzInputs(valid, DICTIONARY), (bytes) => stats.run(bytes, (b, f) => readPgm(b, f, { budgetBytes: FUZZ_BUDGET }), checkImage)),
      fcParams(),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('reads back the pixels a writer wrote', () => {
    const stats = new FuzzStats('pgm round-trip', FILE);
    fc.assert(
      fc.property(images, (img) => {
        stats.run(img.bytes, readPgm, (got) => {
          if (got.width !== img.width || got.height !== img.height || got.maxval !== img.maxval) return 'header differs';
          if ((got.pixels instanceof Uint16Array) !== img.maxval > 255) return 'wrong sample width';
          return Array.from(got.pixels).every((p, i) => p === img.pixels[i]) ? null : 'pixels differ';
        });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 5)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});
