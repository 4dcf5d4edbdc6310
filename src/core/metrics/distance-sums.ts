/**
 * The kernel behind the silhouette: for every sample i and every cluster c, the sum of the
 * Euclidean distances from i to the members of c, without ever holding an n × n matrix.
 *
 * Distances use scikit-learn's expanded form sqrt(max(‖x‖² − 2 x·y + ‖y‖², 0)). The dot products
 * are computed in 4 × 4 tiles over a packed copy of X in which every group of four rows is
 * interleaved feature by feature ("panels"), so one pass over the features yields sixteen dot
 * products. Two traversals:
 *
 * - `upper`: each unordered pair once (tiles with gb ≥ ga), adding d(i, j) to sums[i, label j] and
 *   to sums[j, label i]. Half the arithmetic; needs the full (n, k) sums table.
 * - `rows`: every ordered pair, adding only to sums[i, ·] for a block of rows i, like scikit-learn's
 *   chunked reduction. Twice the arithmetic but memory O(block · k), for very many clusters.
 *
 * Rows are finished block by block in both traversals (in `upper`, row i receives its last
 * contribution in the tiles of its own block), and handed to `visit` as soon as they are.
 *
 * Two engines run the same tiles in the same order and give bit-identical sums: a WebAssembly
 * SIMD kernel (f64x2 lanes hold two rows of a tile; lanes are plain IEEE operations, no fused
 * multiply-add) and a JavaScript kernel used where WebAssembly is unavailable.
 */
import type { Matrix } from '../math/matrix';
import { rowSquaredNorms } from '../math/matrix';
import type { ProgressHook } from '../base';
import { assembleModule, FunctionBuilder, i32, v128 } from '../math/wasm';

export type DistanceSumsEngine = 'auto' | 'wasm' | 'js';
export type DistanceSumsTraversal = 'upper' | 'rows';

export interface DistanceSumsOptions {
  engine?: DistanceSumsEngine;
  /** Default: `upper` while the (n, k) sums table stays under 64 MB, `rows` beyond. */
  traversal?: DistanceSumsTraversal;
  onProgress?: ProgressHook;
}

/**
 * Called once per finished block of rows `start..end`: the sums of row i are
 * `sums[(i − base) · k + c]` for c in 0..k−1. The buffer is reused after the call returns.
 */
export type DistanceSumsVisitor = (start: number, end: number, sums: Float64Array, base: number) => void;

/** Bytes of the upper traversal's sums table above which `rows` is used. */
const UPPER_TABLE_LIMIT = 64 * 1024 * 1024;
/** Largest wasm memory we ask for; beyond it the JS engine runs (on its own arrays). */
const WASM_MEMORY_LIMIT = 2 * 1024 * 1024 * 1024 - 65536;

/**
 * Per-cluster distance sums of every row of `X`. `codes` are cluster indices in 0..k−1,
 * shape (nSamples). Returns the engine that ran (for tests and benchmarks).
 */
