/**
 * The hot loops of DBSCAN. scikit-learn stores every ε-neighbourhood, then walks them depth-first
 * (`_dbscan_inner.pyx`); that walk gives:
 *  - core points: at least `minSamples` points within ε, the point itself included;
 *  - clusters: the connected components of the core points (edges: distance ≤ ε), numbered in
 *    order of their lowest-index core point;
 *  - a non-core point within ε of cores of several clusters goes to the cluster numbered first
 *    (the walk that reaches it first labels it), and to none (noise, −1) if no core is near.
 * We compute exactly that result without storing neighbourhoods: core flags with counts that
 * stop at `minSamples`, components with union-find, border points by the lowest cluster number
 * among their core neighbours. Every "within ε" decision is the same float64 test as the
 * neighbour indexes' (Σ (x_j − y_j)² ≤ ε² in feature order), so all paths agree exactly.
 */
import type { ProgressHook } from '../../base';
import type { Matrix } from '../../math/matrix';
import { NeighborBuffer } from '../../neighbors/buffer';
import { buildGrid, type Grid, findCell } from '../../neighbors/grid';
import type { NeighborIndex } from '../../neighbors/query';

export interface DbscanResult {
  /** Cluster of each sample, −1 for noise, (nSamples). */
  labels: Int32Array;
  /** 1 for core samples, (nSamples). */
  isCore: Uint8Array;
}

/** Root of i's set, halving the path on the way. */
function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const up = parent[parent[i]];
    parent[i] = up;
    i = up;
  }
  return i;
}

