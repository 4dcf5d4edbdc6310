import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdx, readIdxFile } from '../../../../src/main/backend/importers/idx';
import { fixture, fixturePath, importError, importErrorAsync } from './helpers';
import { SHARED_DATA, writeIdx } from './writers';

const MNIST = SHARED_DATA + 'mnist/';
const tmp = mkdtempSync(join(tmpdir(), 'idx-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A gzip file whose header declares 1000 bytes of data and that inflates to 16 MiB of them. */
const BOMB = gzipSync(Buffer.concat([Buffer.from(writeIdx([1000], 'uint8', new Uint8Array(1000)).subarray(0, 8)), Buffer.alloc(16 << 20)]));

const read = (name: string) => readIdx(fixture(`idx/${name}`), name);

function labelCounts(data: ArrayLike<number>): number[] {
  const c = new Array(10).fill(0);
  for (let i = 0; i < data.length; i++) c[data[i]]++;
  return c;
}

describe('readIdx', () => {
  it('reads unsigned bytes with their shape', () => {
    const a = read('u8-idx3-ubyte');
    expect(a.shape).toEqual([3, 2, 2]);
    expect(a.dtype).toBe('uint8');
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('converts big-endian int16, float32 and float64 elements', () => {
    const i16 = read('i16-idx2');
    expect(i16).toMatchObject({ shape: [2, 2], dtype: 'int16' });
    expect(Array.from(i16.data)).toEqual([-300, 2, 3, 32767]);
    expect(Array.from(read('f32-idx1').data)).toEqual([1.5, -0.25]);
    const f64 = read('f64-idx2');
    expect(f64.data).toBeInstanceOf(Float64Array);
    expect(Array.from(f64.data)).toEqual([1e-300, -2.5]);
  });

  it('round-trips every element type', () => {
    const cases = [
      ['int8', [-128, 0, 127]],
      ['int32', [-(2 ** 31), 5, 2 ** 31 - 1]],
      ['float32', [0.5, -(2 ** 100), 3]],
      ['float64', [Math.PI, -0, 1e308]],
    ] as const;
    for (const [dtype, values] of cases) {
      const back = readIdx(writeIdx([3], dtype, values), 'r');
      expect(back.dtype).toBe(dtype);
      expect(Array.from(back.data)).toEqual(values);
    }
  });

  it('gunzips gzip input, whatever the file is called', () => {
    expect(read('u8-idx3-ubyte.gz')).toEqual(read('u8-idx3-ubyte'));
    expect(readIdx(fixture('idx/u8-idx3-ubyte.gz'), 'no-extension')).toEqual(read('u8-idx3-ubyte'));
  });

  it('detects truncated data, plain or gzipped, and extra bytes', () => {
    expect(importError(() => read('truncated-idx3-ubyte')).code).toBe('truncated');
    expect(importError(() => read('truncated-idx3-ubyte.gz')).code).toBe('truncated');
    const extra = new Uint8Array([...fixture('idx/u8-idx3-ubyte'), 0]);
    expect(importError(() => readIdx(extra, 'x')).code).toBe('length-mismatch');
    expect(importError(() => readIdx(new Uint8Array([0, 0, 8]), 'h')).code).toBe('truncated');
    expect(importError(() => readIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0]), 'h')).code).toBe('truncated');
  });

  it('refuses huge declared dimensions before allocating', () => {
    const e = importError(() => read('huge-idx3-ubyte'));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/^huge-idx3-ubyte: shape \(4000000000, 4000000000, 4000000000\)/);
  });

  it('rejects bad magic numbers and element types', () => {
    expect(importError(() => read('bad-type-idx1')).code).toBe('unsupported-dtype');
    expect(importError(() => readIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), 'm')).code).toBe('bad-magic');
    expect(importError(() => readIdx(new Uint8Array([0, 0, 8, 0]), 'm')).code).toBe('bad-header');
    expect(importError(() => readIdx(new Uint8Array(0), 'm')).code).toBe('empty-file');
    expect(importError(() => readIdx(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]), 'g.gz')).code).toMatch(/^(bad-compression|truncated)$/);
  });

  it('stops a gzip bomb at the memory budget', () => {
    // 16 MiB of zeros inflate from about 16 KB; the budget is 2 MiB.
    expect(BOMB.length).toBeLessThan(20_000);
    const e = importError(() => readIdx(BOMB, 'bomb.gz', { budgetBytes: 2 << 20 }));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/^bomb\.gz: .*2\.0 MiB/);
  });
});

