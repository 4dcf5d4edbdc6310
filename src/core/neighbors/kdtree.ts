/**
 * A KD-tree laid out like scikit-learn's `BinaryTree`: a complete binary tree stored in arrays
 * (node i has children 2i + 1 and 2i + 2), each node a contiguous range of a permutation of the
 * rows, split at the median of its widest dimension, with a bounding box per node. The rows are
 * copied in tree order so that a leaf is one contiguous block of memory.
 *
 * Box tests are exact with respect to the per-point test: for a point inside a box,
 * |q_j − x_j| never exceeds the box's farthest gap and never undercuts its nearest gap, and
 * float64 rounding is monotone, so "all points of the node are within r" and "none is" are
 * decided without changing any answer the point-by-point scan would give.
 */
import type { Matrix } from '../math/matrix';
import { ParameterError } from '../errors';
import { type NeighborBuffer, pushIndex } from './buffer';
import { heapPush, heapSort } from './heap';
import { allocKNeighbors, checkQuery, type KNeighborsResult, type NeighborIndex, queryRow } from './query';

export class KDTree implements NeighborIndex {
  readonly algorithm = 'kd_tree' as const;
  readonly size: number;
  readonly nFeatures: number;
  readonly leafSize: number;
  /** Row numbers in tree order. */
  private readonly perm: Int32Array;
  /** The rows in tree order, (size, nFeatures). */
  private readonly points: Float64Array;
  private readonly nNodes: number;
  private readonly nodeStart: Int32Array;
  private readonly nodeEnd: Int32Array;
  /** Per-node bounding boxes, (nNodes, nFeatures) each. */
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  /** Scratch: a float64 copy of the current query and the traversal stack. */
  private readonly q: Float64Array;
  private readonly stack: Int32Array;
  private readonly stackDist: Float64Array;

  /** Indexes the rows of `X`, (nSamples, nFeatures); `leafSize` as scikit-learn's (default 30). */
  constructor(X: Matrix, leafSize = 30) {
    if (!Number.isInteger(leafSize) || leafSize < 1) throw new ParameterError(`leafSize must be an integer >= 1, got ${leafSize}`);
    const n = X.rows, d = X.cols;
    this.size = n;
    this.nFeatures = d;
    this.leafSize = leafSize;
    // scikit-learn's depth rule: leaves hold between leafSize / 2 and leafSize points.
    const levels = n <= 1 ? 1 : 1 + Math.floor(Math.log2(Math.max(1, (n - 1) / leafSize)));
    this.nNodes = 2 ** levels - 1;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.nodeStart = new Int32Array(this.nNodes);
    this.nodeEnd = new Int32Array(this.nNodes);
    this.lower = new Float64Array(this.nNodes * d);
    this.upper = new Float64Array(this.nNodes * d);
    this.q = new Float64Array(d);
    this.stack = new Int32Array(2 * levels + 2);
    this.stackDist = new Float64Array(2 * levels + 2);
    this.build(X.data, d);
    const points = new Float64Array(n * d);
    for (let p = 0; p < n; p++) {
      const o = this.perm[p] * d;
      for (let j = 0; j < d; j++) points[p * d + j] = X.data[o + j];
    }
    this.points = points;
  }

  private build(data: ArrayLike<number>, d: number): void {
    const { perm, nodeStart, nodeEnd, lower, upper, nNodes } = this;
    nodeStart[0] = 0;
    nodeEnd[0] = this.size;
    // Parents come before children in the array, so one forward pass builds the tree.
    for (let node = 0; node < nNodes; node++) {
      const start = nodeStart[node], end = nodeEnd[node], b = node * d;
      for (let j = 0; j < d; j++) {
        lower[b + j] = Infinity;
        upper[b + j] = -Infinity;
      }
      for (let p = start; p < end; p++) {
        const o = perm[p] * d;
        for (let j = 0; j < d; j++) {
          const v = data[o + j];
          if (v < lower[b + j]) lower[b + j] = v;
          if (v > upper[b + j]) upper[b + j] = v;
        }
      }
      const left = 2 * node + 1;
      if (left >= nNodes) continue;
      let dim = 0, spread = -1;
      for (let j = 0; j < d; j++) {
        const s = upper[b + j] - lower[b + j];
        if (s > spread) {
          spread = s;
          dim = j;
        }
      }
      const mid = start + ((end - start) >> 1);
      if (end - start > 1) selectNth(perm, data, d, dim, start, end - 1, mid);
      nodeStart[left] = start;
      nodeEnd[left] = mid;
      nodeStart[left + 1] = mid;
      nodeEnd[left + 1] = end;
    }
  }

