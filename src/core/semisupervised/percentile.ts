/**
 * numpy's `percentile(a, q)` with its default 'linear' method, to the last bit: the virtual index
 * (n − 1)·q/100 between two order statistics, interpolated the way numpy's `_lerp` does it (from
 * the upper neighbour once the weight reaches ½, which keeps the result monotone in q).
 */
import { DataError } from '../errors';

/** The `q`-th percentile (0 ≤ q ≤ 100) of `values`; they are copied, not reordered. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new DataError('percentile of an empty array');
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, q);
}

/** The same on values already sorted ascending. */
export function percentileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new DataError('percentile of an empty array');
  if (!(q >= 0 && q <= 100)) throw new DataError(`percentile must be in [0, 100], got ${q}`);
  const virtualIndex = (n - 1) * (q / 100);
  if (virtualIndex >= n - 1) return sorted[n - 1];
  const lower = Math.floor(virtualIndex);
  const t = virtualIndex - lower;
  const a = sorted[lower], b = sorted[lower + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
