/**
 * The hot loops of k-means (scikit-learn keeps these in `_k_means_lloyd.pyx` and
 * `_k_means_common.pyx`; Elkan's are in elkan.ts): plain functions over preallocated typed
 * arrays, no allocation per point or per iteration. Rows are processed in blocks copied into a
 * centered float64 buffer; where WebAssembly SIMD runs, that buffer lives in the module's memory
 * and the dot products, centering and per-cluster sums run there (wasm-dots.ts), with results
 * bit-identical to the JavaScript engine. A fit (KMeans) first makes X resident in the module's
 * memory, centered once (`makeResidentRows`), and the passes read the rows there in place; for
 * float32 data the resident rows are float32 and Lloyd's dots run in f32x4 lanes, as scikit-learn
 * runs float32 data through sgemm (the JavaScript fallback keeps float64 dots). At d = 2 the
 * assignment takes direct differences, in a branchless SIMD kernel over a planar copy of X
 * (wasm-planar.ts) where it runs, else in the JavaScript loop; both give the same bits.
 *
 * Conventions: `centers` are float64 (k, d) in the data's coordinates; `sums` accumulate
 * (x − origin) per cluster, in float64 whatever the data's type, so that the new center is
 * sum / count + origin (scikit-learn centers the data on its mean first; we center on the fly).
 */
import { blockRows, centerRows, dotBlock } from '../../math/distance';
import type { FloatArray, Matrix } from '../../math/matrix';
import { dotsModule } from './wasm-dots';
import { makePlanar2, planarModule, type Planar2 } from './wasm-planar';

/**
 * Feature counts up to which the assignment sums direct differences. Measured (50,000 points,
 * k = 8, CPU time): direct is faster only at d = 2 (unrolled, 3.6 vs 4.9 ms); from d = 3 the
 * centered blocked kernel wins (d = 4: 5.9 vs 8.6 ms; d = 16: 9.8 vs 16.7 ms). scikit-learn uses
 * the expanded form at every d, so labels agree with it either way.
 */
export const ASSIGN_DIRECT_MAX_DIM = 2;

/** Which kernel computes the assignment's dot products: WebAssembly SIMD where it runs, else JavaScript. */
export type DotsEngine = 'auto' | 'wasm' | 'js';

/** The WebAssembly side of a work: kernels bound to its memory, and the arrays they read or fill. */
interface WasmKernels {
  /** Subtracts the origin from the first `nb` rows of `buf`. */
  center: (nb: number) => void;
  /** Adds `nb` rows of `buf` from element offset `at` to `sums` rows by `labels`. */
  accumulate: (nb: number, at: number) => void;
  /** The same for rows loaded without centering: adds row − origin. */
  accumulateCentered: (nb: number, at: number) => void;
  labels: Int32Array;
  /** (k, rowStride) per-cluster sums of centered rows. */
  sums: Float64Array;
}

/** Buffers for one Lloyd assignment pass, sized once per fit. */
export interface LloydWork {
  /** The point rows and centers are centered on (nFeatures); may be updated in place between passes. */
  readonly origin: Float64Array;
  /** Whether the blocked expanded kernel is used (d > ASSIGN_DIRECT_MAX_DIM). */
  readonly expanded: boolean;
  /**
   * 'wasm': `buf` (row-major, rows padded to an even length) and `cc` (panels of four centers
   * interleaved by feature, see wasm-dots.ts) live in the module's memory; 'js': row-major arrays.
   */
  readonly engine: 'wasm' | 'js';
  /**
   * Centered centers and their squared norms (k). With float32 resident rows (`f32`) the dots
   * are float32 and the centers are packed as float32 panels of eight (`cc` is then unused).
   */
  readonly cc: Float64Array;
  readonly cc32: Float32Array | null;
  readonly cn: Float64Array;
  readonly f32: boolean;
  /**
   * Centered rows (rowStride values each) and the squared norms (B) of the loaded block; their
   * dots with the centers (B, dotsStride). With resident rows `buf` is all of X, and a block is
   * read where it lies, from element `at`.
   */
  readonly buf: Float64Array;
  readonly rowStride: number;
  readonly xn: Float64Array;
  readonly dots: Float64Array | Float32Array;
  readonly dotsStride: number;
  readonly blockRows: number;
  /** Element offset in `buf` of the loaded block's first row (0 unless the rows are resident). */
  at: number;
  /** The whole of X centered in the module's memory, when the fit made it so (see `makeResidentRows`). */
  readonly resident: ResidentRows | null;
  /** Fills `dots` for the `nb` rows of `buf` from element offset `at`. */
  readonly computeDots: (nb: number, at: number) => void;
  readonly wasm: WasmKernels | null;
  /**
   * d = 2: the rows of the matrix the work was made for, planar in a WebAssembly memory, for the
   * branchless SIMD assignment (wasm-planar.ts); passes over any other matrix run in JavaScript.
   */
  readonly planar: Planar2 | null;
}

