/**
 * A uniform grid over 1 to 3 features: space cut into cubes of side `cellSize`, the rows
 * bucketed by cube. For low-dimensional data and a radius near the cell size it answers radius
 * queries by scanning a handful of cells, which no tree matches. The rows are copied in cell
 * order (each cell one contiguous block, rows ascending within a cell) along with each cell's
 * bounding box, which lets a query take or skip a whole cell without changing any answer the
 * point-by-point test would give (float64 rounding is monotone; see kdtree.ts).
 *
 * Cells are keyed by their row-major linear number over the grid's extent. When that key space
 * is small (at most a few times the number of rows) a dense table maps keys to cells; otherwise
 * an open-addressing hash of the non-empty cells' keys does.
 */
import type { Matrix } from '../math/matrix';
import { DataError, ParameterError } from '../errors';
import { NeighborBuffer, pushIndex } from './buffer';
import { heapPush, heapSort } from './heap';
import { allocKNeighbors, checkQuery, type KNeighborsResult, type NeighborIndex, queryRow } from './query';

export const GRID_MAX_FEATURES = 3;

/** Keys are exact integers in float64 up to this bound. */
const MAX_KEYS = 2 ** 53;

export interface Grid {
  readonly nFeatures: number;
  readonly cellSize: number;
  /** Per-feature minimum of the data: the corner of cell (0, ..., 0). */
  readonly origin: Float64Array;
  /** Cells along each feature. */
  readonly dims: Float64Array;
  /** Row-major key strides: key = Σ coord_j · strides_j. */
  readonly strides: Float64Array;
  readonly nCells: number;
  /** Keys of the non-empty cells, ascending, (nCells). */
  readonly keys: Float64Array;
  /** Integer coordinates of the non-empty cells, (nCells, nFeatures). */
  readonly cellCoords: Float64Array;
  /** Cell c holds positions start[c] .. start[c + 1] − 1 of `order` and `points`, (nCells + 1). */
  readonly start: Int32Array;
  /** Row numbers in cell order, (nSamples). */
  readonly order: Int32Array;
  /** The rows in cell order, (nSamples, nFeatures). */
  readonly points: Float64Array;
  /** Bounding box of each cell's rows, (nCells, nFeatures) each. */
  readonly cellLower: Float64Array;
  readonly cellUpper: Float64Array;
  /** Dense key → cell map (−1 for empty cells), or null when the hash is used. */
  readonly table: Int32Array | null;
  /** Open-addressing hash of the non-empty cells (slots hold cell numbers, −1 when free). */
  readonly hash: Int32Array | null;
  readonly hashShift: number;
}

/**
 * Buckets the rows of `X`, (nSamples, nFeatures ≤ 3), into cells of side `cellSize`. Returns
 * null when the grid would need more cells than float64 keys can number (a cell size tiny
 * against the data's extent): callers then use a tree.
 */
