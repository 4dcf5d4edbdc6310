import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBytes } from '../../../../src/main/backend/importers/io';
import { inspectCsv } from '../../../../src/main/backend/importers/csv';
import { importError, importErrorAsync, utf8 } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'io-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readBytes', () => {
  it('reads a whole file', async () => {
    writeFileSync(join(tmp, 'a.bin'), Buffer.from([1, 2, 3]));
    expect(Array.from(await readBytes(join(tmp, 'a.bin')))).toEqual([1, 2, 3]);
  });

  it('checks the size against the budget before reading', async () => {
    writeFileSync(join(tmp, 'big.bin'), Buffer.alloc(2048));
    expect(await importErrorAsync(() => readBytes(join(tmp, 'big.bin'), { budgetBytes: 1024 }))).toMatchObject({ code: 'too-large', file: 'big.bin' });
  });

  it('names a missing file and a folder', async () => {
    expect(await importErrorAsync(() => readBytes(join(tmp, 'none.npy')))).toMatchObject({ code: 'not-found', file: 'none.npy' });
    expect(await importErrorAsync(() => readBytes(tmp))).toMatchObject({ code: 'io-error' });
  });
});

describe('wide CSV records', () => {
  it('keep the statistics of a column to a few hundred bytes, lazily', () => {
    const p = inspectCsv(utf8('a,b,c\n,,\n1,,x\n'), 'sparse.csv');
    expect(p.columns.map((c) => c.distinctCount)).toEqual([1, 0, 1]);
    expect(p.columns.map((c) => c.numeric)).toEqual([true, false, false]);
  });

  it('refuse a record of more columns than the statistics budget allows', () => {
    const fields = ','.repeat(5000);
    expect(importError(() => inspectCsv(utf8(`${fields}\n${fields}\n`), 'commas.csv', { budgetBytes: 1 << 20 })).code).toBe('too-large');
    expect(inspectCsv(utf8(`${fields}\n${fields}\n`), 'commas.csv').columns).toHaveLength(5001);
  });
});