/**
 * X centered on its origin as float64 rows in a WebAssembly memory, made once per fit and read
 * in place by every pass (Lloyd's dots and sums, k-means++'s distances, Elkan's bounds): the
 * per-pass copy and centering of every block was a third of the time of a pass at 784 features.
 * scikit-learn also centers a copy of X once. The memory ends with an arena in which the works
 * of the fit lay out their buffers, one work at a time.
 */
export interface ResidentRows {
  readonly rows: number;
  readonly cols: number;
  /** Features rounded up to an even count (the pad is 0). */
  readonly rowStride: number;
  /**
   * 'f32' for float32 data: the rows are kept (centered, rounded to float32) as float32, and
   * Lloyd's dots run in float32 as scikit-learn's do for float32 data; sums stay float64.
   * Elkan and k-means++ (float64 distances) do not use float32 resident rows.
   */
  readonly precision: 'f64' | 'f32';
  /** (rows rounded up to a multiple of 4, rowStride): the kernels read rows four at a time. */
  readonly data: Float64Array;
  readonly data32: Float32Array;
  /** Squared norms of the centered rows, (rows). */
  readonly norms: Float64Array;
  readonly origin: Float64Array;
  readonly memory: WebAssembly.Memory;
  readonly exports: Record<string, (...args: number[]) => void>;
  /** Byte offset and size of the arena. */
  readonly arena: number;
  readonly arenaBytes: number;
}

/** Largest resident copy: beyond it the passes copy blocks as before (wasm32 memory is 4 GiB at most). */
export const RESIDENT_MAX_BYTES = 2 ** 31 - 2 ** 26;

/**
 * Byte sizes of a work's wasm buffers for `m` centers, 16-byte aligned, in layout order: block
 * rows, center panels (32 bytes per feature: four float64 or eight float32 centers), dots,
 * origin, labels, sums.
 */
function wasmLayout(d: number, m: number, withBlock: boolean, f32 = false): { sizes: number[]; total: number; B: number; stride: number; cGroups: number } {
  const dp = d + (d & 1), lanes = f32 ? 8 : 4;
  const aGroups = Math.ceil(blockRows(d) / 4), cGroups = Math.ceil(m / lanes);
  const B = 4 * aGroups, stride = lanes * cGroups;
  const sizes = [withBlock ? B * dp * 8 : 0, cGroups * dp * 32, B * stride * (f32 ? 4 : 8), dp * 8, B * 4, m * dp * 8];
  let total = 0;
  for (const size of sizes) total += Math.ceil(size / 16) * 16;
  return { sizes, total, B, stride, cGroups };
}

/**
 * The resident copy of `X` for a fit whose works need at most `maxCenters` centers, or null
 * where the wasm engine does not run, the kernel is not the blocked one (d ≤ 2) or X is too large.
 */
export function makeResidentRows(X: Matrix, origin: Float64Array, maxCenters: number): ResidentRows | null {
  const n = X.rows, d = X.cols;
  if (d <= ASSIGN_DIRECT_MAX_DIM) return null;
  const module = dotsModule();
  if (!module) return null;
  const f32 = X.data instanceof Float32Array;
  const dp = d + (d & 1), nPad = Math.ceil(n / 4) * 4;
  const rowsBytes = Math.ceil((nPad * dp * (f32 ? 4 : 8)) / 16) * 16;
  const m = Math.max(1, maxCenters);
  const arenaBytes = Math.max(wasmLayout(d, m, false).total, wasmLayout(d, m, false, true).total);
  const total = rowsBytes + arenaBytes;
  if (total > RESIDENT_MAX_BYTES) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536) });
  } catch {
    return null; // no room for it here: the block-copying passes need far less
  }
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
  const data = f32 ? new Float64Array(0) : new Float64Array(memory.buffer, 0, nPad * dp);
  const data32 = f32 ? new Float32Array(memory.buffer, 0, nPad * dp) : new Float32Array(0);
  const rows: Float64Array | Float32Array = f32 ? data32 : data;
  const norms = new Float64Array(n);
  const src = X.data;
  for (let i = 0; i < n; i++) {
    const a = i * d, b = i * dp;
    let s = 0;
    for (let t = 0; t < d; t++) {
      rows[b + t] = src[a + t] - origin[t];
      // The norm of the row as stored (rounded to float32 for float32 rows).
      const v = rows[b + t];
      s += v * v;
    }
    norms[i] = s;
  }
  return { rows: n, cols: d, rowStride: dp, precision: f32 ? 'f32' : 'f64', data, data32, norms, origin, memory, exports, arena: rowsBytes, arenaBytes };
}

