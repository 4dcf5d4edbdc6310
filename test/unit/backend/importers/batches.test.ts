/**
 * Reading tables in row batches from disk: every row once per pass, in file order, in batches of
 * the asked size with a shorter last one, equal to what the whole-file readers return; the
 * importers' own errors for broken files; a batch larger than the budget refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Matrix } from '../../../../src/core/math/matrix';
import { openBatches, openCsvBatches, openNpyBatches, type BatchSource } from '../../../../src/main/backend/importers/batches';
import { readCsvBatches } from '../../../../src/main/backend/importers/csv';
import { readNpy, writeNpy } from '../../../../src/main/backend/importers/npy';
import { fixture, fixturePath, importErrorAsync } from './helpers';
import { writeCsv } from './writers';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-batches-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** (rows, cols) with x[i, j] = i + j / 10: every value tells its row. */
function grid(rows: number, cols: number, f32 = false): Matrix {
  const data = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = i + j / 10;
  return { rows, cols, data };
}

function file(name: string, content: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** One pass: the batch sizes, the rows joined, and the progress reported at each batch. */
async function pass(source: BatchSource): Promise<{ sizes: number[]; data: number[]; progress: number[]; types: string[] }> {
  const sizes: number[] = [];
  const data: number[] = [];
  const progress: number[] = [];
  const types: string[] = [];
  let last = 0;
  for await (const b of source.batches((f) => (last = f))) {
    expect(b.cols).toBe(source.nFeatures);
    expect(b.data.length).toBe(b.rows * b.cols);
    sizes.push(b.rows);
    data.push(...b.data);
    progress.push(last);
    types.push(b.data.constructor.name);
  }
  return { sizes, data, progress, types };
}

/** A Fortran-order .npy of `m`: numpy's bytes for its transpose in C order, with the header saying so. */
function fortranNpy(m: Matrix): Uint8Array {
  const t = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t[j * m.rows + i] = m.data[i * m.cols + j];
  const bytes = writeNpy({ rows: m.cols, cols: m.rows, data: t });
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 128));
  const from = `'fortran_order': False, 'shape': (${m.cols}, ${m.rows})`;
  const to = `'fortran_order': True , 'shape': (${m.rows}, ${m.cols})`;
  expect(text).toContain(from);
  const start = text.indexOf(from);
  const out = bytes.slice();
  for (let i = 0; i < to.length; i++) out[start + i] = to.charCodeAt(i);
  return out;
}

