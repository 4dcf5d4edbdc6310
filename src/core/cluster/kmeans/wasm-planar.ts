/**
 * The 2-D Lloyd assignment as a branchless WebAssembly SIMD kernel. The JavaScript loop
 * (`assignDirect`) is bound by branch mispredictions when the points come in no particular
 * order (every `s < best` is a coin toss); here the points sit in planar layout (xs[], ys[],
 * float64) and each f64x2 holds two points, so a center is a splat and the running minimum a
 * compare and two bit-selects. Each lane computes (x − cx)² + (y − cy)² with a separate multiply
 * and add in the JavaScript order, and keeps the first center on ties (strict <): labels and
 * distances are bit-identical to the JavaScript loop.
 */
import type { Matrix } from '../../math/matrix';
import { assembleModule, f64, FunctionBuilder, i32, v128 } from '../../math/wasm';

/** Points per kernel step: two f64x2 pairs, two independent dependency chains. */
const STEP = 4;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly with SIMD cannot run. Compiled once. */
export function planarModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = assembleModule({
      minPages: 1,
      functions: [
        { name: 'assign2', body: assign2Kernel(STEP / 2) },
        { name: 'accumulate2', body: accumulate2Kernel() },
      ],
    });
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** X (n, 2) copied into a module's memory as xs[] and ys[], with the buffers of the kernel. */
export interface Planar2 {
  /** The matrix the points were copied from: the kernel serves passes over it only. */
  readonly source: Matrix;
  /** Labels (nPad) the kernel writes; the first n are the points'. */
  readonly labels: Int32Array;
  /** Squared distance of each point to its nearest center (nPad), when asked for. */
  readonly dist: Float64Array;
  /** Labels every point with its nearest of the `k` centers ((k, 2) row-major, float64). */
  readonly assign: (centers: Float64Array, k: number, withDist: boolean) => void;
  /**
   * The M-step's sums after `assign`: per cluster, the points minus `origin` in row order into
   * `sums` (k, 2) and the point counts into `counts` (k), both overwritten.
   */
  readonly accumulate: (origin: Float64Array, k: number, sums: Float64Array, counts: Float64Array) => void;
}

/** Largest memory the planar copy may take (wasm32 memory is 4 GiB at most). */
const MAX_BYTES = 2 ** 31 - 2 ** 26;

/**
 * The planar copy of `X` (n, 2) for passes with up to `maxCenters` centers, or null where
 * WebAssembly SIMD does not run or the memory cannot be had. float32 data is converted exactly.
 */
export function makePlanar2(X: Matrix, maxCenters: number): Planar2 | null {
  const module = planarModule();
  if (!module || X.cols !== 2) return null;
  const n = X.rows, nPad = Math.ceil(n / STEP) * STEP, m = Math.max(1, maxCenters);
  // Layout (byte offsets, all 16-aligned): centers (m, 2), sums (m, 2), counts (m, padded),
  // xs, ys, dist (float64), labels (int32).
  const cOff = 0, sOff = m * 16, nOff = 2 * m * 16, xOff = nOff + Math.ceil(m / 2) * 16;
  const yOff = xOff + nPad * 8, dOff = yOff + nPad * 8, lOff = dOff + nPad * 8;
  const total = lOff + nPad * 4;
  if (total > MAX_BYTES) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536) });
  } catch {
    return null;
  }
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
  const buf = memory.buffer;
  const xs = new Float64Array(buf, xOff, nPad), ys = new Float64Array(buf, yOff, nPad);
  const src = X.data;
  for (let i = 0; i < n; i++) {
    xs[i] = src[2 * i];
    ys[i] = src[2 * i + 1];
  }
  const cc = new Float64Array(buf, cOff, m * 2), ss = new Float64Array(buf, sOff, m * 2), nn = new Float64Array(buf, nOff, m);
  return {
    source: X,
    labels: new Int32Array(buf, lOff, nPad),
    dist: new Float64Array(buf, dOff, nPad),
    assign: (centers, k, withDist) => {
      if (k > m) throw new Error(`the planar kernel was made for ${m} centers, not ${k}`);
      cc.set(centers.subarray(0, 2 * k));
      ex.assign2(xOff, yOff, cOff, lOff, dOff, nPad, k, withDist ? 1 : 0);
    },
    accumulate: (origin, k, sums, counts) => {
      ss.fill(0, 0, 2 * k);
      nn.fill(0, 0, k);
      ex.accumulate2(xOff, yOff, lOff, sOff, nOff, n, origin[0], origin[1]);
      sums.set(ss.subarray(0, 2 * k));
      counts.set(nn.subarray(0, k));
    },
  };
}

/**
 * assign2(xsBase, ysBase, cBase, lBase, dBase, count, k, withDist): for the `count` points
 * (a multiple of 2·pairs) at xs/ys, the index of the nearest of the k centers (cx, cy pairs at
 * cBase) as int32 at lBase, and with `withDist` the squared distance as float64 at dBase. Each
 * step takes `pairs` f64x2 pairs of points, independent chains for the CPU to overlap.
 */