export function buildGrid(X: Matrix, cellSize: number): Grid | null {
  const n = X.rows, d = X.cols, data = X.data;
  const origin = new Float64Array(d).fill(Infinity), top = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (v < origin[j]) origin[j] = v;
      if (v > top[j]) top[j] = v;
    }
  }
  const dims = new Float64Array(d), strides = new Float64Array(d);
  let total = 1;
  for (let j = 0; j < d; j++) {
    dims[j] = n === 0 ? 1 : Math.floor((top[j] - origin[j]) / cellSize) + 1;
    total *= dims[j];
    if (!Number.isFinite(total) || total > MAX_KEYS) return null;
  }
  for (let j = d - 1, s = 1; j >= 0; j--) {
    strides[j] = s;
    s *= dims[j];
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let j = 0; j < d; j++) {
      const c = Math.min(dims[j] - 1, Math.floor((data[i * d + j] - origin[j]) / cellSize));
      key += c * strides[j];
    }
    keys[i] = key;
  }

  // Cells are numbered in key order and rows placed by a stable counting sort over cell
  // numbers, so rows stay ascending within a cell; no comparison sort of the rows.
  let table: Int32Array | null = null, hash: Int32Array | null = null, hashShift = 0;
  const cellOf = new Int32Array(n);
  let cellKeys: Float64Array;
  if (total <= 2 * n + 65_536) {
    table = new Int32Array(total).fill(-1);
    for (let i = 0; i < n; i++) table[keys[i]] = 0;
    let nCells = 0;
    for (let key = 0; key < total; key++) if (table[key] === 0) table[key] = ++nCells;
    cellKeys = new Float64Array(nCells);
    for (let key = 0; key < total; key++) {
      if (table[key] > 0) cellKeys[--table[key]] = key;
      else table[key] = -1;
    }
    for (let i = 0; i < n; i++) cellOf[i] = table[keys[i]];
  } else {
    // A sparse key space: distinct keys through a hash (numbered in order of appearance), then
    // renumbered in key order after a native sort of the distinct keys.
    let bits = 1;
    while (2 ** bits < 2 * n) bits++;
    hash = new Int32Array(2 ** bits).fill(-1);
    hashShift = 32 - bits;
    const mask = hash.length - 1, seen = new Float64Array(n);
    let nCells = 0;
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      let slot = hashKey(key, hashShift);
      while (hash[slot] >= 0 && seen[hash[slot]] !== key) slot = (slot + 1) & mask;
      if (hash[slot] < 0) {
        seen[nCells] = key;
        hash[slot] = nCells++;
      }
      cellOf[i] = hash[slot];
    }
    cellKeys = seen.slice(0, nCells).sort();
    const renumber = new Int32Array(nCells);
    for (let c = 0; c < nCells; c++) {
      let slot = hashKey(cellKeys[c], hashShift);
      while (seen[hash[slot]] !== cellKeys[c]) slot = (slot + 1) & mask;
      renumber[hash[slot]] = c;
    }
    for (let slot = 0; slot < hash.length; slot++) if (hash[slot] >= 0) hash[slot] = renumber[hash[slot]];
    for (let i = 0; i < n; i++) cellOf[i] = renumber[cellOf[i]];
  }
  const start = new Int32Array(cellKeys.length + 1);
  for (let i = 0; i < n; i++) start[cellOf[i] + 1]++;
  for (let c = 0; c < cellKeys.length; c++) start[c + 1] += start[c];
  const order = new Int32Array(n), fill = start.slice(0, cellKeys.length);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;

  const nCells = cellKeys.length;
  const points = new Float64Array(n * d);
  const cellCoords = new Float64Array(nCells * d);
  const cellLower = new Float64Array(nCells * d).fill(Infinity), cellUpper = new Float64Array(nCells * d).fill(-Infinity);
  for (let c = 0; c < nCells; c++) {
    let rest = cellKeys[c];
    for (let j = 0; j < d; j++) {
      // Exact: keys and strides are integers below 2^53 and the remainder is taken exactly.
      const coord = Math.floor(rest / strides[j]);
      const fixed = coord * strides[j] > rest ? coord - 1 : coord;
      cellCoords[c * d + j] = fixed;
      rest -= fixed * strides[j];
    }
    for (let p = start[c]; p < start[c + 1]; p++) {
      const o = order[p] * d;
      for (let j = 0; j < d; j++) {
        const v = data[o + j];
        points[p * d + j] = v;
        if (v < cellLower[c * d + j]) cellLower[c * d + j] = v;
        if (v > cellUpper[c * d + j]) cellUpper[c * d + j] = v;
      }
    }
  }
  return { nFeatures: d, cellSize, origin, dims, strides, nCells, keys: cellKeys, cellCoords, start, order, points, cellLower, cellUpper, table, hash, hashShift };
}

/** Multiplicative hash of an integer key below 2^53, to `32 − shift` bits. */
function hashKey(key: number, shift: number): number {
  const lo = key % 4294967296, hi = (key - lo) / 4294967296;
  return Math.imul((lo | 0) ^ Math.imul(hi | 0, 0x27d4eb2d), 0x9e3779b1) >>> shift;
}

