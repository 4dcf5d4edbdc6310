import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectCsv, readCsv, readCsvFile, type CsvDelimiter, type ImportedTable } from '../../../src/main/backend/importers/csv';
import { ImportError } from '../../../src/main/backend/importers/errors';
import { fixture } from '../../unit/backend/importers/helpers';
import { writeCsv } from '../../unit/backend/importers/writers';
import { FUZZ_BUDGET, FUZZ_RUNS, FuzzStats, drawn, fcParams, fuzzInputs, tokens, wideFloat, fuzzFigures } from './harness';
import { recordFigures } from '../figures';

const FILE = 'fuzz.csv';
const SEEDS = ['bom-crlf.csv', 'quoted.csv', 'quoted-crlf.csv', 'ragged.csv', 'missing.csv', 'semicolon.csv', 'tab.tsv', 'no-header.csv', 'mixed-endings.csv', 'non-numeric.csv'].map(
  (n) => fixture(`csv/${n}`),
);
const DICTIONARY = tokens(',', ';', '\t', '"', '""', '\n', '\r\n', '\r', 'NaN', 'inf', '-', '1e999', '0x1f', ' ', '\ufeff', [0xff], [0xc3], [0xe2, 0x82], 'label', '1.5', '');

interface Table {
  rows: number[][];
  labels: string[];
  delimiter: CsvDelimiter;
  eol: string;
  withLabels: boolean;
}

const LABELS = ['a,b', 'x"y', 'line\nbreak', 'cr\r\nlf', ' ', 'é', '', 'a;b\tc', 'setosa', '1'];

/** A random table written as CSV: numbers, a label column, a delimiter and line ends. */
function tablesOf(values: fc.Arbitrary<number[]>, labels: fc.Arbitrary<string[]>): fc.Arbitrary<Table> {
  return fc
    .record({ n: fc.integer({ min: 1, max: 12 }), values, labels, delimiter: fc.constantFrom<CsvDelimiter>(',', ';', '\t'), eol: fc.constantFrom('\n', '\r\n'), withLabels: fc.boolean() })
    .map(({ n, values, labels, delimiter, eol, withLabels }) => ({
      rows: Array.from({ length: n }, (_, i) => values.slice(3 * i, 3 * i + 3)),
      labels,
      delimiter,
      eol,
      withLabels,
    }));
}

/** With fast-check's doubles and strings, for the round trip. */
const tables = tablesOf(
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 36, maxLength: 36 }),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...LABELS)), { minLength: 12, maxLength: 12 }),
);

function csvOf(t: Table): string {
  const m = { rows: t.rows.length, cols: 3, data: Float64Array.from(t.rows.flat()) };
  return writeCsv(m, { delimiter: t.delimiter, eol: t.eol, labels: t.withLabels ? t.labels : undefined });
}

const valid = fc.oneof(
  fc.constantFrom(...SEEDS),
  tablesOf(drawn(36, wideFloat), drawn(12, (r) => r.int(LABELS.length)).map((ks) => ks.map((k) => LABELS[k]))).map((t) => new TextEncoder().encode(csvOf(t))),
);

/** Sanity of a table that was read: shapes agree and every value is finite. */
function checkTable(t: ImportedTable): string | null {
  if (t.X.data.length !== t.X.rows * t.X.cols) return `X has ${t.X.data.length} values for shape (${t.X.rows}, ${t.X.cols})`;
  if (t.featureNames.length !== t.X.cols) return 'featureNames and columns disagree';
  if (t.labels !== null && t.labels.length !== t.X.rows) return 'labels and rows disagree';
  for (const v of t.X.data) if (!Number.isFinite(v)) return `X holds ${v}`;
  return null;
}

const tmp = mkdtempSync(join(tmpdir(), 'fuzz-csv-'));
const summaries: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const s of summaries) console.log(s);
  recordFigures(fuzzFigures('fuzz csv', __filename));
});

describe('fuzzing the CSV reader', () => {
  it('only ever throws ImportErrors naming the file, on mutated and random input', () => {
    const stats = new FuzzStats('csv', FILE);
    fc.assert(
      fc.property(fuzzInputs(valid, DICTIONARY), (bytes) => {
        stats.run(bytes, (b, f) => inspectCsv(b, f));
        stats.run(bytes, (b, f) => readCsv(b, f, { budgetBytes: FUZZ_BUDGET, missing: 'drop-rows' }), checkTable);
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 2)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('reads back the matrix and labels it wrote', () => {
    const stats = new FuzzStats('csv round-trip', FILE);
    fc.assert(
      fc.property(tables, (t) => {
        const bytes = new TextEncoder().encode(csvOf(t));
        stats.run(bytes, (b, f) => readCsv(b, f, { labelColumn: t.withLabels ? 'label' : null }), (got) => {
          const want = t.rows.flat();
          if (got.X.rows !== t.rows.length || got.X.cols !== 3) return `shape (${got.X.rows}, ${got.X.cols})`;
          for (let i = 0; i < want.length; i++) if (got.X.data[i] !== want[i]) return `value ${i}: ${got.X.data[i]} !== ${want[i]}`;
          if (t.withLabels && got.labels!.join('\u0000') !== t.labels.slice(0, t.rows.length).join('\u0000')) return 'labels differ';
          return null;
        });
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 5)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });

  it('streams from disk to the same result or error as from memory', async () => {
    const stats = new FuzzStats('csv stream', FILE);
    const path = join(tmp, FILE);
    await fc.assert(
      fc.asyncProperty(fuzzInputs(valid, DICTIONARY), fc.integer({ min: 16, max: 64 }), async (bytes, chunkBytes) => {
        writeFileSync(path, bytes);
        let memory: ImportedTable | ImportError;
        try {
          memory = readCsv(bytes, FILE, { budgetBytes: FUZZ_BUDGET });
        } catch (e) {
          memory = e as ImportError;
        }
        let streamed = new ImportError(FILE, 'io-error', 'not read') as ImportedTable | ImportError;
        await stats.runAsync(bytes, async () => {
          try {
            return (streamed = await readCsvFile(path, { budgetBytes: FUZZ_BUDGET, chunkBytes }));
          } catch (e) {
            streamed = e as ImportError;
            throw e;
          }
        }, checkTable);
        // From memory the whole file is checked for UTF-8 first; the stream checks each chunk as
        // it parses, so it may first meet a problem on an earlier line of an invalid file.
        const same =
          memory instanceof ImportError
            ? streamed instanceof ImportError &&
              ((streamed.code === memory.code && streamed.line === memory.line) ||
                (memory.code === 'bad-encoding' && streamed.line !== undefined && streamed.line <= memory.line!))
            : !(streamed instanceof ImportError) && Buffer.from(streamed.X.data.buffer).equals(Buffer.from(memory.X.data.buffer)) && String(streamed.labels) === String(memory.labels);
        if (!same) stats.fail(bytes, `memory gave ${outcome(memory)}, the stream ${outcome(streamed)}`);
      }),
      fcParams(Math.ceil(FUZZ_RUNS / 50)),
    );
    summaries.push(stats.summary());
    expect(stats.unexpected, stats.report()).toHaveLength(0);
  });
});

function outcome(r: ImportedTable | ImportError): string {
  return r instanceof ImportError ? `${r.code} at line ${r.line}` : `a (${r.X.rows}, ${r.X.cols}) table`;
}
