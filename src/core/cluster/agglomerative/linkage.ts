/**
 * Hierarchical clustering kernels, computed the way scikit-learn 1.2 computes them so that merge
 * order, tie-breaking, node numbering and merge heights match it exactly:
 *
 * - single linkage: Prim's minimum spanning tree over the points (scikit-learn's
 *   `_hierarchical_fast.mst_linkage_core`), O(n²) time and O(n) memory;
 * - complete, average and ward: scipy's nearest-neighbour chain (`scipy.cluster.hierarchy.nn_chain`,
 *   which scikit-learn calls when there is no connectivity matrix) with Lance–Williams updates over
 *   the condensed distance array, O(n²) time and memory.
 *
 * A tree is scikit-learn's `children_` / `distances_`: merge i joins two nodes into node n + i,
 * where nodes 0..n−1 are the samples.
 */
import type { Matrix } from '../../math/matrix';
import { sqDist } from '../../math/distance';

export type Linkage = 'ward' | 'complete' | 'average' | 'single';

export interface MergeTree {
  /** Shape (nSamples − 1, 2), row-major: merge i joins `children[2i]` and `children[2i + 1]` into node nSamples + i. */
  children: Int32Array;
  /** Shape (nSamples − 1): the linkage distance of each merge, non-decreasing. */
  distances: Float64Array;
}

/** Reports the fraction of merges done. */
export type MergeProgress = (fraction: number) => void;

/** How many progress reports a tree build makes at most. */
const PROGRESS_STEPS = 100;

/**
 * The condensed Euclidean distance array (scipy's `pdist`): entry (i, j), i < j, lives at
 * `condensedIndex(n, i, j)`. Length n(n − 1)/2. Distances are computed from coordinate
 * differences, not the expanded ‖x‖² − 2x·y + ‖y‖², as scipy does, so the merge heights agree
 * to the last bit.
 */
export function condensedDistances(X: Matrix): Float64Array {
  const n = X.rows, d = X.cols, data = X.data;
  const D = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) D[k++] = Math.sqrt(sqDist(data, i, data, j, d));
  }
  return D;
}

/** Where the distance between i and j (i ≠ j) lives in a condensed array over n points. */
export function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) {
    const t = i;
    i = j;
    j = t;
  }
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

const COMPLETE = 0, AVERAGE = 1, WARD = 2;

/**
 * Complete, average or ward linkage by the nearest-neighbour chain, as scipy 1.10's `nn_chain`:
 * follow nearest neighbours (preferring the previous chain element on ties, then the lowest index)
 * until two clusters are each other's nearest, merge them into the slot of the larger index, and
 * update its distances with the Lance–Williams formula. `D` (condensed, see `condensedDistances`)
 * is overwritten. Ward's distances are scipy's: the Euclidean distance between singletons, and
 * √(2 × increase in within-cluster sum of squares) in general.
 */
export function nnChainLinkage(D: Float64Array, n: number, linkage: Exclude<Linkage, 'single'>, onProgress?: MergeProgress): MergeTree {
  const method = linkage === 'complete' ? COMPLETE : linkage === 'average' ? AVERAGE : WARD;
  const mergeX = new Int32Array(n - 1), mergeY = new Int32Array(n - 1);
  const height = new Float64Array(n - 1);
  // size[i] = 0 marks a slot whose cluster was merged away.
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLength = 0;
  const every = Math.max(1, Math.floor((n - 1) / PROGRESS_STEPS));
  // Like scipy, y outlives an iteration: it is only re-read if every distance is infinite.
  let y = 0;

  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      for (let i = 0; i < n; i++) {
        if (size[i] > 0) {
          chain[0] = i;
          break;
        }
      }
    }
    let x: number;
    let currentMin: number;
    for (;;) {
      x = chain[chainLength - 1];
      // Starting from the previous element avoids cycling between equally near clusters.
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        currentMin = D[condensedIndex(n, x, y)];
      } else {
        currentMin = Infinity;
      }
      // Columns before x: entry (i, x) starts at rowStart(i) and moves by n − i − 2 per row.
      let idx = x - 1;
      for (let i = 0; i < x; i++) {
        if (size[i] > 0) {
          const dist = D[idx];
          if (dist < currentMin) {
            currentMin = dist;
            y = i;
          }
        }
        idx += n - i - 2;
      }
      // Columns after x: entries (x, i) are contiguous.
      const base = n * x - (x * (x + 1)) / 2 - x - 1;
      for (let i = x + 1; i < n; i++) {
        if (size[i] > 0) {
          const dist = D[base + i];
          if (dist < currentMin) {
            currentMin = dist;
            y = i;
          }
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    // fastcluster's convention, kept by scipy: the merged cluster takes the larger slot.
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x], ny = size[y];
    mergeX[k] = x;
    mergeY[k] = y;
    height[k] = currentMin;
    size[x] = 0;
    size[y] = nx + ny;
    updateDistances(D, n, size, x, y, currentMin, nx, ny, method);
    if (onProgress && (k + 1) % every === 0) onProgress((k + 1) / (n - 1));
  }
  return relabel(mergeX, mergeY, height, n);
}