function assign2Kernel(pairs: number): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32, i32, i32]);
  const [xBase, yBase, cBase, lBase, dBase, count, k, withDist] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [xp, yp, lp, dp, xEnd, cp, cEnd] = Array.from({ length: 7 }, () => f.local(i32));
  const [cx, cy, jv, ones, inf, dx, dy, s, mask] = Array.from({ length: 9 }, () => f.local(v128));
  const xv = Array.from({ length: pairs }, () => f.local(v128));
  const yv = Array.from({ length: pairs }, () => f.local(v128));
  const best = Array.from({ length: pairs }, () => f.local(v128));
  const idx = Array.from({ length: pairs }, () => f.local(v128));

  f.i32Const(1).i32x4Splat().set(ones);
  f.f64Const(Infinity).f64x2Splat().set(inf);
  f.get(xBase).tee(xp).get(count).i32Const(3).i32Shl().i32Add().set(xEnd);
  f.get(yBase).set(yp);
  f.get(lBase).set(lp);
  f.get(dBase).set(dp);
  f.get(cBase).get(k).i32Const(4).i32Shl().i32Add().set(cEnd);
  f.block().loop();
  f.get(xp).get(xEnd).i32GeU().brIf(1);
  for (let p = 0; p < pairs; p++) {
    f.get(xp).v128Load(16 * p).set(xv[p]);
    f.get(yp).v128Load(16 * p).set(yv[p]);
    f.get(inf).set(best[p]);
    f.v128Zero().set(idx[p]);
  }
  // The center index in every i32 lane: the low half of each 64-bit lane is what is stored.
  f.v128Zero().set(jv);
  f.get(cBase).set(cp);
  f.loop();
  f.get(cp).v128Load64Splat(0).set(cx);
  f.get(cp).v128Load64Splat(8).set(cy);
  for (let p = 0; p < pairs; p++) {
    f.get(xv[p]).get(cx).f64x2Sub().set(dx);
    f.get(yv[p]).get(cy).f64x2Sub().set(dy);
    f.get(dx).get(dx).f64x2Mul().get(dy).get(dy).f64x2Mul().f64x2Add().set(s);
    f.get(s).get(best[p]).f64x2Lt().set(mask);
    f.get(s).get(best[p]).get(mask).v128Bitselect().set(best[p]);
    f.get(jv).get(idx[p]).get(mask).v128Bitselect().set(idx[p]);
  }
  f.get(jv).get(ones).i32x4Add().set(jv);
  f.get(cp).i32Const(16).i32Add().tee(cp).get(cEnd).i32LtU().brIf(0);
  f.end();
  for (let p = 0; p < pairs; p++) {
    f.get(lp).get(idx[p]).i32x4ExtractLane(0).i32Store(8 * p);
    f.get(lp).get(idx[p]).i32x4ExtractLane(2).i32Store(8 * p + 4);
  }
  f.get(withDist);
  f.if();
  for (let p = 0; p < pairs; p++) f.get(dp).get(best[p]).v128Store(16 * p);
  f.end();
  f.get(xp).i32Const(16 * pairs).i32Add().set(xp);
  f.get(yp).i32Const(16 * pairs).i32Add().set(yp);
  f.get(dp).i32Const(16 * pairs).i32Add().set(dp);
  f.get(lp).i32Const(8 * pairs).i32Add().set(lp);
  f.br(0);
  f.end().end();
  return f;
}

/**
 * accumulate2(xsBase, ysBase, lBase, sBase, nBase, n, o0, o1): for each of the n points in row
 * order, adds (x − o0, y − o1) to the float64 sums pair of its int32 label at sBase and 1 to its
 * float64 count at nBase: the JavaScript loop's operations in its order.
 */
function accumulate2Kernel(): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32, f64, f64]);
  const [xBase, yBase, lBase, sBase, nBase, n, o0, o1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [xp, yp, lp, xEnd, sp, np, label] = Array.from({ length: 7 }, () => f.local(i32));
  f.get(xBase).tee(xp).get(n).i32Const(3).i32Shl().i32Add().set(xEnd);
  f.get(yBase).set(yp);
  f.get(lBase).set(lp);
  f.block().loop();
  f.get(xp).get(xEnd).i32GeU().brIf(1);
  f.get(lp).i32Load(0).set(label);
  f.get(sBase).get(label).i32Const(4).i32Shl().i32Add().set(sp);
  f.get(nBase).get(label).i32Const(3).i32Shl().i32Add().set(np);
  f.get(sp).get(sp).f64Load(0).get(xp).f64Load(0).get(o0).f64Sub().f64Add().f64Store(0);
  f.get(sp).get(sp).f64Load(8).get(yp).f64Load(0).get(o1).f64Sub().f64Add().f64Store(8);
  f.get(np).get(np).f64Load(0).f64Const(1).f64Add().f64Store(0);
  f.get(xp).i32Const(8).i32Add().set(xp);
  f.get(yp).i32Const(8).i32Add().set(yp);
  f.get(lp).i32Const(4).i32Add().set(lp);
  f.br(0);
  f.end().end();
  return f;
}