/** The cell with key `key`, or −1 when it is empty or outside the grid. */
export function findCell(g: Grid, key: number): number {
  if (g.table) return key >= 0 && key < g.table.length ? g.table[key] : -1;
  const hash = g.hash!, keys = g.keys, mask = hash.length - 1;
  for (let slot = hashKey(key, g.hashShift); ; slot = (slot + 1) & mask) {
    const c = hash[slot];
    if (c < 0) return -1;
    if (keys[c] === key) return c;
  }
}

/** Squared distance from `q` to the nearest point of cell c's bounding box. */
export function cellMinDist(g: Grid, c: number, q: Float64Array): number {
  const d = g.nFeatures, b = c * d, lo = g.cellLower, hi = g.cellUpper;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const below = lo[b + j] - q[j], above = q[j] - hi[b + j];
    const t = below > 0 ? below : above > 0 ? above : 0;
    s += t * t;
  }
  return s;
}

/** Squared distance from `q` to the farthest corner of cell c's bounding box. */
export function cellMaxDist(g: Grid, c: number, q: Float64Array): number {
  const d = g.nFeatures, b = c * d, lo = g.cellLower, hi = g.cellUpper;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const a = q[j] - lo[b + j], e = hi[b + j] - q[j];
    const t = a > e ? a : e;
    s += t * t;
  }
  return s;
}

/** A cell size giving a few rows per cell on average, for an index built without a radius. */
function defaultCellSize(X: Matrix): number {
  const n = X.rows, d = X.cols, data = X.data;
  let volume = 1, dims = 0;
  for (let j = 0; j < d; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi > lo) {
      volume *= hi - lo;
      dims++;
    }
  }
  if (dims === 0) return 1;
  const s = Math.pow((volume * 4) / n, 1 / dims);
  return s > 0 && Number.isFinite(s) ? s : 1;
}

export class GridIndex implements NeighborIndex {
  readonly algorithm = 'grid' as const;
  readonly size: number;
  readonly nFeatures: number;
  readonly grid: Grid;
  /** Scratch: the current query, and per-feature cell ranges padded to 3 features. */
  private readonly q: Float64Array;
  private readonly lo = new Float64Array(GRID_MAX_FEATURES);
  private readonly hi = new Float64Array(GRID_MAX_FEATURES);
  private readonly st = new Float64Array(GRID_MAX_FEATURES);
  /** Scratch: the cells a radius query visits. */
  private readonly cells = new NeighborBuffer(32);

  /**
   * Indexes the rows of `X`, (nSamples, nFeatures ≤ 3), in cells of side `cellSize` (best set
   * to the radius of the queries to come; by default a few rows per cell).
   */
  constructor(X: Matrix, cellSize?: number) {
    if (X.cols > GRID_MAX_FEATURES || X.cols < 1) {
      throw new ParameterError(`algorithm 'grid' needs 1 to ${GRID_MAX_FEATURES} features, got ${X.cols}`);
    }
    const s = cellSize ?? defaultCellSize(X);
    if (!(s > 0 && Number.isFinite(s))) throw new ParameterError(`grid cell size must be a positive finite number, got ${s}`);
    const grid = buildGrid(X, s);
    if (!grid) throw new DataError(`a grid of cell size ${s} would need more than 2^53 cells over this data's extent`);
    this.grid = grid;
    this.size = X.rows;
    this.nFeatures = X.cols;
    this.q = new Float64Array(X.cols);
  }

  /** A grid index, or null when the cell size is too small for the data's extent. */
  static tryBuild(X: Matrix, cellSize?: number): GridIndex | null {
    try {
      return new GridIndex(X, cellSize);
    } catch (e) {
      if (e instanceof DataError) return null;
      throw e;
    }
  }

