/**
 * A growable list of row indices that radius queries write into. One buffer is reused across
 * all the queries of a loop, so a query allocates nothing once the buffer is large enough.
 */
export class NeighborBuffer {
  /** The first `length` entries are the result of the last query; the rest is spare room. */
  indices: Int32Array;
  length = 0;

  constructor(capacity = 64) {
    this.indices = new Int32Array(Math.max(1, capacity));
  }

  /** Doubles the capacity, keeping the entries written so far. */
  grow(): void {
    const next = new Int32Array(this.indices.length * 2);
    next.set(this.indices.subarray(0, this.length));
    this.indices = next;
  }

  /** A copy of the current result. */
  toArray(): Int32Array {
    return this.indices.slice(0, this.length);
  }
}

/** Appends one index; small enough for the JIT to inline into the query loops. */
export function pushIndex(out: NeighborBuffer, i: number): void {
  if (out.length === out.indices.length) out.grow();
  out.indices[out.length++] = i;
}