/** The resident rows if they are float64 (what Elkan and k-means++ can read), else null. */
export function float64Rows(resident: ResidentRows | null): ResidentRows | null {
  return resident && resident.precision === 'f64' ? resident : null;
}

/**
 * @param blocks whether to allocate the block buffers and use the expanded kernel; by default
 *   only above ASSIGN_DIRECT_MAX_DIM (Elkan asks for blocks at every d, for its centered rows).
 * @param resident the fit's resident rows (for the wasm engine): passes read X there in place.
 * @param rows for d = 2, the matrix the passes will label: copied once, planar, into a
 *   WebAssembly memory for the SIMD assignment (where it runs and the engine is not 'js').
 */
export function makeLloydWork(
  d: number,
  k: number,
  origin: Float64Array,
  engine: DotsEngine = 'auto',
  blocks = d > ASSIGN_DIRECT_MAX_DIM,
  resident: ResidentRows | null = null,
  rows: Matrix | null = null,
): LloydWork {
  const expanded = blocks;
  if (!expanded) {
    const none = new Float64Array(0);
    const planarWanted = d === 2 && rows !== null && rows.cols === 2 && engine !== 'js';
    if (planarWanted && engine === 'wasm' && !planarModule()) throw new Error('the WebAssembly SIMD kernel is not available here');
    return {
      origin,
      expanded,
      engine: 'js',
      cc: none,
      cc32: null,
      f32: false,
      cn: none,
      buf: none,
      rowStride: d,
      xn: none,
      dots: none,
      dotsStride: 0,
      blockRows: 0,
      at: 0,
      resident: null,
      computeDots: () => {},
      wasm: null,
      planar: planarWanted ? makePlanar2(rows!, k) : null,
    };
  }
  const module = engine === 'js' ? null : dotsModule();
  if (engine === 'wasm' && !module) throw new Error('the WebAssembly SIMD kernel is not available here');
  if (module) {
    // Rows padded to an even length so that every v128 holds two features; the pad stays 0.
    const dp = d + (d & 1);
    const f32 = resident !== null && resident.precision === 'f32';
    const useResident = resident !== null && resident.cols === d && wasmLayout(d, k, false, f32).total <= resident.arenaBytes;
    if (f32 && !useResident) throw new Error('float32 resident rows need their own arena');
    const { sizes, B, stride, cGroups, total } = wasmLayout(d, k, !useResident, f32);
    const offsets: number[] = [];
    let next = useResident ? resident!.arena : 0;
    for (const size of sizes) {
      offsets.push(next);
      next += Math.ceil(size / 16) * 16;
    }
    const [aOff, cOff, oOff, gOff, lOff, sOff] = offsets;
    let memory: WebAssembly.Memory, ex: Record<string, (...args: number[]) => void>;
    if (useResident) {
      memory = resident!.memory;
      ex = resident!.exports;
    } else {
      memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536) });
      ex = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
    }
    const mem = memory.buffer;
    // The origin lives in the module's memory, so that whoever moves it (MiniBatchKMeans
    // re-centers on every step) moves it for both engines' halves at once.
    const originView = new Float64Array(mem, gOff, d);
    originView.set(origin);
    const buf = useResident ? resident!.data : new Float64Array(mem, aOff, B * dp);
    const base = useResident ? 0 : aOff;
    return {
      origin: originView,
      expanded,
      engine: 'wasm',
      buf,
      rowStride: dp,
      cc: f32 ? new Float64Array(0) : new Float64Array(mem, cOff, cGroups * dp * 4),
      cc32: f32 ? new Float32Array(mem, cOff, cGroups * dp * 8) : null,
      f32,
      dots: f32 ? new Float32Array(mem, oOff, B * stride) : new Float64Array(mem, oOff, B * stride),
      cn: new Float64Array(k),
      xn: new Float64Array(B),
      dotsStride: stride,
      blockRows: B,
      at: 0,
      resident: useResident ? resident : null,
      computeDots: f32
        ? (nb, at) => ex.dots32(at * 4, cOff, oOff, dp, Math.ceil(nb / 4), cGroups)
        : (nb, at) => ex.dots(base + at * 8, cOff, oOff, dp, Math.ceil(nb / 4), cGroups),
      wasm: {
        center: (nb) => ex.center(aOff, gOff, nb, dp),
        accumulate: f32 ? (nb, at) => ex.accumulate32(at * 4, lOff, sOff, nb, dp) : (nb, at) => ex.accumulate(base + at * 8, lOff, sOff, nb, dp),
        accumulateCentered: (nb, at) => ex.accumulateCentered(base + at * 8, lOff, sOff, nb, dp, gOff),
        labels: new Int32Array(mem, lOff, B),
        sums: new Float64Array(mem, sOff, k * dp),
      },
      planar: null,
    };
  }
  const B = blockRows(d);
  const buf = new Float64Array(B * d), cc = new Float64Array(k * d), dots = new Float64Array(B * k);
  return {
    origin,
    expanded,
    engine: 'js',
    cc,
    cc32: null,
    f32: false,
    cn: new Float64Array(k),
    buf,
    rowStride: d,
    xn: new Float64Array(B),
    dots,
    dotsStride: k,
    blockRows: B,
    at: 0,
    resident: null,
    computeDots: (nb) => dotBlock(buf, nb, cc, k, d, dots),
    wasm: null,
    planar: null,
  };
}

