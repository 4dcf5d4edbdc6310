/**
 * The dot products of the Lloyd assignment as a WebAssembly SIMD kernel (JavaScript has no
 * SIMD). Rows are row-major; centers are packed in panels of four interleaved by feature
 * (panel g holds centers 4g..4g+3 as [c0[t], c1[t], c2[t], c3[t]] for t = 0..d−1), so a splat
 * gives one row at one feature and one v128 load two centers at that feature. Each lane
 * accumulates one (row, center) product in feature order with a separate multiply and add, the
 * same roundings as the JavaScript loop: both engines give bit-identical dots.
 */
import { assembleModule, FunctionBuilder, i32, v128 } from '../../math/wasm';

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly with SIMD cannot run. Compiled once. */
export function dotsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = assembleModule({
      minPages: 1,
      functions: [
        { name: 'dots', body: dotsKernel(false) },
        { name: 'dots32', body: dotsKernel(true) },
        { name: 'center', body: centerKernel() },
        { name: 'accumulate', body: accumulateKernel(false) },
        { name: 'accumulateCentered', body: accumulateKernel(true) },
        { name: 'accumulate32', body: accumulate32Kernel() },
      ],
    });
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * dots(aBase, bBase, outBase, d, aGroups, bGroups): for every group of four rows ga < aGroups
 * (row-major, d values each) and center panel gb < bGroups, writes the 4 × 4 dot products to
 * out[(4ga + r) · 4bGroups + 4gb + c] (float64, row-major). Bases are byte offsets in the
 * imported memory.
 *
 * dots32 is the same in float32 (scikit-learn's sgemm path for float32 data): f32x4 lanes, so a
 * panel holds eight centers (two v128 per feature) and a group of rows meets 4 × 8 centers;
 * out[(4ga + r) · 8bGroups + 8gb + c], float32. Twice the products per instruction, and half
 * the bytes of rows to stream.
 */
function dotsKernel(f32: boolean): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32]);
  const [aBase, bBase, oBase, d, aGroups, bGroups] = [0, 1, 2, 3, 4, 5];
  const [ga, gb, aRow, aPtr, aEnd, bPtr, rowBytes, panelBytes, outRow, oPtr, row2, row3] = Array.from({ length: 12 }, () => f.local(i32));
  // acc[2r + h]: row r, centers 2h and 2h + 1 of the panel.
  const acc = Array.from({ length: 8 }, () => f.local(v128));
  const [c01, c23, x] = Array.from({ length: 3 }, () => f.local(v128));

  f.get(d).i32Const(f32 ? 2 : 3).i32Shl().set(rowBytes);
  // Offsets of rows 2 and 3 of a group, so that the inner loop adds instead of multiplying.
  f.get(rowBytes).i32Const(1).i32Shl().set(row2);
  f.get(row2).get(rowBytes).i32Add().set(row3);
  f.get(d).i32Const(5).i32Shl().set(panelBytes);
  f.get(bGroups).i32Const(5).i32Shl().set(outRow); // bytes of one output row: 4·bGroups values
  f.i32Const(0).set(ga);
  f.block().loop();
  f.get(ga).get(aGroups).i32GeU().brIf(1);
  f.get(aBase).get(ga).get(rowBytes).i32Mul().i32Const(2).i32Shl().i32Add().set(aRow);
  f.i32Const(0).set(gb);
  f.block().loop();
  f.get(gb).get(bGroups).i32GeU().brIf(1);
  for (const a of acc) f.v128Zero().set(a);
  f.get(aRow).tee(aPtr).get(rowBytes).i32Add().set(aEnd);
  f.get(bBase).get(gb).get(panelBytes).i32Mul().i32Add().set(bPtr);
  f.loop();
  f.get(bPtr).v128Load(0).set(c01);
  f.get(bPtr).v128Load(16).set(c23);
  for (let r = 0; r < 4; r++) {
    // Row r of the group at this feature: aPtr + r·rowBytes.
    if (r === 0) f.get(aPtr);
    else f.get(aPtr).get(r === 1 ? rowBytes : r === 2 ? row2 : row3).i32Add();
    if (f32) {
      f.v128Load32Splat(0).set(x);
      f.get(acc[2 * r]).get(x).get(c01).f32x4Mul().f32x4Add().set(acc[2 * r]);
      f.get(acc[2 * r + 1]).get(x).get(c23).f32x4Mul().f32x4Add().set(acc[2 * r + 1]);
    } else {
      f.v128Load64Splat(0).set(x);
      f.get(acc[2 * r]).get(x).get(c01).f64x2Mul().f64x2Add().set(acc[2 * r]);
      f.get(acc[2 * r + 1]).get(x).get(c23).f64x2Mul().f64x2Add().set(acc[2 * r + 1]);
    }
  }
  f.get(aPtr).i32Const(f32 ? 4 : 8).i32Add().set(aPtr);
  f.get(bPtr).i32Const(32).i32Add().set(bPtr);
  f.get(aPtr).get(aEnd).i32LtU().brIf(0);
  f.end();
  for (let r = 0; r < 4; r++) {
    f.get(oBase).get(ga).i32Const(2).i32Shl().i32Const(r).i32Add().get(outRow).i32Mul().i32Add();
    f.get(gb).i32Const(5).i32Shl().i32Add().set(oPtr);
    f.get(oPtr).get(acc[2 * r]).v128Store(0);
    f.get(oPtr).get(acc[2 * r + 1]).v128Store(16);
  }
  f.get(gb).i32Const(1).i32Add().set(gb);
  f.br(0);
  f.end().end();
  f.get(ga).i32Const(1).i32Add().set(ga);
  f.br(0);
  f.end().end();
  return f;
}

