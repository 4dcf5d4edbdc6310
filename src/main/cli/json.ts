/** JSON output of the CLI: typed arrays as arrays, matrices as nested rows, NaN as null. */
import type { Matrix } from '../../core/math/matrix';

function isMatrix(v: unknown): v is Matrix {
  return (
    typeof v === 'object' && v !== null && 'rows' in v && 'cols' in v && 'data' in v && ArrayBuffer.isView((v as Matrix).data)
  );
}

export function toPlain(v: unknown): unknown {
  if (isMatrix(v)) {
    const out: number[][] = [];
    for (let i = 0; i < v.rows; i++) out.push(Array.from(v.data.subarray(i * v.cols, (i + 1) * v.cols)));
    return out;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toPlain(x);
    return o;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

export function toJSON(v: unknown): string {
  return JSON.stringify(toPlain(v));
}
