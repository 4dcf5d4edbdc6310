import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DISTINCT_CAP, PREVIEW_ROWS, inspectCsv, inspectCsvFile, readCsv, readCsvFile } from '../../../../src/main/backend/importers/csv';
import { parseCell } from '../../../../src/main/backend/importers/csv-cells';
import { sniff } from '../../../../src/main/backend/importers/csv-sniff';
import { fixture, fixturePath, importError, importErrorAsync, utf8 } from './helpers';
import { SHARED_DATA } from './writers';

const IRIS = SHARED_DATA + 'tables/iris.csv';
const DIGITS = SHARED_DATA + 'tables/digits.csv';
const tmp = mkdtempSync(join(tmpdir(), 'csv-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tmpFile(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

function counts(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

describe('parseCell', () => {
  it('reads decimal numbers, with sign, fraction, exponent and surrounding blanks', () => {
    for (const [s, v] of [['1', 1], ['-2.5', -2.5], ['+3', 3], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['-1.5E-2', -0.015], [' 7 ', 7], ['0', 0], ['-0', -0]] as const) {
      expect(parseCell(s)).toBe(v);
    }
  });

  it('takes empty cells, NaN and NA spellings and infinities for missing values', () => {
    for (const s of ['', '  ', 'NaN', 'nan', 'NA', 'N/A', 'null', 'None', 'inf', '-Inf', 'Infinity', '-Infinity', '1e999']) {
      expect(parseCell(s), s).toBeNaN();
    }
  });

  it('takes anything else for text, including hexadecimal and binary literals', () => {
    for (const s of ['abc', '0x1f', '0b101', '0o7', '1,5', '1.2.3', '-', '.', '1_000', '12abc', 'e5']) {
      expect(parseCell(s), s).toBeUndefined();
    }
  });
});

describe('sniff', () => {
  it('guesses from a prefix that settles the guess what it guesses from the whole text', () => {
    const token = fc.constantFrom('1', '2.5', 'a', 'b c', '"x,y"', '"q\nr"', '""', ',', ',', ';', '\t', '\n', '\n', '\r\n', '');
    let settledPrefixes = 0;
    fc.assert(
      fc.property(fc.array(token, { minLength: 1200, maxLength: 2000 }), fc.nat(), (parts, cut) => {
        const text = parts.join('');
        const full = sniff(text, true);
        const prefix = sniff(text.slice(0, cut % (text.length + 1)), false);
        if (prefix.settled) {
          settledPrefixes++;
          expect({ ...prefix, settled: true }).toEqual(full);
        }
      }),
      { numRuns: 150, seed: 1 },
    );
    expect(settledPrefixes).toBeGreaterThan(10);
  });
});

describe('inspectCsv', () => {
  it('describes the iris table: header, four numeric columns and the species as labels', async () => {
    const p = await inspectCsvFile(IRIS);
    expect(p.delimiter).toBe(',');
    expect(p.hasHeader).toBe(true);
    expect(p.nRows).toBe(150);
    expect(p.rows).toHaveLength(PREVIEW_ROWS);
    expect(p.rows[0]).toEqual(['5.1', '3.5', '1.4', '0.2', 'setosa']);
    expect(p.columns.map((c) => c.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
    expect(p.columns.map((c) => c.numeric)).toEqual([true, true, true, true, false]);
    expect(p.columns.map((c) => c.isLabelCandidate)).toEqual([false, false, false, false, true]);
    expect(p.columns[4]).toMatchObject({ distinctCount: 3, missing: 0, nonNumericExample: { line: 2, value: 'setosa' } });
  });

  it('gives the same description from bytes as from the file', async () => {
    const { readFileSync } = await import('node:fs');
    expect(inspectCsv(new Uint8Array(readFileSync(IRIS)), 'iris.csv')).toEqual(await inspectCsvFile(IRIS));
  });

  it('takes an integer column named label for the labels of the digits table', () => {
    const p = inspectCsv(fixtureFromShared('tables/digits.csv'), 'digits.csv');
    expect(p.nRows).toBe(1797);
    expect(p.columns).toHaveLength(65);
    expect(p.columns.filter((c) => c.isLabelCandidate).map((c) => c.name)).toEqual(['label']);
    expect(p.columns[64].distinctCount).toBe(10);
    expect(p.columns.every((c) => c.numeric)).toBe(true);
  });

  it('strips a byte order mark and reads CRLF line ends', () => {
    const p = inspectCsv(fixture('csv/bom-crlf.csv'), 'bom-crlf.csv');
    expect(p.columns.map((c) => c.name)).toEqual(['x', 'y', 'label']);
    expect(p.rows).toEqual([['1.5', '2', 'a'], ['3', '4.25', 'b'], ['-5e-1', '6', 'a']]);
  });

  it('honours quotes around delimiters, line breaks and doubled quotes', () => {
    const p = inspectCsv(fixture('csv/quoted.csv'), 'quoted.csv');
    expect(p.nRows).toBe(3);
    expect(p.rows[1][0]).toBe('multi\nline "quoted"');
    expect(p.columns[0].nonNumericExample).toEqual({ line: 2, value: 'Smith, J.' });
    expect(p.columns.slice(1).map((c) => c.numeric)).toEqual([true, true]);
  });

  it('detects semicolons and tabs as delimiters', () => {
    const semi = inspectCsv(fixture('csv/semicolon.csv'), 'semicolon.csv');
    expect(semi.delimiter).toBe(';');
    expect(semi.columns.map((c) => [c.name, c.numeric])).toEqual([['height', true], ['weight', true], ['city', false]]);
    const tab = inspectCsv(fixture('csv/tab.tsv'), 'tab.tsv');
    expect(tab.delimiter).toBe('\t');
    expect(tab.columns.map((c) => c.name)).toEqual(['p', 'q']);
  });

  it('names the columns of a file without a header by position', () => {
    const p = inspectCsv(fixture('csv/no-header.csv'), 'no-header.csv');
    expect(p.hasHeader).toBe(false);
    expect(p.nRows).toBe(3);
    expect(p.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
  });

  it('counts missing cells per column', () => {
    const p = inspectCsv(fixture('csv/missing.csv'), 'missing.csv');
    expect(p.columns.map((c) => [c.missing, c.numeric])).toEqual([[0, true], [2, true], [1, true]]);
  });

  it('caps the distinct count', () => {
    const text = 'id\n' + Array.from({ length: 1500 }, (_, i) => `id${i}`).join('\n') + '\n';
    const p = inspectCsv(utf8(text), 'ids.csv');
    expect(p.columns[0].distinctCount).toBe(DISTINCT_CAP);
    expect(p.columns[0].isLabelCandidate).toBe(false);
  });

  it('rejects empty files, blank files and a header without data', () => {
    expect(importError(() => inspectCsv(fixture('csv/empty.csv'), 'empty.csv')).code).toBe('empty-file');
    expect(importError(() => inspectCsv(fixture('csv/blank.csv'), 'blank.csv')).code).toBe('empty-file');
    const e = importError(() => inspectCsv(fixture('csv/header-only.csv'), 'header-only.csv'));
    expect(e.code).toBe('no-data');
    expect(e.message).toMatch(/^header-only\.csv: /);
  });

  it('rejects invalid UTF-8 with the line of the bad byte', () => {
    const e = importError(() => inspectCsv(fixture('csv/invalid-utf8.csv'), 'invalid-utf8.csv'));
    expect(e.code).toBe('bad-encoding');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^invalid-utf8\.csv, line 3: .*0xe9/);
  });

  it('rejects a ragged row with its line number', () => {
    const e = importError(() => inspectCsv(fixture('csv/ragged.csv'), 'ragged.csv'));
    expect(e.code).toBe('ragged-row');
    expect(e.message).toBe('ragged.csv, line 7: expected 5 fields, found 4');
  });

  it('counts lines right after quoted CRLF line breaks', () => {
    const e = importError(() => inspectCsv(fixture('csv/quoted-crlf.csv'), 'quoted-crlf.csv'));
    expect(e.code).toBe('ragged-row');
    expect(e.line).toBe(5);
    const ok = 'a,b\r\n"x\r\ny\r\nz",1\r\n"w",2\r\n"v",oops\r\n';
    const bad = importError(() => readCsv(utf8(ok), 'q.csv', { columns: ['b'] }));
    expect(bad).toMatchObject({ code: 'non-numeric', line: 6, column: 'b' });
  });

  it('rejects a quote that is never closed', () => {
    const e = importError(() => inspectCsv(fixture('csv/unclosed-quote.csv'), 'unclosed-quote.csv'));
    expect(e).toMatchObject({ code: 'bad-quote', line: 3 });
  });
});

describe('readCsv', () => {
  it('reads the iris features and species', () => {
    const t = readCsv(fixtureFromShared('tables/iris.csv'), 'iris.csv', { labelColumn: 'species' });
    expect([t.X.rows, t.X.cols]).toEqual([150, 4]);
    expect(t.X.data).toBeInstanceOf(Float64Array);
    expect(Array.from(t.X.data.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(Array.from(t.X.data.subarray(596, 600))).toEqual([5.9, 3.0, 5.1, 1.8]);
    expect(t.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(t.labelName).toBe('species');
    expect(counts(t.labels!)).toEqual({ setosa: 50, versicolor: 50, virginica: 50 });
    expect(t.nDroppedRows).toBe(0);
  });

  it('takes every numeric column but the label by default', () => {
    const t = readCsv(fixtureFromShared('tables/digits.csv'), 'digits.csv', { labelColumn: 'label' });
    expect([t.X.rows, t.X.cols]).toEqual([1797, 64]);
    expect(t.featureNames[63]).toBe('p63');
    const c = Object.values(counts(t.labels!));
    expect(c).toHaveLength(10);
    expect(Math.min(...c)).toBeGreaterThanOrEqual(174);
    expect(Math.max(...c)).toBeLessThanOrEqual(183);
    let max = 0;
    for (const v of t.X.data) max = Math.max(max, v);
    expect(max).toBe(16);
  });

  it('reads chosen columns in the order given, by name or index', () => {
    const t = readCsv(fixture('csv/bom-crlf.csv'), 'bom-crlf.csv', { columns: ['y', 0], labelColumn: 2 });
    expect(t.featureNames).toEqual(['y', 'x']);
    expect(Array.from(t.X.data)).toEqual([2, 1.5, 4.25, 3, 6, -0.5]);
    expect(t.labels).toEqual(['a', 'b', 'a']);
  });

  it('reads a file without a header, by position names', () => {
    const t = readCsv(fixture('csv/no-header.csv'), 'no-header.csv', { columns: ['column 3', 'column 1'] });
    expect(Array.from(t.X.data)).toEqual([3, 1, 6, 4, 9, 7]);
  });

  it('reads quoted fields and mixed line ends', () => {
    const q = readCsv(fixture('csv/quoted.csv'), 'quoted.csv', { labelColumn: 'name' });
    expect(q.labels).toEqual(['Smith, J.', 'multi\nline "quoted"', 'plain']);
    expect(Array.from(q.X.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const m = readCsv(fixture('csv/mixed-endings.csv'), 'mixed-endings.csv');
    expect(Array.from(m.X.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads old Mac line ends (CR only)', () => {
    const t = readCsv(utf8('a,b\r1,2\r3,4\r'), 'cr.csv');
    expect(Array.from(t.X.data)).toEqual([1, 2, 3, 4]);
    expect(importError(() => readCsv(utf8('a,b\r1,2\r3\r'), 'cr.csv'))).toMatchObject({ code: 'ragged-row', line: 3 });
  });

  it('rejects UTF-16 text as not UTF-8', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from('a,b\n1,2\n').flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(importError(() => readCsv(utf16, 'utf16.csv'))).toMatchObject({ code: 'bad-encoding', line: 1 });
  });

  it('reads semicolon and tab separated files', () => {
    expect(Array.from(readCsv(fixture('csv/semicolon.csv'), 's.csv').X.data)).toEqual([1.7, 65.5, 1.82, 80, 1.65, 58.25]);
    expect(Array.from(readCsv(fixture('csv/tab.tsv'), 't.tsv').X.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fails on a missing value with its line and column, or drops its row when asked', () => {
    const e = importError(() => readCsv(fixture('csv/missing.csv'), 'missing.csv'));
    expect(e).toMatchObject({ code: 'missing-value', line: 3, column: 'b' });
    expect(e.message).toMatch(/^missing\.csv, line 3, column "b": an empty cell/);
    const inf = importError(() => readCsv(fixture('csv/missing.csv'), 'missing.csv', { columns: ['c'] }));
    expect(inf).toMatchObject({ code: 'missing-value', line: 5, column: 'c' });
    const t = readCsv(fixture('csv/missing.csv'), 'missing.csv', { missing: 'drop-rows' });
    expect(t.nDroppedRows).toBe(3);
    expect(Array.from(t.X.data)).toEqual([1, 2, 3, 13, 14, 15]);
    expect(readCsv(fixture('csv/missing.csv'), 'missing.csv', { columns: ['a'] }).X.rows).toBe(5);
  });

  it('drops the labels of dropped rows with them', () => {
    const t = readCsv(utf8('x,y\n1,a\nNaN,b\n3,c\n'), 'm.csv', { labelColumn: 'y', missing: 'drop-rows' });
    expect(t.labels).toEqual(['a', 'c']);
    expect(importError(() => readCsv(utf8('x\nNaN\n\n'), 'all.csv', { missing: 'drop-rows', hasHeader: true, columns: ['x'] })).code).toBe('no-data');
  });

  it('fails on text in a chosen column and leaves text columns out by default', () => {
    const e = importError(() => readCsv(fixture('csv/non-numeric.csv'), 'non-numeric.csv', { columns: ['a', 'b'] }));
    expect(e.message).toBe('non-numeric.csv, line 4, column "b": "x7" is not a number');
    expect(readCsv(fixture('csv/non-numeric.csv'), 'non-numeric.csv').featureNames).toEqual(['a']);
    expect(importError(() => readCsv(fixture('csv/text-only.csv'), 'text-only.csv')).code).toBe('no-numeric-columns');
  });

  it('rejects unknown, repeated and contradictory columns', () => {
    const bytes = fixture('csv/bom-crlf.csv');
    expect(importError(() => readCsv(bytes, 'f.csv', { columns: ['nope'] })).code).toBe('unknown-column');
    expect(importError(() => readCsv(bytes, 'f.csv', { columns: [3] })).code).toBe('unknown-column');
    expect(importError(() => readCsv(bytes, 'f.csv', { columns: ['x', 0] })).code).toBe('bad-option');
    expect(importError(() => readCsv(bytes, 'f.csv', { columns: ['x'], labelColumn: 'x' })).code).toBe('bad-option');
    expect(importError(() => readCsv(bytes, 'f.csv', { columns: [] })).code).toBe('bad-option');
    expect(importError(() => readCsv(bytes, 'f.csv', { missing: 'ignore' as 'error' })).code).toBe('bad-option');
    expect(importError(() => readCsv(utf8('a,a\n1,2\n'), 'dup.csv', { columns: ['a'] })).code).toBe('bad-option');
    expect(Array.from(readCsv(utf8('a,a\n1,2\n'), 'dup.csv', { columns: [1] }).X.data)).toEqual([2]);
  });

  it('follows a dialect given by the caller over the guess', () => {
    const t = readCsv(fixture('csv/no-header.csv'), 'n.csv', { hasHeader: true });
    expect(t.featureNames).toEqual(['1', '2', '3']);
    expect(t.X.rows).toBe(2);
    // Split on commas, '1.70;65.5;Paris' is one text cell: no numeric column is left.
    expect(importError(() => readCsv(fixture('csv/semicolon.csv'), 's.csv', { delimiter: ',' })).code).toBe('no-numeric-columns');
  });

  it('refuses a table larger than the memory budget', () => {
    const e = importError(() => readCsv(fixtureFromShared('tables/digits.csv'), 'digits.csv', { budgetBytes: 100_000 }));
    expect(e.code).toBe('too-large');
  });
});

describe('readCsvFile', () => {
  it('reads what readCsv reads, reporting progress up to 1', async () => {
    const seen: number[] = [];
    const t = await readCsvFile(DIGITS, { labelColumn: 'label', chunkBytes: 64 * 1024 }, (f) => seen.push(f));
    const u = readCsv(fixtureFromShared('tables/digits.csv'), 'digits.csv', { labelColumn: 'label' });
    expect(Buffer.from(t.X.data.buffer).equals(Buffer.from(u.X.data.buffer))).toBe(true);
    expect({ ...t, X: null }).toEqual({ ...u, X: null });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]))).toBe(true);
  });

  it('fails the same way readCsv does, naming the file', async () => {
    for (const name of ['csv/ragged.csv', 'csv/quoted-crlf.csv', 'csv/missing.csv', 'csv/invalid-utf8.csv', 'csv/header-only.csv', 'csv/empty.csv', 'csv/unclosed-quote.csv']) {
      const file = name.slice(4);
      const sync = importError(() => readCsv(fixture(name), file));
      const streamed = await importErrorAsync(() => readCsvFile(fixturePath(name)));
      expect({ code: streamed.code, line: streamed.line, message: streamed.message }).toEqual({ code: sync.code, line: sync.line, message: sync.message });
    }
  });

  it('keeps line numbers and UTF-8 checks right across read chunks', async () => {
    const chunkBytes = 4096;
    const row = '1,2,3\n';
    // A two-byte character straddling a chunk boundary is fine; a bad byte further on is not.
    const head = 'a,b,name\n' + row.repeat(100);
    const pad = chunkBytes - Buffer.byteLength(head) - 5;
    const text = head + `1,2,${'x'.repeat(pad)}é\n` + row.repeat(3000);
    const t = await readCsvFile(tmpFile('chunks.csv', text), { columns: ['a', 'b'], chunkBytes });
    expect(t.X.rows).toBe(3101);
    const ragged = tmpFile('chunks-ragged.csv', text + '1,2\n');
    expect(await importErrorAsync(() => readCsvFile(ragged, { chunkBytes }))).toMatchObject({ code: 'ragged-row', line: 3103 });
    const bad = new Uint8Array([...utf8(text), 0x31, 0x2c, 0x32, 0x2c, 0xc3, 0x28, 0x0a]);
    expect(await importErrorAsync(() => readCsvFile(tmpFile('chunks-bad.csv', bad), { chunkBytes }))).toMatchObject({ code: 'bad-encoding', line: 3103 });
    const cut = new Uint8Array([...utf8(text), 0x31, 0x2c, 0x32, 0x2c, 0xc3]);
    expect(await importErrorAsync(() => readCsvFile(tmpFile('chunks-cut.csv', cut), { chunkBytes }))).toMatchObject({ code: 'bad-encoding', line: 3103 });
  });

  it('guesses the dialect of rows wider than the first mebibyte, as from memory', async () => {
    const cols = 120_000;
    const header = Array.from({ length: cols }, (_, j) => `c${j}`).join(';');
    const row = Array.from({ length: cols }, (_, j) => String(j % 10)).join(';');
    const text = `${header}\n${row}\n${row}\n`;
    expect(Buffer.byteLength(header) + row.length).toBeGreaterThan(1 << 20);
    const opts = { columns: ['c7', 'c119999'] };
    const t = await readCsvFile(tmpFile('wide.csv', text), opts);
    expect(t.X.rows).toBe(2);
    expect(Array.from(t.X.data)).toEqual([7, 9, 7, 9]);
    expect(readCsv(utf8(text), 'wide.csv', opts)).toEqual(t);
  });

  it('reports a missing file', async () => {
    const e = await importErrorAsync(() => readCsvFile(join(tmp, 'nope.csv')));
    expect(e).toMatchObject({ code: 'not-found', file: 'nope.csv' });
  });
});

function fixtureFromShared(rel: string): Uint8Array {
  return fixture('../../../../shared/data/' + rel);
}