/**
 * One Lloyd E-step (and, with `sums`/`counts`, the accumulation of the M-step): labels every row
 * of `X` with its nearest center (the first one on ties, as scikit-learn), writing into `labels`.
 * Returns the number of labels that changed. `dist` (n), when given, receives each row's squared
 * distance to its center (the sum is the inertia against `centers`).
 */
export function assignLloyd(
  X: Matrix,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  w: LloydWork,
  sums: Float64Array | null,
  counts: Float64Array | null,
  dist: Float64Array | null,
): number {
  if (counts) counts.fill(0);
  if (sums && !w.expanded) sums.fill(0);
  return w.expanded
    ? assignExpanded(X, centers, k, labels, w, sums, counts, dist)
    : w.planar && w.planar.source === X && k >= 1
      ? assignPlanar(X, centers, k, labels, w.planar, w.origin, sums, counts, dist)
      : assignDirect(X, centers, k, labels, w.origin, sums, counts, dist);
}

/**
 * `assignDirect` at d = 2 with the nearest centers found by the SIMD kernel (the same labels and
 * distances), and the sums in the kernel's memory, in row order as there.
 */
function assignPlanar(
  X: Matrix,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  planar: Planar2,
  origin: Float64Array,
  sums: Float64Array | null,
  counts: Float64Array | null,
  dist: Float64Array | null,
): number {
  const n = X.rows;
  planar.assign(centers, k, dist !== null);
  const found = planar.labels;
  if (dist) dist.set(planar.dist.subarray(0, n));
  if (sums && counts) planar.accumulate(origin, k, sums, counts);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const bj = found[i];
    changed += labels[i] !== bj ? 1 : 0;
    labels[i] = bj;
  }
  return changed;
}