  radiusNeighbors(Q: Matrix, row: number, radius: number, out: NeighborBuffer): number {
    checkQuery(this, Q);
    out.length = 0;
    const q = queryRow(Q, row, this.q), d = this.nFeatures, r2 = radius * radius;
    const { perm, points, nodeStart, nodeEnd, stack, nNodes } = this;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      const start = nodeStart[node], end = nodeEnd[node];
      if (start >= end || this.minDist(node, q) > r2) continue;
      if (this.maxDist(node, q) <= r2) {
        for (let p = start; p < end; p++) pushIndex(out, perm[p]);
      } else if (2 * node + 1 >= nNodes) {
        for (let p = start; p < end; p++) {
          const o = p * d;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const t = q[j] - points[o + j];
            s += t * t;
          }
          if (s <= r2) pushIndex(out, perm[p]);
        }
      } else {
        stack[top++] = 2 * node + 2;
        stack[top++] = 2 * node + 1;
      }
    }
    return out.length;
  }

  countWithin(Q: Matrix, row: number, radius: number, limit: number): number {
    checkQuery(this, Q);
    const q = queryRow(Q, row, this.q), d = this.nFeatures, r2 = radius * radius;
    const { points, nodeStart, nodeEnd, stack, nNodes } = this;
    let count = 0, top = 0;
    stack[top++] = 0;
    while (top > 0 && count < limit) {
      const node = stack[--top];
      const start = nodeStart[node], end = nodeEnd[node];
      if (start >= end || this.minDist(node, q) > r2) continue;
      if (this.maxDist(node, q) <= r2) {
        count += end - start;
      } else if (2 * node + 1 >= nNodes) {
        for (let p = start; p < end && count < limit; p++) {
          const o = p * d;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const t = q[j] - points[o + j];
            s += t * t;
          }
          if (s <= r2) count++;
        }
      } else {
        stack[top++] = 2 * node + 2;
        stack[top++] = 2 * node + 1;
      }
    }
    return Math.min(count, limit);
  }

  kneighbors(Q: Matrix, k: number): KNeighborsResult {
    const result = allocKNeighbors(this, Q, k);
    const d = this.nFeatures, q = this.q;
    const { perm, points, nodeStart, nodeEnd, stack, stackDist, nNodes } = this;
    const heapD = new Float64Array(k), heapI = new Int32Array(k);
    const outD = result.distances.data, outI = result.indices;
    for (let row = 0; row < Q.rows; row++) {
      queryRow(Q, row, q);
      let size = 0, top = 0;
      stack[top] = 0;
      stackDist[top++] = this.minDist(0, q);
      while (top > 0) {
        const node = stack[--top];
        // Equal distances are still explored: a tie can displace a candidate with a larger index.
        if (size === k && stackDist[top] > heapD[0]) continue;
        const start = nodeStart[node], end = nodeEnd[node];
        if (start >= end) continue;
        const left = 2 * node + 1;
        if (left >= nNodes) {
          for (let p = start; p < end; p++) {
            const o = p * d;
            let s = 0;
            for (let j = 0; j < d; j++) {
              const t = q[j] - points[o + j];
              s += t * t;
            }
            // Most candidates lose to the current k-th: reject them before the call.
            if (size < k || s <= heapD[0]) size = heapPush(heapD, heapI, 0, size, k, s, perm[p]);
          }
          continue;
        }
        const dl = this.minDist(left, q), dr = this.minDist(left + 1, q);
        // The nearer child goes on top of the stack, so it is searched first.
        if (dl <= dr) {
          stack[top] = left + 1;
          stackDist[top++] = dr;
          stack[top] = left;
          stackDist[top++] = dl;
        } else {
          stack[top] = left;
          stackDist[top++] = dl;
          stack[top] = left + 1;
          stackDist[top++] = dr;
        }
      }
      heapSort(heapD, heapI, 0, k);
      for (let m = 0; m < k; m++) {
        outD[row * k + m] = Math.sqrt(heapD[m]);
        outI[row * k + m] = heapI[m];
      }
    }
    return result;
  }

  /** Squared distance from `q` to the nearest point of the node's box (0 inside it). */
  private minDist(node: number, q: Float64Array): number {
    const d = this.nFeatures, b = node * d, lo = this.lower, hi = this.upper;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const below = lo[b + j] - q[j], above = q[j] - hi[b + j];
      const t = below > 0 ? below : above > 0 ? above : 0;
      s += t * t;
    }
    return s;
  }

  /** Squared distance from `q` to the farthest corner of the node's box. */
  private maxDist(node: number, q: Float64Array): number {
    const d = this.nFeatures, b = node * d, lo = this.lower, hi = this.upper;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const a = q[j] - lo[b + j], c = hi[b + j] - q[j];
      const t = a > c ? a : c;
      s += t * t;
    }
    return s;
  }
}

/**
 * Reorders `perm[left..right]` (inclusive) so that position `nth` holds the row whose value in
 * column `dim` would be there after sorting, smaller-or-equal values before it and
 * larger-or-equal after (numpy's `nth_element`). Hoare partitioning keeps runs of equal values
 * balanced, so duplicate points do not make it quadratic.
 */
function selectNth(perm: Int32Array, data: ArrayLike<number>, d: number, dim: number, left: number, right: number, nth: number): void {
  while (right > left) {
    const a = data[perm[left] * d + dim], b = data[perm[(left + right) >> 1] * d + dim], c = data[perm[right] * d + dim];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left, j = right;
    while (i <= j) {
      while (data[perm[i] * d + dim] < pivot) i++;
      while (data[perm[j] * d + dim] > pivot) j--;
      if (i <= j) {
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) right = j;
    else if (nth >= i) left = i;
    else return;
  }
}
