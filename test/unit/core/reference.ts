/** Loads `../shared/reference` datasets and expected numbers for parity tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromRows, type Matrix } from '../../../src/core/math/matrix';

export const SHARED = resolve(__dirname, '../../../../shared');
export const REFERENCE = resolve(SHARED, 'reference');

export function expected<T = any>(name: string): T {
  return JSON.parse(readFileSync(resolve(REFERENCE, 'expected', name), 'utf8')) as T;
}

/** A reference CSV: every column but `y` as X, and `y` (when present) as labels. */
export function dataset(name: string): { X: Matrix<Float64Array>; y: Int32Array | null; columns: string[] } {
  const text = readFileSync(resolve(REFERENCE, 'datasets', name), 'utf8').trim().split('\n');
  const header = text[0].split(',');
  const yCol = header.indexOf('y');
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const cells = text[i].split(',').map(Number);
    if (yCol >= 0) {
      y.push(cells[yCol]);
      cells.splice(yCol, 1);
    }
    rows.push(cells);
  }
  return { X: fromRows(rows), y: yCol >= 0 ? Int32Array.from(y) : null, columns: header.filter((_, i) => i !== yCol) };
}

/** A raw little-endian matrix from `reference/bench_data`. */
export function benchMatrix(file: string, rows: number, cols: number): Matrix<Float64Array> {
  const buf = readFileSync(resolve(REFERENCE, 'bench_data', file));
  const data = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { rows, cols, data };
}

/** Relative closeness with an absolute floor, for comparing float64 results. */
export function expectClose(actual: number, wanted: number, rel = 1e-9, abs = 1e-12): void {
  const err = Math.abs(actual - wanted);
  if (!(err <= Math.max(abs, rel * Math.abs(wanted)))) {
    throw new Error(`expected ${actual} to be within rel ${rel} of ${wanted} (error ${err})`);
  }
}
