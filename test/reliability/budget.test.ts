/**
 * The memory budget: a declared size over the budget is refused with a clear message before
 * anything that size is allocated or read. The files here are sparse (gigabytes long, a few
 * blocks on disk), so reading them would take minutes and allocating them would exhaust the
 * machine: a quick, small refusal is the proof that neither happened.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSync, closeSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../src/main/backend/importers/npy';
import { readBytes } from '../../src/main/backend/importers/io';
import { readCsv } from '../../src/main/backend/importers/csv';
import { readIdxFile } from '../../src/main/backend/importers/idx';
import { ImportError } from '../../src/main/backend/importers/errors';
import { recordFigures } from './figures';
import { tempDir, testBackend } from './helpers';

const figures = { trials: 0, faults: 0, failures: 0, notes: [] as string[] };
afterAll(() => recordFigures({ suite: 'importers: memory budget', file: __filename, ...figures }));

const GiB = 1024 ** 3;

/** A .npy header declaring `shape` of float64, padded as numpy pads it. */
function npyHeader(shape: number[]): Buffer {
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

/** A file of `size` bytes that starts with `head` and is a hole after it. */
function sparseFile(path: string, head: Buffer, size: number): void {
  const fd = openSync(path, 'w');
  writeSync(fd, head, 0, head.length, 0);
  ftruncateSync(fd, size);
  closeSync(fd);
}

/** Runs `fn` and returns its ImportError (anything else fails the test), with the memory it grew by. */
/**
 * Runs `fn`, which must throw an ImportError, and measures how much the memory held in
 * ArrayBuffers (where tables and arrays live) grew meanwhile. The JavaScript heap is left out:
 * the strings a parser drops wait for the garbage collector, so its growth says nothing certain.
 */
async function refusal(fn: () => unknown): Promise<{ error: ImportError; grewBy: number }> {
  const before = process.memoryUsage().arrayBuffers;
  let error: unknown = null;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  const grewBy = process.memoryUsage().arrayBuffers - before;
  if (!(error instanceof ImportError)) throw new Error(`expected an ImportError, got ${error === null ? 'a result' : String(error)}`);
  figures.trials++;
  figures.faults++;
  return { error, grewBy };
}

describe('the memory budget', () => {
  it('refuses a .npy whose header declares 10^12 elements, in memory and from a 3 GiB file, before allocating', async () => {
    const tmp = tempDir('budget');
    try {
      const header = npyHeader([1_000_000, 1_000_000]);
      const inMemory = await refusal(() => readNpy(Buffer.concat([header, Buffer.alloc(64)]), 'huge.npy'));
      expect(inMemory.error.code).toBe('truncated');
      expect(inMemory.error.message).toBe('huge.npy: shape (1000000, 1000000) of <f8 needs 8000000000000 data bytes but only 64 follow the header');

      const path = join(tmp.dir, 'huge.npy');
      sparseFile(path, header, 3 * GiB);
      const onDisk = await refusal(() => readBytes(path));
      expect(onDisk.error.code).toBe('too-large');
      expect(onDisk.error.message).toBe('huge.npy: reading it needs 3,072 MiB of memory, more than the budget of 2,048 MiB');
      // Neither a 3 GiB read nor an 8 TB array: the refusal cost next to nothing.
      expect(onDisk.grewBy).toBeLessThan(64 * 1024 ** 2);
      figures.notes.push(`a .npy declaring 10^12 float64 refused as "${onDisk.error.message}"`);
    } finally {
      tmp.remove();
    }
  });

  it('refuses an IDX file whose header declares more than the budget, streaming, before reading its body', async () => {
    const tmp = tempDir('budget-idx');
    try {
      // 0x0803: unsigned bytes, 3 dimensions: 100,000 images of 200×200 = 4 GB.
      const head = Buffer.alloc(16);
      head.writeUInt32BE(0x00000803, 0);
      head.writeUInt32BE(100_000, 4);
      head.writeUInt32BE(200, 8);
      head.writeUInt32BE(200, 12);
      const path = join(tmp.dir, 'huge-idx3-ubyte');
      sparseFile(path, head, 16 + 4 * GiB);
      const r = await refusal(() => readIdxFile(path, { budgetBytes: GiB }));
      expect(r.error.code).toBe('too-large');
      expect(r.error.message).toMatch(/^huge-idx3-ubyte: reading it needs [\d,]+ MiB of memory, more than the budget of 1,024 MiB$/);
      expect(r.grewBy).toBeLessThan(64 * 1024 ** 2);
    } finally {
      tmp.remove();
    }
  });

  it('stops a CSV whose table outgrows the budget, without ever holding more than the budget', async () => {
    const rows = 40_000;
    const csv = Buffer.from(`a,b,c,d\n${Array.from({ length: rows }, (_, i) => `${i},${i * 0.5},${i % 7},${-i}`).join('\n')}\n`);
    const budget = 256 * 1024;
    const r = await refusal(() => readCsv(csv, 'table.csv', { budgetBytes: budget }));
    expect(r.error.code).toBe('too-large');
    expect(r.error.message).toMatch(
      /^table\.csv: reading it needs [\d.]+ MiB of memory, more than the budget of 0\.250 MiB; to cluster it with K-Means anyway, fit mini-batches from disk: clusterscope fit minibatch-kmeans table\.csv --from-disk$/,
    );
    // The table would be 40,000 × 4 × 8 = 1.25 MB; what was held stayed within the budget.
    expect(r.grewBy).toBeLessThan(rows * 4 * 8);
  });

  it('refuses a CSV over the import budget at the backend before reading a byte of it', async () => {
    const tmp = tempDir('budget-backend');
    const backend = testBackend(join(tmp.dir, 'data'));
    try {
      const path = join(tmp.dir, 'export.csv');
      sparseFile(path, Buffer.from('x,y\n1,2\n'), 3 * GiB);
      backend.grantPath(path);
      const t0 = performance.now();
      await expect(backend.data.inspectCsv({ kind: 'path', path })).rejects.toMatchObject({
        code: 'too-large',
        message: expect.stringMatching(/^export\.csv is 3,?072 MiB, over the [\d,]+ MiB (import|memory) budget/),
      });
      figures.trials++;
      figures.faults++;
      figures.notes.push(`a 3 GiB CSV refused by the backend in ${(performance.now() - t0).toFixed(0)} ms`);
    } finally {
      backend.dispose();
      tmp.remove();
    }
  });
});