function assignDirect(
  X: Matrix,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  origin: Float64Array,
  sums: Float64Array | null,
  counts: Float64Array | null,
  dist: Float64Array | null,
): number {
  const n = X.rows, d = X.cols, data = X.data;
  let changed = 0;
  if (d === 2) {
    // The common 2-D case (every scatter-plot dataset) unrolled: about twice as fast.
    const o0 = origin[0], o1 = origin[1];
    for (let i = 0; i < n; i++) {
      const x0 = data[2 * i], x1 = data[2 * i + 1];
      let best = Infinity, bj = 0;
      for (let j = 0; j < k; j++) {
        const a = x0 - centers[2 * j], b = x1 - centers[2 * j + 1];
        const s = a * a + b * b;
        if (s < best) {
          best = s;
          bj = j;
        }
      }
      if (labels[i] !== bj) {
        labels[i] = bj;
        changed++;
      }
      if (dist) dist[i] = best;
      if (sums && counts) {
        counts[bj] += 1;
        sums[2 * bj] += x0 - o0;
        sums[2 * bj + 1] += x1 - o1;
      }
    }
    return changed;
  }
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    let best = Infinity, bj = 0;
    for (let j = 0; j < k; j++) {
      const cj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = data[xi + t] - centers[cj + t];
        s += v * v;
      }
      if (s < best) {
        best = s;
        bj = j;
      }
    }
    if (labels[i] !== bj) {
      labels[i] = bj;
      changed++;
    }
    if (dist) dist[i] = best;
    if (sums && counts) {
      counts[bj] += 1;
      const sj = bj * d;
      for (let t = 0; t < d; t++) sums[sj + t] += data[xi + t] - origin[t];
    }
  }
  return changed;
}

function assignExpanded(
  X: Matrix,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  w: LloydWork,
  sums: Float64Array | null,
  counts: Float64Array | null,
  dist: Float64Array | null,
): number {
  const n = X.rows, d = X.cols;
  const { cn, xn, dots, dotsStride } = w;
  loadCenters(w, centers, k, d);
  if (sums) beginSums(w, sums);
  let changed = 0;
  for (let start = 0; start < n; start += w.blockRows) {
    const nb = loadBlock(X, start, w, dist !== null);
    for (let i = 0; i < nb; i++) {
      // argmin over ‖c‖² − 2x·c: ‖x‖² is the same for every center.
      const r = i * dotsStride;
      let best = cn[0] - 2 * dots[r], bj = 0;
      for (let j = 1; j < k; j++) {
        const v = cn[j] - 2 * dots[r + j];
        if (v < best) {
          best = v;
          bj = j;
        }
      }
      const row = start + i;
      if (labels[row] !== bj) {
        labels[row] = bj;
        changed++;
      }
      if (dist) {
        const s = xn[i] + best;
        dist[row] = s > 0 ? s : 0;
      }
      if (sums && counts) {
        counts[bj] += 1;
        addRow(w, i, bj, sums, d);
      }
    }
    if (sums) endBlockSums(w, nb);
  }
  if (sums) endSums(w, sums, k, d);
  return changed;
}

/** Centers (m, d) into the work: centered on its origin, in panels for the wasm engine, with squared norms. */
function loadCenters(w: LloydWork, centers: Float64Array, m: number, d: number): void {
  const { origin, cc, cn, rowStride } = w;
  if (w.cc32) {
    // Panels of eight float32 centers: center j at feature t sits at ((j >> 3)·stride + t)·8 + (j & 7).
    const cc32 = w.cc32;
    for (let j = 0; j < m; j++) {
      const base = (j >> 3) * rowStride * 8 + (j & 7);
      let s = 0;
      for (let t = 0; t < d; t++) {
        cc32[base + t * 8] = centers[j * d + t] - origin[t];
        const v = cc32[base + t * 8];
        s += v * v;
      }
      cn[j] = s;
    }
    return;
  }
  const packed = w.engine === 'wasm';
  for (let j = 0; j < m; j++) {
    // Panel layout: center j at feature t sits at ((j >> 2)·stride + t)·4 + (j & 3).
    const base = packed ? (j >> 2) * rowStride * 4 + (j & 3) : j * d, step = packed ? 4 : 1;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = centers[j * d + t] - origin[t];
      cc[base + t * step] = v;
      s += v * v;
    }
    cn[j] = s;
  }
}

/**
 * The rows of the block starting at `start` into `buf`, centered on the work's origin unless
 * `center` is false (with their squared norms when `norms`); returns the row count and sets
 * `w.at` to where the block starts in `buf`. Resident rows are not copied: the block is where
 * it lies (always centered). The wasm engine copies with `set` (a native copy, float32
 * converted on the way) and centers in SIMD.
 */