describe('.npy in batches', () => {
  it('gives every row once, in order, in full batches and a shorter last one', async () => {
    const m = grid(10, 3);
    const source = await openNpyBatches(file('c.npy', writeNpy(m)), { batchSize: 4 });
    expect(source).toMatchObject({ format: 'npy', nSamples: 10, nFeatures: 3, batchSize: 4, featureNames: ['x0', 'x1', 'x2'] });
    const p = await pass(source);
    expect(p.sizes).toEqual([4, 4, 2]);
    expect(p.data).toEqual(Array.from(m.data));
    // Each batch arrives as soon as its rows are read, not after the whole file.
    expect(p.progress).toEqual([0.4, 0.8, 1]);
    expect(p.types).toEqual(['Float64Array', 'Float64Array', 'Float64Array']);
  });

  it('makes no empty batch when the rows divide evenly, and one batch when the batch is larger than the file', async () => {
    const path = file('even.npy', writeNpy(grid(8, 2)));
    expect((await pass(await openNpyBatches(path, { batchSize: 4 }))).sizes).toEqual([4, 4]);
    const whole = await openNpyBatches(path, { batchSize: 1000 });
    expect(whole.batchSize).toBe(8);
    expect((await pass(whole)).sizes).toEqual([8]);
    expect((await pass(await openNpyBatches(path, { batchSize: 1 }))).sizes).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('reads the same batches at every pass', async () => {
    const source = await openNpyBatches(file('again.npy', writeNpy(grid(7, 2))), { batchSize: 3 });
    const first = await pass(source);
    const second = await pass(source);
    expect(second).toEqual(first);
  });

  it('keeps float32 as float32 and converts other dtypes as readNpy does', async () => {
    const p = await pass(await openNpyBatches(file('f4.npy', writeNpy(grid(5, 2, true))), { batchSize: 2 }));
    expect(p.types).toEqual(['Float32Array', 'Float32Array', 'Float32Array']);
    expect(p.data).toEqual(Array.from(grid(5, 2, true).data));
    for (const name of ['big-endian-i4.npy', 'u1.npy', 'f2.npy', '1d-f8.npy']) {
      const whole = readNpy(fixture(`npy/${name}`), name).matrix;
      const q = await pass(await openNpyBatches(fixturePath(`npy/${name}`), { batchSize: 2 }));
      expect(q.data, name).toEqual(Array.from(whole.data));
    }
  });

  it('reads a Fortran-order array column stretch by column stretch, row-major in every batch', async () => {
    const m = grid(7, 3);
    const path = file('fortran.npy', fortranNpy(m));
    expect(readNpy(fortranNpy(m), 'fortran.npy').fortranOrder).toBe(true);
    const p = await pass(await openNpyBatches(path, { batchSize: 3 }));
    expect(p.sizes).toEqual([3, 3, 1]);
    expect(p.data).toEqual(Array.from(m.data));
    // numpy's own Fortran-order file too.
    const q = await pass(await openNpyBatches(fixturePath('npy/fortran-f8.npy'), { batchSize: 2 }));
    expect(q.sizes).toEqual([2, 1]);
    expect(q.data).toEqual(Array.from(readNpy(fixture('npy/f8.npy'), 'f8.npy').matrix.data));
  });

  it('refuses a truncated file, a 3-D array and a batch over the budget with the importer messages', async () => {
    const t = await importErrorAsync(() => openNpyBatches(fixturePath('npy/truncated.npy'), { batchSize: 2 }));
    expect(t.code).toBe('truncated');
    expect(t.message).toMatch(/^truncated\.npy: shape \(3, 4\) of <f8 needs 96 data bytes but only \d+ follow the header$/);
    expect((await importErrorAsync(() => openNpyBatches(fixturePath('npy/3d.npy'), { batchSize: 2 }))).code).toBe('unsupported-shape');
    expect((await importErrorAsync(() => openNpyBatches(fixturePath('npy/object.npy'), { batchSize: 2 }))).code).toBe('unsupported-dtype');
    const big = await importErrorAsync(() => openNpyBatches(file('budget.npy', writeNpy(grid(100, 4))), { batchSize: 64, budgetBytes: 1024 }));
    expect(big.code).toBe('too-large');
    expect(big.message).toBe('budget.npy: a batch of 64 rows needs 0.004 MiB of memory, more than the budget of 0.001 MiB; choose a smaller batch size');
    expect((await importErrorAsync(() => openNpyBatches(join(dir, 'missing.npy'), { batchSize: 2 }))).code).toBe('not-found');
  });
});

describe('CSV in batches', () => {
  const m = grid(11, 2);
  const labels = Array.from({ length: 11 }, (_, i) => (i % 2 ? 'odd' : 'even'));

  it('gives the numeric columns but the label, in full batches and a shorter last one', async () => {
    const path = file('t.csv', writeCsv(m, { labels }));
    const source = await openCsvBatches(path, { batchSize: 4, labelColumn: 'label' });
    expect(source).toMatchObject({ format: 'csv', nSamples: 11, nFeatures: 2, featureNames: ['x0', 'x1'], batchSize: 4 });
    const p = await pass(source);
    expect(p.sizes).toEqual([4, 4, 3]);
    expect(p.data).toEqual(Array.from(m.data));
    expect(await pass(source)).toEqual(p);
  });

  it('leaves out a numeric label column given by name or index, and reads a file without a header or final line break', async () => {
    const withY = 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n';
    expect((await pass(await openCsvBatches(file('y.csv', withY), { batchSize: 2, labelColumn: 'y' }))).data).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await pass(await openCsvBatches(file('y2.csv', withY), { batchSize: 2, labelColumn: 2 }))).data).toEqual([1, 2, 3, 4, 5, 6]);
    const all = await pass(await openCsvBatches(file('y3.csv', withY), { batchSize: 2 }));
    expect(all.sizes).toEqual([2, 1]);
    expect(all.data).toEqual([1, 2, 0, 3, 4, 1, 5, 6, 0]);
    const bare = await pass(await openBatches(file('bare.tsv', '1.5\t2\n3\t4.5'), { batchSize: 5 }));
    expect(bare).toMatchObject({ sizes: [2], data: [1.5, 2, 3, 4.5] });
  });

  it('cuts batches across read chunks and yields them before the file is read', async () => {
    const big = grid(300, 3);
    const path = file('chunks.csv', writeCsv(big));
    // 64-byte reads: rows straddle the chunk boundaries.
    const source = await openCsvBatches(path, { batchSize: 7, chunkBytes: 64 });
    const p = await pass(source);
    expect(p.sizes).toEqual([...new Array<number>(42).fill(7), 6]);
    expect(p.data).toEqual(Array.from(big.data));
    expect(p.progress[0]).toBeLessThan(0.05);
  });

  it('reports a ragged row, a bad quote and a text cell as the importer does, with the file and line', async () => {
    const ragged = await importErrorAsync(() => openCsvBatches(file('ragged.csv', 'a,b\n1,2\n3\n5,6\n'), { batchSize: 2 }));
    expect(ragged.code).toBe('ragged-row');
    expect(ragged.message).toBe('ragged.csv, line 3: expected 2 fields, found 1');
    // The batch iterator on its own (after the file changed since it was inspected): the same errors.
    const drain = async (path: string): Promise<void> => {
      for await (const b of readCsvBatches(path, { columns: [0, 1], batchSize: 1 })) void b;
    };
    const r2 = await importErrorAsync(() => drain(file('ragged2.csv', 'a,b\n1,2\n3,4\n5\n')));
    expect(r2.message).toBe('ragged2.csv, line 4: expected 2 fields, found 1');
    const quote = await importErrorAsync(() => drain(file('quote.csv', 'a,b\n1,2\n"3,4\n')));
    expect(quote.code).toBe('bad-quote');
    const text = await importErrorAsync(() => drain(file('text.csv', 'a,b\n1,2\n3,x\n')));
    expect(text.message).toBe('text.csv, line 3, column "b": "x" is not a number');
    const missing = await importErrorAsync(() => drain(file('missing.csv', 'a,b\n1,2\n,4\n')));
    expect(missing.code).toBe('missing-value');
  });

  it('refuses a file without numeric columns, an unknown label column and a batch over the budget', async () => {
    expect((await importErrorAsync(() => openCsvBatches(file('words.csv', 'a,b\nx,y\nz,w\n'), { batchSize: 2 }))).code).toBe('no-numeric-columns');
    const unknown = await importErrorAsync(() => openCsvBatches(file('u.csv', 'a,b\n1,2\n'), { batchSize: 2, labelColumn: 'class' }));
    expect(unknown.message).toBe('u.csv: no column is named "class" (the columns are "a", "b")');
    const over = await importErrorAsync(() => openCsvBatches(file('over.csv', writeCsv(grid(200, 4))), { batchSize: 100, budgetBytes: 2048 }));
    expect(over.message).toBe('over.csv: a batch of 100 rows needs 0.003 MiB of memory, more than the budget of 0.002 MiB; choose a smaller batch size');
    expect((await importErrorAsync(() => openBatches(file('x.mat', 'x'), { batchSize: 2 }))).code).toBe('bad-option');
  });
});
