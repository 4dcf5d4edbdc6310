/**
 * Bounded max-heaps of (squared distance, index) pairs for k-nearest-neighbour queries. A heap
 * lives in a slice `[base, base + k)` of two parallel typed arrays, so one pair of arrays holds
 * the heaps of a whole block of queries. The root is the worst candidate kept: larger distance,
 * then larger index, so that ties between equal distances go to the lower index
 * (the order scikit-learn documents for its neighbour results).
 */

/** Whether (da, ia) comes after (db, ib) in neighbour order. */
function after(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}

/**
 * Offers a candidate to the heap at `base` holding `size` of at most `k` entries; returns the
 * new size. When full, the candidate replaces the root only if it comes before it.
 */
export function heapPush(
  dist: Float64Array,
  idx: Int32Array,
  base: number,
  size: number,
  k: number,
  d: number,
  i: number,
): number {
  if (size < k) {
    let c = size;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!after(d, i, dist[base + p], idx[base + p])) break;
      dist[base + c] = dist[base + p];
      idx[base + c] = idx[base + p];
      c = p;
    }
    dist[base + c] = d;
    idx[base + c] = i;
    return size + 1;
  }
  if (!after(dist[base], idx[base], d, i)) return size;
  siftDown(dist, idx, base, size, d, i);
  return size;
}

/** Places (d, i) at the root and sifts it down through a heap of `size` entries. */
function siftDown(dist: Float64Array, idx: Int32Array, base: number, size: number, d: number, i: number): void {
  let c = 0;
  while (true) {
    const l = 2 * c + 1;
    if (l >= size) break;
    let m = l;
    const r = l + 1;
    if (r < size && after(dist[base + r], idx[base + r], dist[base + l], idx[base + l])) m = r;
    if (!after(dist[base + m], idx[base + m], d, i)) break;
    dist[base + c] = dist[base + m];
    idx[base + c] = idx[base + m];
    c = m;
  }
  dist[base + c] = d;
  idx[base + c] = i;
}

/** Sorts a heap of `size` entries in place into neighbour order (nearest first). */
export function heapSort(dist: Float64Array, idx: Int32Array, base: number, size: number): void {
  for (let end = size - 1; end > 0; end--) {
    const d = dist[base + end], i = idx[base + end];
    dist[base + end] = dist[base];
    idx[base + end] = idx[base];
    siftDown(dist, idx, base, end, d, i);
  }
}