  radiusNeighbors(Q: Matrix, row: number, radius: number, out: NeighborBuffer): number {
    checkQuery(this, Q);
    out.length = 0;
    const q = queryRow(Q, row, this.q), r2 = radius * radius, g = this.grid, d = g.nFeatures;
    const { order, points: pts, start } = g;
    const nCells = this.cellsNear(q, radius), cells = this.cells.indices;
    for (let t = 0; t < nCells; t++) {
      const c = cells[t];
      if (cellMinDist(g, c, q) > r2) continue;
      const p0 = start[c], p1 = start[c + 1];
      if (cellMaxDist(g, c, q) <= r2) {
        for (let p = p0; p < p1; p++) pushIndex(out, order[p]);
        continue;
      }
      for (let p = p0; p < p1; p++) {
        const o = p * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const u = q[j] - pts[o + j];
          s += u * u;
        }
        if (s <= r2) pushIndex(out, order[p]);
      }
    }
    return out.length;
  }

  countWithin(Q: Matrix, row: number, radius: number, limit: number): number {
    checkQuery(this, Q);
    const q = queryRow(Q, row, this.q), r2 = radius * radius, g = this.grid, d = g.nFeatures;
    const { points: pts, start } = g;
    const nCells = this.cellsNear(q, radius), cells = this.cells.indices;
    let count = 0;
    for (let t = 0; t < nCells && count < limit; t++) {
      const c = cells[t];
      if (cellMinDist(g, c, q) > r2) continue;
      const p0 = start[c], p1 = start[c + 1];
      if (cellMaxDist(g, c, q) <= r2) {
        count += p1 - p0;
        continue;
      }
      for (let p = p0; p < p1 && count < limit; p++) {
        const o = p * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const u = q[j] - pts[o + j];
          s += u * u;
        }
        if (s <= r2) count++;
      }
    }
    return Math.min(count, limit);
  }

  /**
   * Lists in `this.cells` every non-empty cell that may hold a row within `radius` of `q`, and
   * returns their number. The cell range is widened by a relative 1e-9 so that rounding in the
   * bucketing never hides a row at distance exactly `radius`.
   */
  private cellsNear(q: Float64Array, radius: number): number {
    const g = this.grid, d = g.nFeatures, s = g.cellSize, { lo, hi, st, cells } = this;
    cells.length = 0;
    let boxCells = 1;
    for (let j = 0; j < GRID_MAX_FEATURES; j++) {
      if (j >= d) {
        lo[j] = 0;
        hi[j] = 0;
        st[j] = 0;
        continue;
      }
      const u = (q[j] - g.origin[j]) / s, w = radius / s;
      const slack = 1e-9 * (1 + Math.abs(u) + w);
      lo[j] = Math.max(0, Math.floor(u - w - slack));
      hi[j] = Math.min(g.dims[j] - 1, Math.floor(u + w + slack));
      if (lo[j] > hi[j]) return 0;
      st[j] = g.strides[j];
      boxCells *= hi[j] - lo[j] + 1;
    }
    if (boxCells > g.nCells) {
      // A radius spanning many cells: walking the non-empty cells is cheaper than the box.
      const cc = g.cellCoords;
      for (let c = 0; c < g.nCells; c++) {
        let inside = true;
        for (let j = 0; j < d && inside; j++) inside = cc[c * d + j] >= lo[j] && cc[c * d + j] <= hi[j];
        if (inside) pushIndex(cells, c);
      }
      return cells.length;
    }
    for (let a = lo[0]; a <= hi[0]; a++) {
      for (let b = lo[1]; b <= hi[1]; b++) {
        const base = a * st[0] + b * st[1];
        for (let c = lo[2]; c <= hi[2]; c++) {
          const cell = findCell(g, base + c * st[2]);
          if (cell >= 0) pushIndex(cells, cell);
        }
      }
    }
    return cells.length;
  }

  kneighbors(Q: Matrix, k: number): KNeighborsResult {
    const result = allocKNeighbors(this, Q, k);
    const g = this.grid, d = g.nFeatures, s = g.cellSize, q = this.q;
    const heapD = new Float64Array(k), heapI = new Int32Array(k);
    const qc = new Float64Array(GRID_MAX_FEATURES), top = new Float64Array(GRID_MAX_FEATURES), st = new Float64Array(GRID_MAX_FEATURES);
    for (let j = 0; j < GRID_MAX_FEATURES; j++) {
      top[j] = j < d ? g.dims[j] - 1 : 0;
      st[j] = j < d ? g.strides[j] : 0;
    }
    const outD = result.distances.data, outI = result.indices;
    for (let row = 0; row < Q.rows; row++) {
      queryRow(Q, row, q);
      // Rings of cells at Chebyshev distance R around the query's cell, nearest ring first.
      let rStart = 0, rEnd = 0, extent = 0;
      for (let j = 0; j < GRID_MAX_FEATURES; j++) {
        const u = j < d ? (q[j] - g.origin[j]) / s : 0;
        qc[j] = Math.floor(u);
        rStart = Math.max(rStart, -qc[j], qc[j] - top[j]);
        rEnd = Math.max(rEnd, qc[j], top[j] - qc[j]);
        extent = Math.max(extent, Math.abs(u), top[j] + 1);
      }
      const slack = 1e-9 * (1 + extent);
      let size = 0;
      for (let R = rStart; R <= rEnd; R++) {
        // Rows not yet seen lie in cells at Chebyshev distance ≥ R, hence at least (R − 1)·s
        // away; stop once the k-th best is strictly nearer (equal could still tie on index).
        if (size === k && Math.sqrt(heapD[0]) < (R - 1 - slack) * s) break;
        // Along the last feature, a cell not yet on the ring's surface by the other features
        // is on it only at ±R: the ring costs its surface, not its volume.
        const aStep = ringStep(0, d, R, false), aTo = ringTo(0, d, qc[0], top[0], R);
        for (let a = ringFrom(0, d, qc[0], R, false); a <= aTo; a += aStep) {
          if (a < 0) continue;
          const ea = Math.abs(a - qc[0]) === R;
          const bStep = ringStep(1, d, R, ea), bTo = ringTo(1, d, qc[1], top[1], R);
          for (let b = ringFrom(1, d, qc[1], R, ea); b <= bTo; b += bStep) {
            if (b < 0) continue;
            const eb = ea || (d > 1 && Math.abs(b - qc[1]) === R);
            const base = a * st[0] + b * st[1];
            const cStep = ringStep(2, d, R, eb), cTo = ringTo(2, d, qc[2], top[2], R);
            for (let c = ringFrom(2, d, qc[2], R, eb); c <= cTo; c += cStep) {
              if (c < 0) continue;
              const cell = findCell(g, base + c * st[2]);
              if (cell < 0) continue;
              const pts = g.points, order = g.order;
              for (let p = g.start[cell]; p < g.start[cell + 1]; p++) {
                const o = p * d;
                let sum = 0;
                for (let j = 0; j < d; j++) {
                  const t = q[j] - pts[o + j];
                  sum += t * t;
                }
                // Most candidates lose to the current k-th: reject them before the call.
                if (size < k || sum <= heapD[0]) size = heapPush(heapD, heapI, 0, size, k, sum, order[p]);
              }
            }
          }
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
}

/**
 * The values of coordinate `j` to visit on ring R around `center`: ringFrom .. ringTo by
 * ringStep (values below 0 are skipped by the caller). A padded feature (j ≥ d) has the single
 * value 0; the last real feature takes only center ± R unless the cell is already on the ring
 * by an earlier feature.
 */
function restricted(j: number, d: number, R: number, onRing: boolean): boolean {
  return j === d - 1 && !onRing && R > 0;
}

function ringFrom(j: number, d: number, center: number, R: number, onRing: boolean): number {
  if (j >= d) return 0;
  return restricted(j, d, R, onRing) ? center - R : Math.max(0, center - R);
}

function ringTo(j: number, d: number, center: number, top: number, R: number): number {
  return j >= d ? 0 : Math.min(top, center + R);
}

function ringStep(j: number, d: number, R: number, onRing: boolean): number {
  return j < d && restricted(j, d, R, onRing) ? 2 * R : 1;
}