describe('readIdxFile', () => {
  it('streams the same arrays readIdx reads, reporting progress', async () => {
    const seen: number[] = [];
    expect(await readIdxFile(fixturePath('idx/u8-idx3-ubyte.gz'), {}, (f) => seen.push(f))).toEqual(read('u8-idx3-ubyte'));
    expect(seen.at(-1)).toBe(1);
    expect(await readIdxFile(fixturePath('idx/f64-idx2'))).toEqual(read('f64-idx2'));
  });

  it('fails the same way readIdx does', async () => {
    for (const name of ['truncated-idx3-ubyte', 'truncated-idx3-ubyte.gz', 'huge-idx3-ubyte', 'bad-type-idx1']) {
      const streamed = await importErrorAsync(() => readIdxFile(fixturePath(`idx/${name}`)));
      expect(streamed.code, name).toBe(name === 'huge-idx3-ubyte' ? 'too-large' : importError(() => read(name)).code);
      expect(streamed.file).toBe(name);
    }
    expect((await importErrorAsync(() => readIdxFile(join(tmp, 'missing')))).code).toBe('not-found');
  });

  it('stops reading a gzip bomb once it passes the declared size', async () => {
    const bombPath = join(tmp, 'bomb.gz');
    writeFileSync(bombPath, BOMB);
    expect(await importErrorAsync(() => readIdxFile(bombPath))).toMatchObject({ code: 'length-mismatch', file: 'bomb.gz' });
  });
});

describe('MNIST', () => {
  const files = {
    'train-images-idx3-ubyte.gz': { md5: '6bbc9ace898e44ae57da46a324031adb', shape: [60000, 28, 28] },
    'train-labels-idx1-ubyte.gz': { md5: 'a25bea736e30d166cdddb491f175f624', shape: [60000] },
    't10k-images-idx3-ubyte.gz': { md5: '2646ac647ad5339dbf082846283269ea', shape: [10000, 28, 28] },
    't10k-labels-idx1-ubyte.gz': { md5: '27ae3e4e09519cfbb04c329615203637', shape: [10000] },
  };

  it('reads the four files to the published decompressed bytes and shapes', () => {
    for (const [name, want] of Object.entries(files)) {
      const a = readIdx(readFileSync(MNIST + name), name);
      expect(a.shape, name).toEqual(want.shape);
      expect(a.dtype).toBe('uint8');
      // The file rebuilt from what was read: its header from the shape, then the data.
      const rebuilt = writeIdx(a.shape, 'uint8', new Uint8Array(0));
      expect(createHash('md5').update(rebuilt).update(a.data).digest('hex'), name).toBe(want.md5);
    }
  });

  it('has the published label counts', () => {
    expect(labelCounts(readIdx(readFileSync(MNIST + 'train-labels-idx1-ubyte.gz'), 'train').data)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(labelCounts(readIdx(readFileSync(MNIST + 't10k-labels-idx1-ubyte.gz'), 't10k').data)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('streams the test images to the same bytes', async () => {
    const a = await readIdxFile(MNIST + 't10k-images-idx3-ubyte.gz');
    const raw = gunzipSync(readFileSync(MNIST + 't10k-images-idx3-ubyte.gz'));
    expect(a.shape).toEqual([10000, 28, 28]);
    expect(Buffer.from(a.data.buffer).equals(raw.subarray(16))).toBe(true);
  });
});