/**
 * Lance–Williams update of the distances from every live cluster i to the merged cluster in slot y
 * (x < y). The three index ranges walk the condensed array incrementally: entries (i, c) for i < c
 * step by n − i − 2 down a column, entries (c, i) for i > c are contiguous.
 */
function updateDistances(
  D: Float64Array,
  n: number,
  size: Int32Array,
  x: number,
  y: number,
  dxy: number,
  nx: number,
  ny: number,
  method: number,
): void {
  let ix = x - 1, iy = y - 1;
  for (let i = 0; i < x; i++) {
    const ni = size[i];
    if (ni !== 0) D[iy] = lanceWilliams(D[ix], D[iy], dxy, nx, ny, ni, method);
    ix += n - i - 2;
    iy += n - i - 2;
  }
  const rowX = n * x - (x * (x + 1)) / 2 - x - 1;
  iy = condensedIndex(n, x + 1, y);
  for (let i = x + 1; i < y; i++) {
    const ni = size[i];
    if (ni !== 0) D[iy] = lanceWilliams(D[rowX + i], D[iy], dxy, nx, ny, ni, method);
    iy += n - i - 2;
  }
  const rowY = n * y - (y * (y + 1)) / 2 - y - 1;
  for (let i = y + 1; i < n; i++) {
    const ni = size[i];
    if (ni !== 0) D[rowY + i] = lanceWilliams(D[rowX + i], D[rowY + i], dxy, nx, ny, ni, method);
  }
}

/** The distance from cluster i to the union of x and y, from d(x, i), d(y, i) and d(x, y). */
function lanceWilliams(dxi: number, dyi: number, dxy: number, nx: number, ny: number, ni: number, method: number): number {
  if (method === COMPLETE) return dxi > dyi ? dxi : dyi;
  if (method === AVERAGE) return (nx * dxi + ny * dyi) / (nx + ny);
  // Same operation order as scipy's `_ward`, so the results agree bit for bit.
  const t = 1.0 / (nx + ny + ni);
  return Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
}

/**
 * Single linkage through Prim's minimum spanning tree, as scikit-learn's `mst_linkage_core`: grow
 * the tree from sample 0, always adding the nearest outside sample (lowest index on ties), then
 * sort the edges by weight (stable) and turn them into merges. O(n²·d) time, O(n) memory.
 */
export function mstSingleLinkage(X: Matrix, onProgress?: MergeProgress): MergeTree {
  const n = X.rows, d = X.cols, data = X.data;
  const inTree = new Uint8Array(n);
  const nearest = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n - 1), to = new Int32Array(n - 1);
  const weight = new Float64Array(n - 1);
  const every = Math.max(1, Math.floor((n - 1) / PROGRESS_STEPS));
  let current = 0;
  for (let e = 0; e < n - 1; e++) {
    inTree[current] = 1;
    let best = Infinity;
    let next = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const dist = Math.sqrt(sqDist(data, current, data, j, d));
      if (dist < nearest[j]) nearest[j] = dist;
      if (nearest[j] < best) {
        best = nearest[j];
        next = j;
      }
    }
    from[e] = current;
    to[e] = next;
    weight[e] = best;
    current = next;
    if (onProgress && (e + 1) % every === 0) onProgress((e + 1) / (n - 1));
  }
  const order = stableOrder(weight);
  const children = new Int32Array(2 * (n - 1));
  const distances = new Float64Array(n - 1);
  const uf = new MergeUnionFind(n);
  for (let r = 0; r < n - 1; r++) {
    const e = order[r];
    // scikit-learn keeps the edge's direction here (it does not sort the pair).
    const a = uf.find(from[e]), b = uf.find(to[e]);
    children[2 * r] = a;
    children[2 * r + 1] = b;
    distances[r] = weight[e];
    uf.merge(a, b);
  }
  return { children, distances };
}

