import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/main/backend/importers/errors';
import { readIdx, readIdxFile, type IdxArray } from '../../../src/main/backend/importers/idx';
import { fixture } from '../../unit/backend/importers/helpers';
import { writeIdx } from '../../unit/backend/importers/writers';
import { FUZZ_BUDGET, FUZZ_RUNS, FuzzStats, drawn, fcParams, fuzzInputs, tokens, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const FILE = 'fuzz-idx';
const SEEDS = ['u8-idx3-ubyte', 'i16-idx2', 'f32-idx1', 'f64-idx2', 'u8-idx3-ubyte.gz', 'huge-idx3-ubyte'].map((n) => fixture(`idx/${n}`));
const DICTIONARY = tokens([0, 0, 8], [0, 0, 0x0e], [0, 0, 0x0a], [0x1f, 0x8b], [0x1f, 0x8b, 8, 0], [0xff, 0xff, 0xff, 0xff], [0, 0, 0, 0], [255], [1], [0x0b], [0x0d]);
const DTYPES = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as const;
const RANGES = { uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1] } as const;

/** Random IDX arrays of 1 to 3 dimensions, every element type, plain or gzipped, from `values`. */
const arraysOf = (values: fc.Arbitrary<number[]>) =>
  fc.record({ shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }), dtype: fc.constantFrom(...DTYPES), gzip: fc.boolean(), seed: values }).map(({ shape, dtype, gzip, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = seed.slice(0, n).map((v) => {
      if (dtype === 'float64') return v;
      if (dtype === 'float32') return Math.fround(v);
      const [lo, hi] = RANGES[dtype];
      return Math.min(hi, Math.max(lo, Math.round(v)));
    });
    return { shape, dtype, values, bytes: writeIdx(shape, dtype, values, gzip) };
  });
const arrays = arraysOf(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 125, maxLength: 125 }));

function checkArray(a: IdxArray): string | null {
  const n = a.shape.reduce((x, y) => x * y, 1);
  return a.data.length === n ? null : `${a.data.length} elements for shape (${a.shape.join(', ')})`;
}

const tmp = mkdtempSync(join(tmpdir(), 'fuzz-idx-'));
const summaries: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  summaries.forEach((s) => console.log(s));
  recordFigures(fuzzFigures('fuzz idx', __filename));
});

describe('fuzzing the IDX reader', () => {
  const valid = fc.oneof(fc.constantFrom(...SEEDS), arraysOf(drawn(125, (r) => r.uniform(-1e6, 1e6))).map((a) => a.bytes));

  it('only ever throws ImportErrors naming the file, on mutated and random input', () => {
    const stats = new FuzzStats('idx', FILE);
    fc.assert(
      fc.property(fuzzInputs(valid, DICTIONARY), (bytes) => stats.run(bytes, (b, f) => readIdx(b, f, { budgetBytes: FUZZ_BUDGET }), checkArray)),
      fcParams(),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('reads back the arrays a writer wrote', () => {
    const stats = new FuzzStats('idx round-trip', FILE);
    fc.assert(
      fc.property(arrays, (a) => {
        stats.run(a.bytes, readIdx, (got) => {
          if (got.dtype !== a.dtype || got.shape.join() !== a.shape.join()) return `read ${got.dtype} (${got.shape.join(', ')})`;
          return Array.from(got.data).every((v, i) => Object.is(v, a.values[i]) || v === a.values[i]) ? null : 'values differ';
        });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 5)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('streams from disk to the same array or error code as from memory', async () => {
    const stats = new FuzzStats('idx stream', FILE);
    const path = join(tmp, FILE);
    await fc.assert(
      fc.asyncProperty(fuzzInputs(valid, DICTIONARY), async (bytes) => {
        writeFileSync(path, bytes);
        let memory: IdxArray | ImportError;
        try {
          memory = readIdx(bytes, FILE, { budgetBytes: FUZZ_BUDGET });
        } catch (e) {
          memory = e as ImportError;
        }
        let streamed = new ImportError(FILE, 'io-error', 'not read') as IdxArray | ImportError;
        await stats.runAsync(
          bytes,
          async () => {
            try {
              return (streamed = await readIdxFile(path, { budgetBytes: FUZZ_BUDGET }));
            } catch (e) {
              streamed = e as ImportError;
              throw e;
            }
          },
          checkArray,
        );
        // A declared size over the budget fails the stream at once, but from memory only after
        // the (shorter) real data is measured. And from memory a gzip file is inflated whole before
        // the IDX header is read, while the stream reads the header from the first inflated bytes:
        // a broken gzip file may fail either way. All of these are refusals.
        const brokenGzip = memory instanceof ImportError && bytes[0] === 0x1f && bytes[1] === 0x8b && ['truncated', 'bad-compression'].includes(memory.code);
        const same =
          memory instanceof ImportError
            ? streamed instanceof ImportError && (streamed.code === memory.code || streamed.code === 'too-large' || brokenGzip)
            : !(streamed instanceof ImportError) && streamed.dtype === memory.dtype && Buffer.from(streamed.data.buffer).equals(Buffer.from(memory.data.buffer));
        if (!same) stats.fail(bytes, `memory gave ${outcome(memory)}, the stream ${outcome(streamed)}`);
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 50)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});

function outcome(r: IdxArray | ImportError): string {
  return r instanceof ImportError ? `${r.code} (${r.message})` : `a ${r.dtype} array (${r.shape.join(', ')})`;
}