/**
 * center(aBase, originBase, rows, d): subtracts the origin (d values) from `rows` row-major rows
 * of even length d. Elementwise, so exactly what the JavaScript loop computes.
 */
function centerKernel(): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32]);
  const [aBase, oBase, rows, d] = [0, 1, 2, 3];
  const [aPtr, aEnd, oPtr, rowEnd] = Array.from({ length: 4 }, () => f.local(i32));
  f.get(aBase).tee(aPtr).get(rows).get(d).i32Mul().i32Const(3).i32Shl().i32Add().set(aEnd);
  f.block().loop();
  f.get(aPtr).get(aEnd).i32GeU().brIf(1);
  f.get(oBase).set(oPtr);
  f.get(aPtr).get(d).i32Const(3).i32Shl().i32Add().set(rowEnd);
  f.loop();
  f.get(aPtr).get(aPtr).v128Load(0).get(oPtr).v128Load(0).f64x2Sub().v128Store(0);
  f.get(aPtr).i32Const(16).i32Add().set(aPtr);
  f.get(oPtr).i32Const(16).i32Add().set(oPtr);
  f.get(aPtr).get(rowEnd).i32LtU().brIf(0);
  f.end();
  f.br(0);
  f.end().end();
  return f;
}

/**
 * accumulate(aBase, labelsBase, sumsBase, rows, d[, originBase]): adds each of `rows` rows (even
 * length d) to the sums row of its int32 label, minus the origin when `centered` (rows that were
 * copied but not centered). Each sum gets its rows in row order, as in JavaScript.
 */
function accumulateKernel(centered: boolean): FunctionBuilder {
  const f = new FunctionBuilder(centered ? [i32, i32, i32, i32, i32, i32] : [i32, i32, i32, i32, i32]);
  const [aBase, lBase, sBase, rows, d, oBase] = [0, 1, 2, 3, 4, 5];
  const [aPtr, aEnd, lPtr, sPtr, rowEnd, oPtr, pairEnd] = Array.from({ length: 7 }, () => f.local(i32));
  const step = (offset: number): void => {
    f.get(sPtr).get(sPtr).v128Load(offset).get(aPtr).v128Load(offset);
    if (centered) f.get(oPtr).v128Load(offset).f64x2Sub();
    f.f64x2Add().v128Store(offset);
  };
  const advance = (bytes: number): void => {
    f.get(aPtr).i32Const(bytes).i32Add().set(aPtr);
    f.get(sPtr).i32Const(bytes).i32Add().set(sPtr);
    if (centered) f.get(oPtr).i32Const(bytes).i32Add().set(oPtr);
  };
  f.get(aBase).tee(aPtr).get(rows).get(d).i32Mul().i32Const(3).i32Shl().i32Add().set(aEnd);
  f.get(lBase).set(lPtr);
  f.block().loop();
  f.get(aPtr).get(aEnd).i32GeU().brIf(1);
  f.get(sBase).get(lPtr).i32Load(0).get(d).i32Mul().i32Const(3).i32Shl().i32Add().set(sPtr);
  f.get(aPtr).get(d).i32Const(3).i32Shl().i32Add().set(rowEnd);
  // Four features per step while they last (fewer loop branches), then the last pair if d ≡ 2 (mod 4).
  f.get(rowEnd).i32Const(16).i32Sub().set(pairEnd);
  if (centered) f.get(oBase).set(oPtr);
  f.block().loop();
  f.get(aPtr).get(pairEnd).i32GeU().brIf(1);
  step(0);
  step(16);
  advance(32);
  f.br(0);
  f.end().end();
  f.get(aPtr).get(rowEnd).i32LtU();
  f.if();
  step(0);
  advance(16);
  f.end();
  f.get(lPtr).i32Const(4).i32Add().set(lPtr);
  f.br(0);
  f.end().end();
  return f;
}

/**
 * accumulate32(aBase, labelsBase, sumsBase, rows, d): adds each float32 row (even length d) to
 * the float64 sums row of its label, each value converted exactly; rows in row order.
 */
function accumulate32Kernel(): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32]);
  const [aBase, lBase, sBase, rows, d] = [0, 1, 2, 3, 4];
  const [aPtr, aEnd, lPtr, sPtr, rowEnd] = Array.from({ length: 5 }, () => f.local(i32));
  f.get(aBase).tee(aPtr).get(rows).get(d).i32Mul().i32Const(2).i32Shl().i32Add().set(aEnd);
  f.get(lBase).set(lPtr);
  f.block().loop();
  f.get(aPtr).get(aEnd).i32GeU().brIf(1);
  f.get(sBase).get(lPtr).i32Load(0).get(d).i32Mul().i32Const(3).i32Shl().i32Add().set(sPtr);
  f.get(aPtr).get(d).i32Const(2).i32Shl().i32Add().set(rowEnd);
  f.loop();
  f.get(sPtr).get(sPtr).v128Load(0).get(aPtr).v128Load64Splat(0).f64x2PromoteLowF32x4().f64x2Add().v128Store(0);
  f.get(aPtr).i32Const(8).i32Add().set(aPtr);
  f.get(sPtr).i32Const(16).i32Add().set(sPtr);
  f.get(aPtr).get(rowEnd).i32LtU().brIf(0);
  f.end();
  f.get(lPtr).i32Const(4).i32Add().set(lPtr);
  f.br(0);
  f.end().end();
  return f;
}