export function loadRows(X: Matrix, start: number, w: LloydWork, norms: boolean, center = true): number {
  const nb = Math.min(w.blockRows, X.rows - start);
  const d = X.cols, buf = w.buf;
  if (w.resident) {
    w.at = start * w.rowStride;
    if (norms) w.xn.set(w.resident.norms.subarray(start, start + nb));
    return nb;
  }
  w.at = 0;
  if (w.wasm || !center) {
    if (w.rowStride === d) buf.set(X.data.subarray(start * d, (start + nb) * d));
    else for (let i = 0; i < nb; i++) buf.set(X.data.subarray((start + i) * d, (start + i + 1) * d), i * w.rowStride);
    if (center) w.wasm!.center(nb);
    if (norms) {
      for (let i = 0; i < nb; i++) {
        const o = i * w.rowStride;
        let s = 0;
        for (let t = 0; t < d; t++) s += buf[o + t] * buf[o + t];
        w.xn[i] = s;
      }
    }
  } else {
    centerRows(X, start, nb, w.origin, buf, w.xn);
  }
  return nb;
}

/** `loadRows`, then the block's dots with the loaded centers. */
function loadBlock(X: Matrix, start: number, w: LloydWork, norms: boolean): number {
  const nb = loadRows(X, start, w, norms);
  w.computeDots(nb, w.at);
  return nb;
}

/** Starts per-cluster sums of centered rows: in wasm memory for the wasm engine, else in `sums`. */
export function beginSums(w: LloydWork, sums: Float64Array): void {
  if (w.wasm) w.wasm.sums.fill(0);
  else sums.fill(0);
}

/**
 * Adds row `i` of the loaded block to cluster `label`, minus the origin when the rows were
 * loaded uncentered (`centered` false). The wasm engine only records the label here.
 */
export function addRow(w: LloydWork, i: number, label: number, sums: Float64Array, d: number, centered = true): void {
  if (w.wasm) {
    w.wasm.labels[i] = label;
    return;
  }
  const sj = label * d, bi = w.at + i * w.rowStride, buf = w.buf;
  if (centered) {
    for (let t = 0; t < d; t++) sums[sj + t] += buf[bi + t];
  } else {
    const origin = w.origin;
    for (let t = 0; t < d; t++) sums[sj + t] += buf[bi + t] - origin[t];
  }
}

/** Ends a block of `addRow` calls (the wasm engine sums the `nb` rows now). */
export function endBlockSums(w: LloydWork, nb: number, centered = true): void {
  if (!w.wasm) return;
  if (centered) w.wasm.accumulate(nb, w.at);
  else w.wasm.accumulateCentered(nb, w.at);
}

/** Ends the sums: copies the wasm engine's (k, rowStride) sums into `sums` (k, d). */
export function endSums(w: LloydWork, sums: Float64Array, k: number, d: number): void {
  if (!w.wasm) return;
  for (let j = 0; j < k; j++) sums.set(w.wasm.sums.subarray(j * w.rowStride, j * w.rowStride + d), j * d);
}

/**
 * Squared distances from every row of `X` (n, d) to the `m` points `P` ((m, d) row-major), into
 * `out` (n, m): the centered expanded kernel clamped at 0 (direct differences for d ≤ 2). `w`
 * must have been made for at least `m` centers. k-means++ uses it for its candidate centers.
 */
export function sqDistToPoints(X: Matrix, P: Float64Array, m: number, w: LloydWork, out: Float64Array): void {
  const n = X.rows, d = X.cols, data = X.data;
  if (!w.expanded && d === 2) {
    // 2-D (k-means++ on every scatter dataset) unrolled: rowCenterSqDist's sum for d = 2 is
    // 0 + a·a + b·b, the same value as a·a + b·b, without a call and a loop per pair.
    for (let i = 0; i < n; i++) {
      const x0 = data[2 * i], x1 = data[2 * i + 1], o = i * m;
      for (let j = 0; j < m; j++) {
        const a = x0 - P[2 * j], b = x1 - P[2 * j + 1];
        out[o + j] = a * a + b * b;
      }
    }
    return;
  }
  if (!w.expanded) {
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = rowCenterSqDist(data, i, P, j, d);
    return;
  }
  loadCenters(w, P, m, d);
  const { cn, xn, dots, dotsStride } = w;
  for (let start = 0; start < n; start += w.blockRows) {
    const nb = loadBlock(X, start, w, true);
    for (let i = 0; i < nb; i++) {
      const r = i * dotsStride, o = (start + i) * m;
      for (let j = 0; j < m; j++) {
        const v = xn[i] - 2 * dots[r + j] + cn[j];
        out[o + j] = v > 0 ? v : 0;
      }
    }
  }
}