export function distanceSumsByCluster(
  X: Matrix,
  codes: Int32Array,
  k: number,
  visit: DistanceSumsVisitor,
  opts: DistanceSumsOptions = {},
): 'wasm' | 'js' {
  const n = X.rows, d = X.cols;
  const groups = Math.ceil(n / 4);
  const nPad = groups * 4;
  const traversal = opts.traversal ?? (nPad * k * 8 <= UPPER_TABLE_LIMIT ? 'upper' : 'rows');
  // Blocks sized so that the A panels stay in L1 and the B panels of a sweep in L2.
  const groupBytes = 32 * d;
  const aGroups = clamp(Math.floor(32768 / groupBytes), 1, 16);
  const bGroups = clamp(Math.floor(262144 / groupBytes), 4, 256);
  const sumRows = traversal === 'upper' ? nPad : aGroups * 4;

  const layout = planLayout(groups * d * 4, nPad, sumRows * k);
  const wasm = opts.engine === 'js' ? null : layout.bytes <= WASM_MEMORY_LIMIT ? wasmKernel(traversal) : null;
  if (opts.engine === 'wasm' && !wasm) throw new Error('the WebAssembly SIMD kernel is not available here');

  let memory: WebAssembly.Memory | null = null;
  let buffer: ArrayBuffer;
  if (wasm) {
    memory = new WebAssembly.Memory({ initial: Math.ceil(layout.bytes / 65536) });
    buffer = memory.buffer;
  } else {
    buffer = new ArrayBuffer(layout.bytes);
  }
  const panels = new Float64Array(buffer, layout.panels, groups * d * 4);
  const norms = new Float64Array(buffer, layout.norms, nPad);
  const labels = new Int32Array(buffer, layout.labels, nPad);
  const sums = new Float64Array(buffer, layout.sums, sumRows * k);
  packPanels(X, panels);
  norms.set(rowSquaredNorms(X));
  labels.set(codes);

  const upper = traversal === 'upper';
  let run: (ga: number, gb0: number, gb1: number, sRow0: number) => void;
  if (wasm && memory) {
    const exports = new WebAssembly.Instance(wasm, { env: { memory } }).exports;
    const tiles = exports.tiles as (...args: number[]) => void;
    run = (ga, gb0, gb1, sRow0) =>
      tiles(layout.panels, layout.norms, layout.labels, layout.sums, d, k, n, ga, gb0, gb1, sRow0);
  } else {
    const ws: Workspace = { panels, norms, labels, sums, d, k, n, tile: new Float64Array(16) };
    run = (ga, gb0, gb1, sRow0) => jsTiles(ws, ga, gb0, gb1, sRow0, upper);
  }

  // Progress counts tile evaluations: the upper traversal does fewer for later blocks.
  const totalTiles = upper ? (groups * (groups + 1)) / 2 : groups * groups;
  let doneTiles = 0;
  for (let ga0 = 0; ga0 < groups; ga0 += aGroups) {
    const ga1 = Math.min(groups, ga0 + aGroups);
    const sRow0 = upper ? 0 : ga0 * 4;
    if (!upper) sums.fill(0);
    for (let gb0 = upper ? ga0 : 0; gb0 < groups; gb0 += bGroups) {
      const gb1 = Math.min(groups, gb0 + bGroups);
      for (let ga = ga0; ga < ga1; ga++) {
        const from = upper ? Math.max(gb0, ga) : gb0;
        if (from < gb1) {
          run(ga, from, gb1, sRow0);
          doneTiles += gb1 - from;
        }
      }
    }
    const start = ga0 * 4, end = Math.min(n, ga1 * 4);
    visit(start, end, sums, upper ? 0 : start);
    opts.onProgress?.(doneTiles / totalTiles);
  }
  return wasm ? 'wasm' : 'js';
}

/** Byte offsets of the four arrays in one buffer, each 16-byte aligned. */
function planLayout(panelValues: number, nPad: number, sumValues: number) {
  const align = (x: number) => Math.ceil(x / 16) * 16;
  const panels = 0;
  const norms = align(panels + panelValues * 8);
  const labels = align(norms + nPad * 8);
  const sums = align(labels + nPad * 4);
  return { panels, norms, labels, sums, bytes: Math.max(65536, align(sums + sumValues * 8)) };
}

/**
 * Packs X into panels: row 4g + r, feature f goes to panels[(g · d + f) · 4 + r]; padding rows
 * stay 0. `panels` needs ⌈rows / 4⌉ · 4 · cols values.
 */
