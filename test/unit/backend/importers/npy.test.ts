import { describe, expect, it } from 'vitest';
import { fromRows, toRows } from '../../../../src/core/math/matrix';
import { readNpy, writeNpy } from '../../../../src/main/backend/importers/npy';
import { fixture, importError } from './helpers';

/** The matrix make_fixtures.py saves: arange(12).reshape(3, 4) / 4 - 1. */
const M = [
  [-1, -0.75, -0.5, -0.25],
  [0, 0.25, 0.5, 0.75],
  [1, 1.25, 1.5, 1.75],
];

const read = (name: string) => readNpy(fixture(`npy/${name}`), name);

describe('readNpy', () => {
  it('reads float64 in C order', () => {
    const a = read('f8.npy');
    expect(a).toMatchObject({ dtype: '<f8', fortranOrder: false, shape: [3, 4] });
    expect(a.matrix.data).toBeInstanceOf(Float64Array);
    expect(toRows(a.matrix)).toEqual(M);
  });

  it('keeps float32 as Float32Array', () => {
    const a = read('f4.npy');
    expect(a.dtype).toBe('<f4');
    expect(a.matrix.data).toBeInstanceOf(Float32Array);
    expect(toRows(a.matrix)).toEqual(M);
  });

  it('transposes Fortran order to row-major', () => {
    const a = read('fortran-f8.npy');
    expect(a.fortranOrder).toBe(true);
    expect(toRows(a.matrix)).toEqual(M);
  });

  it('converts big-endian data', () => {
    expect(toRows(read('big-endian-f8.npy').matrix)).toEqual(M);
    const i4 = read('big-endian-i4.npy');
    expect(i4.dtype).toBe('>i4');
    expect(i4.matrix.data).toBeInstanceOf(Float64Array);
    expect(toRows(i4.matrix)).toEqual(M.map((r) => r.map((v) => Math.trunc(v * 4))));
  });

  it('converts every integer and boolean dtype to float64', () => {
    expect(toRows(read('i8.npy').matrix)).toEqual([[-(2 ** 40), 1], [2, 2 ** 50]]);
    expect(toRows(read('u1.npy').matrix)).toEqual([[0, 255], [7, 128]]);
    expect(toRows(read('u2.npy').matrix)).toEqual([[0, 65535]]);
    const b = read('b1.npy');
    expect(b.dtype).toBe('|b1');
    expect(Array.from(b.matrix.data)).toEqual([1, 0, 1]);
    expect(Array.from(read('f2.npy').matrix.data)).toEqual([0.5, -2, 65504]);
  });

  it('reads a 1-D array as one column', () => {
    const a = read('1d-f8.npy');
    expect(a.shape).toEqual([3]);
    expect([a.matrix.rows, a.matrix.cols]).toEqual([3, 1]);
    expect(Array.from(a.matrix.data)).toEqual([1.5, -2, 3.25]);
  });

  it('reads format versions 2.0 and 3.0', () => {
    expect(toRows(read('v2.npy').matrix)).toEqual(M);
    expect(toRows(read('v3.npy').matrix)).toEqual(M);
  });

  it('refuses object, string and structured dtypes', () => {
    for (const name of ['object.npy', 'unicode.npy', 'structured.npy']) {
      const e = importError(() => read(name));
      expect(e.code, name).toBe('unsupported-dtype');
      expect(e.message.startsWith(`${name}: `)).toBe(true);
    }
    expect(importError(() => read('object.npy')).message).toMatch(/'\|O' \(Python objects\)/);
  });

  it('refuses arrays of more than two dimensions', () => {
    expect(importError(() => read('3d.npy')).code).toBe('unsupported-shape');
  });

  it('checks the data length against the shape', () => {
    expect(importError(() => read('truncated.npy')).code).toBe('truncated');
    expect(importError(() => read('header-truncated.npy')).code).toBe('truncated');
    expect(importError(() => read('extra-bytes.npy')).code).toBe('length-mismatch');
    const e = importError(() => read('huge-shape.npy'));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/shape \(1000000, 1000000\)/);
  });

  it('rejects other files and unknown versions', () => {
    expect(importError(() => readNpy(new Uint8Array(0), 'e.npy')).code).toBe('empty-file');
    expect(importError(() => readNpy(new TextEncoder().encode('a,b\n1,2\n'), 'x.npy')).code).toBe('bad-magic');
    const v9 = fixture('npy/f8.npy').slice();
    v9[6] = 9;
    expect(importError(() => readNpy(v9, 'v9.npy')).code).toBe('unsupported-version');
  });

  it('parses the header strictly, without evaluating it', () => {
    const withHeader = (dict: string) => {
      const good = fixture('npy/f8.npy');
      const headerLen = good[8] | (good[9] << 8);
      const text = dict.padEnd(headerLen - 1, ' ') + '\n';
      const out = good.slice();
      for (let i = 0; i < headerLen; i++) out[10 + i] = text.charCodeAt(i);
      return () => readNpy(out, 'h.npy');
    };
    expect(toRows(withHeader("{'shape': (3L, 4L), 'fortran_order': False, 'descr': '<f8'}")().matrix)).toEqual(M);
    for (const bad of [
      "{'descr': '<f8', 'fortran_order': False}",
      "{'descr': '<f8', 'fortran_order': 0, 'shape': (3, 4)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': [3, 4]}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), 'extra': 1}",
      "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)} junk",
      "{'descr': '<f8', 'fortran_order': __import__('os'), 'shape': (3, 4)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': ((((((((((3,),),),),),),),),),)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 4)}",
      "{'descr': '=f8', 'fortran_order': False, 'shape': (3, 4)}",
    ]) {
      expect(importError(withHeader(bad)).code, bad).toMatch(/^(bad-header|unsupported-dtype)$/);
    }
  });

  it('refuses an array larger than the memory budget before allocating it', () => {
    expect(importError(() => readNpy(fixture('npy/f8.npy'), 'f8.npy', { budgetBytes: 64 })).code).toBe('too-large');
  });
});

describe('writeNpy', () => {
  it('round-trips float64 and float32 matrices', () => {
    const m = fromRows(M);
    const back = readNpy(writeNpy(m), 'w.npy');
    expect(back).toMatchObject({ dtype: '<f8', fortranOrder: false, shape: [3, 4] });
    expect(back.matrix).toEqual(m);
    const f = { rows: 2, cols: 2, data: new Float32Array([1.5, -2, 1e-3, 3]) };
    expect(readNpy(writeNpy(f), 'w.npy').matrix).toEqual(f);
  });

  it('writes the header numpy writes: version 1.0, data aligned to 64 bytes', () => {
    const bytes = writeNpy(fromRows(M));
    expect(Buffer.from(bytes).equals(Buffer.from(fixture('npy/f8.npy')))).toBe(true);
    const empty = writeNpy({ rows: 0, cols: 5, data: new Float64Array(0) });
    expect(empty.length % 64).toBe(0);
    expect(readNpy(empty, 'e.npy').matrix).toMatchObject({ rows: 0, cols: 5 });
  });
});