/**
 * Squared distance from row `i` of `data` to center `j` (direct differences, float64), summed
 * four terms at a time in scikit-learn's order (`_euclidean_dense_dense`): the same rounding as
 * its inertia, and four independent products per step instead of one long chain of additions.
 */
export function rowCenterSqDist(data: FloatArray, i: number, centers: Float64Array, j: number, d: number): number {
  let a = i * d, b = j * d;
  let s = 0;
  const end = a + (d & ~3);
  for (; a < end; a += 4, b += 4) {
    const v0 = data[a] - centers[b], v1 = data[a + 1] - centers[b + 1];
    const v2 = data[a + 2] - centers[b + 2], v3 = data[a + 3] - centers[b + 3];
    s += v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3;
  }
  for (let r = d & 3; r > 0; r--, a++, b++) {
    const v = data[a] - centers[b];
    s += v * v;
  }
  return s;
}

/** Sum of squared distances of each row to its labelled center (scikit-learn's `_inertia_dense`). */
export function inertiaOf(X: Matrix, centers: Float64Array, labels: Int32Array): number {
  const n = X.rows, d = X.cols, data = X.data;
  let s = 0;
  for (let i = 0; i < n; i++) s += rowCenterSqDist(data, i, centers, labels[i], d);
  return s;
}

/**
 * Gives every empty cluster the point farthest from its own center, taking it out of its old
 * cluster (scikit-learn's `_relocate_empty_clusters_dense`). Labels are left as they are, as in
 * scikit-learn: the next assignment settles them. Nothing moves when all points sit on their
 * centers (more clusters than distinct points).
 */
export function relocateEmptyClusters(
  X: Matrix,
  centersOld: Float64Array,
  k: number,
  labels: Int32Array,
  origin: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  let nEmpty = 0;
  for (let j = 0; j < k; j++) if (counts[j] === 0) nEmpty++;
  if (nEmpty === 0) return;
  const n = X.rows, d = X.cols, data = X.data;
  const dist = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    dist[i] = rowCenterSqDist(data, i, centersOld, labels[i], d);
    if (dist[i] > max) max = dist[i];
  }
  if (max === 0) return;
  const far = farthest(dist, Math.min(nEmpty, n));
  let idx = 0;
  for (let j = 0; j < k && idx < far.length; j++) {
    if (counts[j] !== 0) continue;
    const p = far[idx++], old = labels[p];
    const sj = j * d, so = old * d, xp = p * d;
    for (let t = 0; t < d; t++) {
      const v = data[xp + t] - origin[t];
      sums[so + t] -= v;
      sums[sj + t] = v;
    }
    counts[j] = 1;
    counts[old] -= 1;
  }
}

/** Indices of the `m` largest values, largest first (ties: lower index first). */
function farthest(dist: Float64Array, m: number): Int32Array {
  if (m <= 16) {
    const out = new Int32Array(m);
    const taken = new Uint8Array(dist.length);
    for (let r = 0; r < m; r++) {
      let best = -1, bi = 0;
      for (let i = 0; i < dist.length; i++) {
        if (!taken[i] && dist[i] > best) {
          best = dist[i];
          bi = i;
        }
      }
      taken[bi] = 1;
      out[r] = bi;
    }
    return out;
  }
  const order = new Int32Array(dist.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => dist[b] - dist[a] || a - b);
  return order.slice(0, m);
}

/**
 * The M-step's end: new centers = sums / counts + origin, written to `centersNew`; an empty
 * cluster that could not be relocated sits at the origin (the data mean), as in scikit-learn.
 * Writes each center's shift to `shift` and returns the sum of squared shifts, the quantity
 * scikit-learn compares with the tolerance.
 */
export function finishCenters(
  sums: Float64Array,
  counts: Float64Array,
  origin: Float64Array,
  centersOld: Float64Array,
  centersNew: Float64Array,
  k: number,
  d: number,
  shift: Float64Array,
): number {
  let total = 0;
  for (let j = 0; j < k; j++) {
    // Multiply by the reciprocal, as scikit-learn's `_average_centers` does.
    const alpha = counts[j] > 0 ? 1 / counts[j] : 1;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const q = j * d + t;
      const c = sums[q] * alpha + origin[t];
      centersNew[q] = c;
      const v = c - centersOld[q];
      s += v * v;
    }
    shift[j] = Math.sqrt(s);
    total += shift[j] * shift[j];
  }
  return total;
}