export function packPanels(X: Matrix, panels: Float64Array): void {
  const { rows: n, cols: d, data } = X;
  for (let i = 0; i < n; i++) {
    const base = (i >> 2) * d * 4 + (i & 3);
    const o = i * d;
    for (let f = 0; f < d; f++) panels[base + f * 4] = data[o + f];
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

interface Workspace {
  panels: Float64Array;
  norms: Float64Array;
  labels: Int32Array;
  sums: Float64Array;
  d: number;
  k: number;
  n: number;
  /** The 16 dot products of the current tile, [c · 4 + r]. */
  tile: Float64Array;
}

/**
 * The JavaScript engine: tiles (ga, gb) for gb in gb0..gb1−1, exactly as the wasm kernel does
 * them (same accumulation order), so both engines agree to the bit.
 */
function jsTiles(ws: Workspace, ga: number, gb0: number, gb1: number, sRow0: number, upper: boolean): void {
  const { panels, norms: N, labels: L, sums: S, d, k, n, tile } = ws;
  const i0 = ga * 4;
  for (let gb = gb0; gb < gb1; gb++) {
    dotTile(panels, ga * d * 4, panels, gb * d * 4, d, tile);
    const j0 = gb * 4;
    for (let c = 0; c < 4; c++) {
      const j = j0 + c;
      if (j >= n) break;
      const nj = N[j], lj = L[j];
      for (let r = 0; r < 4; r++) {
        const i = i0 + r;
        if (upper ? i >= j : i === j || i >= n) continue;
        const v = N[i] - 2 * tile[c * 4 + r] + nj;
        const dist = Math.sqrt(v > 0 ? v : 0);
        S[(i - sRow0) * k + lj] += dist;
        if (upper) S[j * k + L[i]] += dist;
      }
    }
  }
}

/**
 * The 16 dot products between the four rows of the panel group at offset `pa` of `A` and the
 * four at offset `pb` of `B` (each summing over `d` features), written to tile[c · 4 + r] for row
 * r of the first group and row c of the second. Each product is summed in feature order.
 */
export function dotTile(A: Float64Array, pa: number, B: Float64Array, pb: number, d: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = pa + d * 4;
  for (; pa < end; pa += 4, pb += 4) {
    const b0 = B[pb], b1 = B[pb + 1], b2 = B[pb + 2], b3 = B[pb + 3];
    let a = A[pa];
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = A[pa + 1];
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = A[pa + 2];
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = A[pa + 3];
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
  }
  tile[0] = c00; tile[1] = c10; tile[2] = c20; tile[3] = c30;
  tile[4] = c01; tile[5] = c11; tile[6] = c21; tile[7] = c31;
  tile[8] = c02; tile[9] = c12; tile[10] = c22; tile[11] = c32;
  tile[12] = c03; tile[13] = c13; tile[14] = c23; tile[15] = c33;
}

const compiled = new Map<DistanceSumsTraversal, WebAssembly.Module | null>();

/**
 * The compiled kernel of a traversal, or null where WebAssembly (with SIMD) cannot run. Compiled
 * once each, as separate modules of under 4 KB: browsers refuse synchronous compilation of larger
 * ones on the main thread.
 */
function wasmKernel(traversal: DistanceSumsTraversal): WebAssembly.Module | null {
  const cached = compiled.get(traversal);
  if (cached !== undefined) return cached;
  let module: WebAssembly.Module | null = null;
  try {
    if (typeof WebAssembly === 'object') module = new WebAssembly.Module(kernelModuleBytes(traversal));
  } catch {
    module = null;
  }
  compiled.set(traversal, module);
  return module;
}

/** The module of a traversal's kernel: one exported function `tiles`, memory imported as `env.memory`. */
export function kernelModuleBytes(traversal: DistanceSumsTraversal): Uint8Array<ArrayBuffer> {
  return assembleModule({ minPages: 1, functions: [{ name: 'tiles', body: tileKernel(traversal === 'upper') }] });
}

/**
 * The wasm tile kernel: (panels, norms, labels, sums, d, k, n, ga, gb0, gb1, sRow0), the first
 * four being byte offsets in the imported memory. Lane h of accumulator acc[2c + h] holds the dot
 * product of A row 2h (lane 0) or 2h + 1 (lane 1) with B row c, as in the JS engine.
 */
function tileKernel(upper: boolean): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32]);
  const [pBase, nBase, lBase, sBase, d, k, n, ga, gb0, gb1, sRow0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [i0, aBase, aPtr, aEnd, bPtr, gb, j0, addr] = Array.from({ length: 8 }, () => f.local(i32));
  const ik = Array.from({ length: 4 }, () => f.local(i32));
  const li = Array.from({ length: 4 }, () => f.local(i32));
  const jk = Array.from({ length: 4 }, () => f.local(i32));
  const lj = Array.from({ length: 4 }, () => f.local(i32));
  const acc = Array.from({ length: 8 }, () => f.local(v128));
  const [a01, a23, b, ni01, ni23] = Array.from({ length: 5 }, () => f.local(v128));

  // Per A group: first row, panel address, labels, sums rows, norms.
  f.get(ga).i32Const(2).i32Shl().set(i0);
  f.get(pBase).get(ga).get(d).i32Mul().i32Const(5).i32Shl().i32Add().set(aBase);
  for (let r = 0; r < 4; r++) {
    f.get(lBase).get(i0).i32Const(2).i32Shl().i32Add().i32Load(r * 4).set(li[r]);
    f.get(i0).i32Const(r).i32Add().get(sRow0).i32Sub().get(k).i32Mul().set(ik[r]);
  }
  f.get(nBase).get(i0).i32Const(3).i32Shl().i32Add().tee(addr).v128Load(0).set(ni01);
  f.get(addr).v128Load(16).set(ni23);

  f.get(gb0).set(gb);
  f.block().loop();
  f.get(gb).get(gb1).i32GeU().brIf(1);
  for (const a of acc) f.v128Zero().set(a);
  f.get(aBase).set(aPtr);
  f.get(aBase).get(d).i32Const(5).i32Shl().i32Add().set(aEnd);
  f.get(pBase).get(gb).get(d).i32Mul().i32Const(5).i32Shl().i32Add().set(bPtr);
  // The dot products: per feature, two A lane pairs times four broadcast B values.
  f.loop();
  f.get(aPtr).v128Load(0).set(a01);
  f.get(aPtr).v128Load(16).set(a23);
  for (let c = 0; c < 4; c++) {
    f.get(bPtr).v128Load64Splat(c * 8).set(b);
    f.get(acc[2 * c]).get(a01).get(b).f64x2Mul().f64x2Add().set(acc[2 * c]);
    f.get(acc[2 * c + 1]).get(a23).get(b).f64x2Mul().f64x2Add().set(acc[2 * c + 1]);
  }
  f.get(aPtr).i32Const(32).i32Add().set(aPtr);
  f.get(bPtr).i32Const(32).i32Add().set(bPtr);
  f.get(aPtr).get(aEnd).i32LtU().brIf(0);
  f.end();

  // Distances in place: sqrt(max((‖a‖² − 2 a·b) + ‖b‖², 0)).
  f.get(gb).i32Const(2).i32Shl().set(j0);
  for (let c = 0; c < 4; c++) {
    f.get(nBase).get(j0).i32Const(3).i32Shl().i32Add().v128Load64Splat(c * 8).set(b);
    for (let h = 0; h < 2; h++) {
      const a = acc[2 * c + h];
      f.get(h === 0 ? ni01 : ni23).get(a).get(a).f64x2Add().f64x2Sub().get(b).f64x2Add();
      f.v128Zero().f64x2Max().f64x2Sqrt().set(a);
    }
    f.get(lBase).get(j0).i32Const(2).i32Shl().i32Add().i32Load(c * 4).set(lj[c]);
    f.get(j0).i32Const(c).i32Add().get(k).i32Mul().set(jk[c]);
  }

  const scatter = (guarded: boolean): void => {
    for (let c = 0; c < 4; c++) {
      for (let r = 0; r < 4; r++) {
        if (guarded) {
          // upper: i < j < n; rows: i ≠ j, j < n, i < n.
          f.get(j0).i32Const(c).i32Add().get(n).i32LtU();
          if (upper) {
            f.get(i0).i32Const(r).i32Add().get(j0).i32Const(c).i32Add().i32LtU().i32And();
          } else {
            f.get(i0).i32Const(r).i32Add().get(j0).i32Const(c).i32Add().i32Ne().i32And();
            f.get(i0).i32Const(r).i32Add().get(n).i32LtU().i32And();
          }
          f.if();
        }
        const dist = (): void => {
          f.get(acc[2 * c + (r >> 1)]).f64x2ExtractLane((r & 1) as 0 | 1);
        };
        f.get(sBase).get(ik[r]).get(lj[c]).i32Add().i32Const(3).i32Shl().i32Add().tee(addr);
        f.get(addr).f64Load();
        dist();
        f.f64Add().f64Store();
        if (upper) {
          f.get(sBase).get(jk[c]).get(li[r]).i32Add().i32Const(3).i32Shl().i32Add().tee(addr);
          f.get(addr).f64Load();
          dist();
          f.f64Add().f64Store();
        }
        if (guarded) f.end();
      }
    }
  };
  // Interior tiles need no per-pair test; diagonal and last tiles do.
  f.get(j0).i32Const(4).i32Add().get(n).i32LeU();
  if (upper) {
    f.get(gb).get(ga).i32GtU().i32And();
  } else {
    f.get(gb).get(ga).i32Ne().i32And();
    f.get(i0).i32Const(4).i32Add().get(n).i32LeU().i32And();
  }
  f.if();
  scatter(false);
  f.else();
  scatter(true);
  f.end();

  f.get(gb).i32Const(1).i32Add().set(gb);
  f.br(0);
  f.end().end();
  return f;
}
