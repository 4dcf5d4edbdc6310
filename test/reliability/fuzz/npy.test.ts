import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../../src/core/math/matrix';
import { readNpy, writeNpy, type NpyArray } from '../../../src/main/backend/importers/npy';
import { fixture } from '../../unit/backend/importers/helpers';
import { FUZZ_BUDGET, FUZZ_RUNS, FuzzStats, drawn, fcParams, fuzzInputs, tokens, wideFloat, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const FILE = 'fuzz.npy';
const SEEDS = ['f8.npy', 'f4.npy', 'fortran-f8.npy', 'big-endian-f8.npy', 'big-endian-i4.npy', 'i8.npy', 'u1.npy', 'b1.npy', 'f2.npy', '1d-f8.npy', 'v2.npy', 'v3.npy', 'object.npy', 'structured.npy'].map(
  (n) => fixture(`npy/${n}`),
);
const DICTIONARY = tokens("'<f8'", "'>i4'", "'|O'", 'True', 'False', '(', ')', '[', ',', ':', "'", '"', '{', '}', '9999999999', '0', "'shape'", "'descr'", 'L', '\n', ' ', [0x93], 'NUMPY', [3, 0]);

/** Random float64 or float32 matrices up to 9×9, including empty ones, from `values`. */
function matricesOf(values: fc.Arbitrary<number[]>): fc.Arbitrary<Matrix> {
  return fc.record({ rows: fc.nat({ max: 9 }), cols: fc.nat({ max: 9 }), single: fc.boolean(), values }).map(({ rows, cols, single, values }) => {
    const v = values.slice(0, rows * cols);
    return { rows, cols, data: single ? Float32Array.from(v) : Float64Array.from(v) };
  });
}

/** With fast-check's doubles (NaN, ±0, infinities, subnormals) for the round trip. */
const matrices = matricesOf(fc.array(fc.double(), { minLength: 81, maxLength: 81 }));

function checkArray(a: NpyArray): string | null {
  const { rows, cols, data } = a.matrix;
  if (data.length !== rows * cols) return `${data.length} values for shape (${rows}, ${cols})`;
  if (rows !== a.shape[0] || cols !== (a.shape[1] ?? 1)) return `matrix (${rows}, ${cols}) for shape (${a.shape.join(', ')})`;
  return null;
}

const summaries: string[] = [];
afterAll(() => {
  summaries.forEach((s) => console.log(s));
  recordFigures(fuzzFigures('fuzz npy', __filename));
});

describe('fuzzing the .npy reader', () => {
  it('only ever throws ImportErrors naming the file, on mutated and random input', () => {
    const stats = new FuzzStats('npy', FILE);
    const valid = fc.oneof(fc.constantFrom(...SEEDS), matricesOf(drawn(81, wideFloat)).map(writeNpy));
    fc.assert(
      fc.property(fuzzInputs(valid, DICTIONARY), (bytes) => stats.run(bytes, (b, f) => readNpy(b, f, { budgetBytes: FUZZ_BUDGET }), checkArray)),
      fcParams(),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('reads back exactly what writeNpy wrote', () => {
    const stats = new FuzzStats('npy round-trip', FILE);
    fc.assert(
      fc.property(matrices, (m) => {
        const bytes = writeNpy(m);
        stats.run(bytes, readNpy, (a) => {
          if (a.matrix.rows !== m.rows || a.matrix.cols !== m.cols) return `shape (${a.matrix.rows}, ${a.matrix.cols})`;
          if (a.matrix.data.constructor !== m.data.constructor) return `element type ${a.matrix.data.constructor.name}`;
          const got = new Uint8Array(a.matrix.data.buffer, a.matrix.data.byteOffset, a.matrix.data.byteLength);
          return Buffer.from(got).equals(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)) ? null : 'values differ';
        });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 5)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});