/** Merges the sets of a and b under the smaller root, so a root is its set's lowest index. */
function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a), rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** Numbers the components of core points in order of their lowest index (scikit-learn's order). */
function labelCores(parent: Int32Array, isCore: Uint8Array, labels: Int32Array): void {
  let next = 0;
  for (let i = 0; i < isCore.length; i++) {
    if (!isCore[i]) continue;
    const root = find(parent, i);
    labels[i] = root === i ? next++ : labels[root];
  }
}

/** Calls `hook` at most ~100 times over a loop of `total` steps, mapped into [from, to]. */
function progressEvery(hook: ProgressHook | undefined, total: number, from: number, to: number): (step: number) => void {
  if (!hook) return () => {};
  const every = Math.max(1, Math.ceil(total / 100));
  return (step) => {
    if (step % every === 0) hook(from + ((to - from) * step) / total);
  };
}

/**
 * DBSCAN through any neighbour index over `X` (the KD-tree or brute-force path). Memory stays
 * O(n): neighbourhoods are queried one at a time into a reused buffer.
 */
export function dbscanWithIndex(X: Matrix, index: NeighborIndex, eps: number, minSamples: number, onProgress?: ProgressHook): DbscanResult {
  const n = X.rows;
  const isCore = new Uint8Array(n), labels = new Int32Array(n).fill(-1), parent = new Int32Array(n);
  const tick1 = progressEvery(onProgress, n, 0, 0.3);
  for (let i = 0; i < n; i++) {
    isCore[i] = index.countWithin(X, i, eps, minSamples) >= minSamples ? 1 : 0;
    parent[i] = i;
    tick1(i);
  }
  const buf = new NeighborBuffer();
  const tick2 = progressEvery(onProgress, n, 0.3, 0.9);
  for (let i = 0; i < n; i++) {
    tick2(i);
    if (!isCore[i]) continue;
    const m = index.radiusNeighbors(X, i, eps, buf), nb = buf.indices;
    // Each core-core edge is seen from both ends; taking it from the lower end is enough.
    for (let t = 0; t < m; t++) {
      const j = nb[t];
      if (j > i && isCore[j]) union(parent, i, j);
    }
  }
  labelCores(parent, isCore, labels);
  const tick3 = progressEvery(onProgress, n, 0.9, 1);
  for (let i = 0; i < n; i++) {
    tick3(i);
    if (isCore[i]) continue;
    const m = index.radiusNeighbors(X, i, eps, buf), nb = buf.indices;
    let best = -1;
    for (let t = 0; t < m; t++) {
      const j = nb[t];
      if (isCore[j] && (best < 0 || labels[j] < best)) best = labels[j];
    }
    labels[i] = best;
  }
  onProgress?.(1);
  return { labels, isCore };
}

/** Fine cells pay off from this many points per fine cell on average (see dbscanGrid). */
const FINE_MIN_OCCUPANCY = 2;

/**
 * DBSCAN for 1 to 3 features on a grid (Gunawan's cell-based DBSCAN). Whole cells are settled
 * by bounding-box tests, which are exact with respect to the point test (rounding is monotone):
 * a cell whose points are all within ε of each other ("tight") and holds at least minSamples
 * of them makes all of them core without a single distance, and a pair of cells is merged after
 * the first pair of cores found within ε.
 *
 * Dense data gets fine cells of side ε/√max(d, 2), nearly all tight, searched ±2 cells along
 * every axis; sparse data gets cells of side ε (just over, so that rounding cannot push an
 * ε-neighbour two cells away), searched ±1, since tiny cells would mostly be visited empty.
 * Returns null when the grid would be too fine for the data's extent (the caller uses a tree).
 */
export function dbscanGrid(X: Matrix, eps: number, minSamples: number, onProgress?: ProgressHook): DbscanResult | null {
  const d = X.cols;
  // Bucketing computes (x − origin) / side with a relative rounding error of a few 2^-53 of
  // the coordinates' magnitude; coarse cells are made wider than ε by more than that, so an
  // ε-neighbour is never bucketed two cells away. Data whose coordinates dwarf ε use a tree.
  let maxAbs = 0;
  for (let i = 0; i < X.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(X.data[i]));
  const widen = 1e-9 + (4e-15 * maxAbs) / eps;
  if (!(widen < 1e-3)) return null;
  const coarse = buildGrid(X, eps * (1 + widen));
  if (!coarse) return null;
  // A fine cell is (√max(d, 2))^d times smaller than a coarse one.
  const fineOccupancy = X.rows / coarse.nCells / Math.max(d, 2) ** (d / 2);
  const fine = fineOccupancy >= FINE_MIN_OCCUPANCY ? buildGrid(X, eps / Math.sqrt(Math.max(d, 2))) : null;
  return fine ? dbscanCells(fine, 2, eps, minSamples, onProgress) : dbscanCells(coarse, 1, eps, minSamples, onProgress);
}

/**
 * The cell-based DBSCAN over a built grid whose ε-neighbours all lie within `reach` cells along
 * every axis. Correctness never assumes a cell is tight: that is measured from its points.
 */
function dbscanCells(g: Grid, reach: number, eps: number, minSamples: number, onProgress?: ProgressHook): DbscanResult {
  const d = g.nFeatures, n = g.order.length;
  const eps2 = eps * eps, nC = g.nCells, { start, order, points: pts, cellLower, cellUpper } = g;

  // A tight cell has all its points within ε of each other: nearly every fine cell (only
  // rounding at its diagonal can break it), coarse cells when their points happen to be close.
  // Other cells are handled point by point.
  const tight = new Uint8Array(nC);
  for (let c = 0; c < nC; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = cellUpper[c * d + j] - cellLower[c * d + j];
      s += t * t;
    }
    tight[c] = s <= eps2 ? 1 : 0;
  }
  const { nbStart, nb } = neighborCells(g, reach);

  // Phase 1: core flags, by position in cell order; counts stop once they reach minSamples.
  const corePos = new Uint8Array(n);
  const q = new Float64Array(d);
  const tick1 = progressEvery(onProgress, nC, 0, 0.4);
  for (let c = 0; c < nC; c++) {
    tick1(c);
    const p0 = start[c], p1 = start[c + 1], size = p1 - p0;
    if (tight[c] && size >= minSamples) {
      corePos.fill(1, p0, p1);
      continue;
    }
    for (let p = p0; p < p1; p++) {
      for (let j = 0; j < d; j++) q[j] = pts[p * d + j];
      let count = tight[c] ? size : countInRange(pts, d, q, p0, p1, eps2, minSamples);
      for (let t = nbStart[c]; t < nbStart[c + 1] && count < minSamples; t++) {
        const c2 = nb[t];
        if (c2 === c || boxMinDist(cellLower, cellUpper, c2, d, q) > eps2) continue;
        if (boxMaxDist(cellLower, cellUpper, c2, d, q) <= eps2) count += start[c2 + 1] - start[c2];
        else count += countInRange(pts, d, q, start[c2], start[c2 + 1], eps2, minSamples - count);
      }
      corePos[p] = count >= minSamples ? 1 : 0;
    }
  }

  // The core points of each cell, in cell order (so the first is the cell's lowest index),
  // and their bounding boxes.
  const coreStart = new Int32Array(nC + 1);
  let nCore = 0;
  for (let c = 0; c < nC; c++) {
    coreStart[c] = nCore;
    for (let p = start[c]; p < start[c + 1]; p++) nCore += corePos[p];
  }
  coreStart[nC] = nCore;
  const corePts = new Int32Array(nCore);
  const coreLower = new Float64Array(nC * d).fill(Infinity), coreUpper = new Float64Array(nC * d).fill(-Infinity);
  for (let c = 0, m = 0; c < nC; c++) {
    for (let p = start[c]; p < start[c + 1]; p++) {
      if (!corePos[p]) continue;
      corePts[m++] = p;
      for (let j = 0; j < d; j++) {
        const v = pts[p * d + j];
        if (v < coreLower[c * d + j]) coreLower[c * d + j] = v;
        if (v > coreUpper[c * d + j]) coreUpper[c * d + j] = v;
      }
    }
  }

  // Phase 2: components of the core points, over original row numbers.
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let c = 0; c < nC; c++) {
    const k0 = coreStart[c], k1 = coreStart[c + 1];
    if (k1 - k0 < 2) continue;
    if (tight[c]) {
      // All singletons still, and the first core has the lowest index: link straight to it.
      const first = order[corePts[k0]];
      for (let k = k0 + 1; k < k1; k++) parent[order[corePts[k]]] = first;
    } else {
      unionPairs(parent, pts, d, order, corePts, k0, k1, k0, k1, eps2);
    }
  }
  const tick2 = progressEvery(onProgress, nC, 0.4, 0.8);
  for (let c = 0; c < nC; c++) {
    tick2(c);
    const k0 = coreStart[c], k1 = coreStart[c + 1];
    if (k0 === k1) continue;
    const firstA = order[corePts[k0]];
    for (let t = nbStart[c]; t < nbStart[c + 1]; t++) {
      const c2 = nb[t];
      if (c2 <= c) continue;
      const m0 = coreStart[c2], m1 = coreStart[c2 + 1];
      if (m0 === m1) continue;
      const firstB = order[corePts[m0]];
      const bothTight = tight[c] && tight[c2];
      if (bothTight && find(parent, firstA) === find(parent, firstB)) continue;
      if (boxesMinDist(coreLower, coreUpper, c, c2, d) > eps2) continue;
      if (boxesMaxDist(coreLower, coreUpper, c, c2, d) <= eps2) {
        // Every core of one cell is within ε of every core of the other.
        for (let k = k0; k < k1; k++) union(parent, firstA, order[corePts[k]]);
        for (let k = m0; k < m1; k++) union(parent, firstA, order[corePts[k]]);
      } else if (bothTight) {
        if (anyPairWithin(pts, d, corePts, k0, k1, m0, m1, eps2)) union(parent, firstA, firstB);
      } else {
        unionPairs(parent, pts, d, order, corePts, k0, k1, m0, m1, eps2);
      }
    }
  }

  const isCore = new Uint8Array(n);
  for (let p = 0; p < n; p++) isCore[order[p]] = corePos[p];
  const labels = new Int32Array(n).fill(-1);
  labelCores(parent, isCore, labels);

  // Phase 3: each border point joins the lowest-numbered cluster among its core neighbours.
  const tick3 = progressEvery(onProgress, nC, 0.8, 1);
  for (let c = 0; c < nC; c++) {
    tick3(c);
    for (let p = start[c]; p < start[c + 1]; p++) {
      if (corePos[p]) continue;
      for (let j = 0; j < d; j++) q[j] = pts[p * d + j];
      let best = 0x7fffffff;
      for (let t = nbStart[c]; t < nbStart[c + 1]; t++) {
        const c2 = nb[t], m0 = coreStart[c2], m1 = coreStart[c2 + 1];
        if (m0 === m1 || boxMinDist(coreLower, coreUpper, c2, d, q) > eps2) continue;
        if (tight[c2]) {
          // One cluster per tight cell: any core within ε decides.
          const label = labels[order[corePts[m0]]];
          if (label >= best) continue;
          if (boxMaxDist(coreLower, coreUpper, c2, d, q) <= eps2 || anyWithin(pts, d, q, corePts, m0, m1, eps2)) best = label;
        } else {
          for (let k = m0; k < m1; k++) {
            const label = labels[order[corePts[k]]];
            if (label < best && sqDistTo(pts, d, corePts[k], q) <= eps2) best = label;
          }
        }
      }
      labels[order[p]] = best === 0x7fffffff ? -1 : best;
    }
  }
  onProgress?.(1);
  return { labels, isCore };
}