/**
 * scipy's `label`: sorts the merges by height (stable) and renames the slots they were recorded
 * under to tree nodes (merge r creates node n + r), smaller node first.
 */
function relabel(mergeX: Int32Array, mergeY: Int32Array, height: Float64Array, n: number): MergeTree {
  const order = stableOrder(height);
  const children = new Int32Array(2 * (n - 1));
  const distances = new Float64Array(n - 1);
  const uf = new MergeUnionFind(n);
  for (let r = 0; r < n - 1; r++) {
    const k = order[r];
    const a = uf.find(mergeX[k]), b = uf.find(mergeY[k]);
    children[2 * r] = a < b ? a : b;
    children[2 * r + 1] = a < b ? b : a;
    distances[r] = height[k];
    uf.merge(a, b);
  }
  return { children, distances };
}

/** Indices that sort `values` ascending, ties kept in index order (numpy's mergesort argsort). */
function stableOrder(values: Float64Array): Int32Array {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b] || a - b);
}

/** Union–find over tree nodes: merging two roots creates the next node, n, n + 1, ... */
class MergeUnionFind {
  private readonly parent: Int32Array;
  private next: number;

  constructor(n: number) {
    this.parent = new Int32Array(2 * n - 1).fill(-1);
    this.next = n;
  }

  find(node: number): number {
    let root = node;
    while (this.parent[root] !== -1) root = this.parent[root];
    // Path compression keeps later finds short.
    while (node !== root) {
      const up = this.parent[node];
      this.parent[node] = root;
      node = up;
    }
    return root;
  }

  merge(a: number, b: number): void {
    this.parent[a] = this.next;
    this.parent[b] = this.next;
    this.next++;
  }
}

/**
 * Cuts a merge tree into `nClusters` clusters, numbered as scikit-learn's `_hc_cut` numbers them:
 * it splits the highest node of a max-heap of nodes until there are `nClusters`, then labels each
 * cluster by its node's position in that heap's array. The heap is Python's `heapq` over negated
 * node ids, reproduced step for step, since the array order (not just its content) sets the labels.
 *
 * @param children shape (nLeaves − 1, 2), a full tree
 * @returns labels, shape (nLeaves), in 0..nClusters − 1
 */
export function cutTree(children: Int32Array, nLeaves: number, nClusters: number): Int32Array {
  const heap = new Int32Array(nClusters);
  let size = 1;
  const last = children.length - 2;
  heap[0] = -(Math.max(children[last], children[last + 1]) + 1);
  for (let c = 0; c < nClusters - 1; c++) {
    const row = -heap[0] - nLeaves;
    const left = -children[2 * row], right = -children[2 * row + 1];
    // heappush(left)
    heap[size] = left;
    siftDown(heap, 0, size);
    size++;
    // heappushpop(right): replaces the (split) top, which is always smaller than a child's -id.
    if (heap[0] < right) {
      heap[0] = right;
      siftUp(heap, 0, size);
    }
  }
  const nNodes = 2 * nLeaves - 1;
  const nodeLabel = new Int32Array(nNodes).fill(-1);
  for (let i = 0; i < size; i++) nodeLabel[-heap[i]] = i;
  // Parents have larger ids than their children, so one downward pass labels every subtree.
  for (let node = nNodes - 1; node >= nLeaves; node--) {
    const label = nodeLabel[node];
    if (label < 0) continue;
    const row = node - nLeaves;
    nodeLabel[children[2 * row]] = label;
    nodeLabel[children[2 * row + 1]] = label;
  }
  return nodeLabel.slice(0, nLeaves);
}

/** heapq's `_siftdown`: moves heap[pos] up towards `start` while it is smaller than its parent. */
function siftDown(heap: Int32Array, start: number, pos: number): void {
  const item = heap[pos];
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos];
    if (item < parent) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

/** heapq's `_siftup`: sinks heap[pos] to a leaf along the smaller children, then sifts it back up. */
function siftUp(heap: Int32Array, pos: number, end: number): void {
  const start = pos;
  const item = heap[pos];
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child] < heap[right])) child = right;
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}
