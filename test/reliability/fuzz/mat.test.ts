import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readMat, type MatVariable } from '../../../src/main/backend/importers/mat';
import { fixture } from '../../unit/backend/importers/helpers';
import { writeMat, type MatWriteVar } from '../../unit/backend/importers/writers';
import { FUZZ_BUDGET, FUZZ_RUNS, FuzzStats, drawn, fcParams, fuzzInputs, tokens, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const FILE = 'fuzz.mat';
const SEEDS = ['vars.mat', 'vars-compressed.mat', 'big-endian.mat'].map((n) => fixture(`mat/${n}`));
const DICTIONARY = tokens([14, 0, 0, 0], [15, 0, 0, 0], [6, 0, 0, 0, 8, 0, 0, 0], [5, 0, 0, 0], [1, 0, 1, 0], [0xff, 0xff, 0xff, 0x7f], [0, 1], 'IM', 'MI', [0x78, 0x9c], [0, 0, 0, 0, 0, 0, 0, 0]);

/** Stored element types (mi codes) with their value ranges and the class codes that may use them. */
const TYPES = [
  { miType: 1, classCode: 8, lo: -128, hi: 127 },
  { miType: 2, classCode: 9, lo: 0, hi: 255 },
  { miType: 3, classCode: 10, lo: -32768, hi: 32767 },
  { miType: 4, classCode: 11, lo: 0, hi: 65535 },
  { miType: 5, classCode: 12, lo: -(2 ** 31), hi: 2 ** 31 - 1 },
  { miType: 6, classCode: 13, lo: 0, hi: 2 ** 32 - 1 },
  { miType: 7, classCode: 7, lo: -1e30, hi: 1e30 },
  { miType: 9, classCode: 6, lo: -1e300, hi: 1e300 },
];

const variables: fc.Arbitrary<MatWriteVar> = fc
  .record({
    type: fc.constantFrom(...TYPES),
    asDouble: fc.boolean(),
    dims: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 3 }),
    seed: fc.oneof(drawn(64, (r) => r.random()), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 })),
  })
  .map(({ type, asDouble, dims, seed }) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const values = seed.slice(0, n).map((f) => {
      const v = type.lo + f * (type.hi - type.lo);
      return type.miType === 9 ? v : type.miType === 7 ? Math.fround(v) : Math.round(v);
    });
    // MATLAB stores a double array of small integers in a narrower type: the class says double.
    return { name: 'v', dims, classCode: asDouble ? 6 : type.classCode, miType: type.miType, values };
  });

const files = fc
  .record({ vars: fc.array(variables, { minLength: 0, maxLength: 3 }), bigEndian: fc.boolean(), compress: fc.boolean() })
  .map(({ vars, bigEndian, compress }) => {
    const named = vars.map((v, i) => ({ ...v, name: `v${i}` }));
    return { vars: named, bytes: writeMat(named, { bigEndian, compress }) };
  });

function checkVars(vars: Map<string, MatVariable>): string | null {
  for (const [name, v] of vars) {
    const n = v.dims.reduce((a, b) => a * b, 1);
    if (v.data.length !== n) return `${name} holds ${v.data.length} elements for dims ${v.dims.join('×')}`;
  }
  return null;
}

const summaries: string[] = [];
afterAll(() => {
  summaries.forEach((s) => console.log(s));
  recordFigures(fuzzFigures('fuzz mat', __filename));
});

describe('fuzzing the MAT reader', () => {
  it('only ever throws ImportErrors naming the file, on mutated and random input', () => {
    const stats = new FuzzStats('mat', FILE);
    const valid = fc.oneof(fc.constantFrom(...SEEDS), files.map((f) => f.bytes));
    fc.assert(
      fc.property(fuzzInputs(valid, DICTIONARY), (bytes) => stats.run(bytes, (b, f) => readMat(b, f, { budgetBytes: FUZZ_BUDGET }), checkVars)),
      fcParams(),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('reads back the variables a writer wrote, in either byte order, compressed or not', () => {
    const stats = new FuzzStats('mat round-trip', FILE);
    fc.assert(
      fc.property(files, (f) => {
        stats.run(f.bytes, readMat, (got) => {
          if (got.size !== f.vars.length) return `${got.size} variables, ${f.vars.length} written`;
          for (const v of f.vars) {
            const g = got.get(v.name)!;
            if (g.dims.join() !== v.dims.join()) return `${v.name}: dims ${g.dims.join('×')}`;
            if (!Array.from(g.data).every((x, i) => x === v.values[i])) return `${v.name}: values differ`;
          }
          return null;
        });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 5)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});