/** For every non-empty cell, the non-empty cells within ±reach along every axis (itself included). */
function neighborCells(g: Grid, reach: number): { nbStart: Int32Array; nb: Int32Array } {
  const d = g.nFeatures, nC = g.nCells, side = 2 * reach + 1, span = side ** d;
  // Offsets and their key deltas, computed once.
  const offsets = new Int32Array(span * d), delta = new Float64Array(span);
  for (let o = 0; o < span; o++) {
    for (let j = 0, rest = o; j < d; j++, rest = Math.floor(rest / side)) {
      offsets[o * d + j] = (rest % side) - reach;
      delta[o] += offsets[o * d + j] * g.strides[j];
    }
  }
  const nbStart = new Int32Array(nC + 1);
  let nb = new Int32Array(Math.min(nC * span, 16 * nC + 1024));
  let m = 0;
  for (let c = 0; c < nC; c++) {
    nbStart[c] = m;
    const key = g.keys[c];
    for (let o = 0; o < span; o++) {
      let inside = true;
      for (let j = 0; j < d && inside; j++) {
        const v = g.cellCoords[c * d + j] + offsets[o * d + j];
        inside = v >= 0 && v < g.dims[j];
      }
      if (!inside) continue;
      const c2 = findCell(g, key + delta[o]);
      if (c2 < 0) continue;
      if (m === nb.length) {
        const grown = new Int32Array(nb.length * 2);
        grown.set(nb);
        nb = grown;
      }
      nb[m++] = c2;
    }
  }
  nbStart[nC] = m;
  return { nbStart, nb };
}

function sqDistTo(pts: Float64Array, d: number, p: number, q: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = q[j] - pts[p * d + j];
    s += t * t;
  }
  return s;
}

/** Points at positions p0..p1−1 within ε of q, counting no further than `limit`. */
function countInRange(pts: Float64Array, d: number, q: Float64Array, p0: number, p1: number, eps2: number, limit: number): number {
  let count = 0;
  for (let p = p0; p < p1 && count < limit; p++) if (sqDistTo(pts, d, p, q) <= eps2) count++;
  return count;
}

/** Whether any of the core positions corePts[k0..k1) lies within ε of q. */
function anyWithin(pts: Float64Array, d: number, q: Float64Array, corePts: Int32Array, k0: number, k1: number, eps2: number): boolean {
  for (let k = k0; k < k1; k++) if (sqDistTo(pts, d, corePts[k], q) <= eps2) return true;
  return false;
}

/** Whether some core of the first range lies within ε of some core of the second. */
function anyPairWithin(pts: Float64Array, d: number, corePts: Int32Array, k0: number, k1: number, m0: number, m1: number, eps2: number): boolean {
  for (let k = k0; k < k1; k++) {
    const a = corePts[k] * d;
    for (let m = m0; m < m1; m++) {
      const b = corePts[m] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = pts[a + j] - pts[b + j];
        s += t * t;
      }
      if (s <= eps2) return true;
    }
  }
  return false;
}

/** Unions every pair of cores (one from each range) within ε; ranges may be the same cell. */
function unionPairs(
  parent: Int32Array,
  pts: Float64Array,
  d: number,
  order: Int32Array,
  corePts: Int32Array,
  k0: number,
  k1: number,
  m0: number,
  m1: number,
  eps2: number,
): void {
  for (let k = k0; k < k1; k++) {
    const a = corePts[k] * d, ia = order[corePts[k]];
    for (let m = k0 === m0 ? k + 1 : m0; m < m1; m++) {
      const ib = order[corePts[m]];
      if (find(parent, ia) === find(parent, ib)) continue;
      const b = corePts[m] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = pts[a + j] - pts[b + j];
        s += t * t;
      }
      if (s <= eps2) union(parent, ia, ib);
    }
  }
}

/** Squared distance from q to the nearest point of box c. */
function boxMinDist(lower: Float64Array, upper: Float64Array, c: number, d: number, q: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const below = lower[c * d + j] - q[j], above = q[j] - upper[c * d + j];
    const t = below > 0 ? below : above > 0 ? above : 0;
    s += t * t;
  }
  return s;
}

/** Squared distance from q to the farthest corner of box c. */
function boxMaxDist(lower: Float64Array, upper: Float64Array, c: number, d: number, q: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const a = q[j] - lower[c * d + j], e = upper[c * d + j] - q[j];
    const t = a > e ? a : e;
    s += t * t;
  }
  return s;
}

/** Smallest squared distance between a point of box a and a point of box b. */
function boxesMinDist(lower: Float64Array, upper: Float64Array, a: number, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const g1 = lower[b * d + j] - upper[a * d + j], g2 = lower[a * d + j] - upper[b * d + j];
    const t = g1 > 0 ? g1 : g2 > 0 ? g2 : 0;
    s += t * t;
  }
  return s;
}

/** Largest squared distance between a point of box a and a point of box b. */
function boxesMaxDist(lower: Float64Array, upper: Float64Array, a: number, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const g1 = upper[b * d + j] - lower[a * d + j], g2 = upper[a * d + j] - lower[b * d + j];
    const t = g1 > g2 ? g1 : g2;
    s += t * t;
  }
  return s;
}
