/**
 * The dot products of the Lloyd assignment as a WebAssembly SIMD kernel (JavaScript has no
 * SIMD). Rows are row-major; centers are packed in panels of four interleaved by feature
 * (panel g holds centers 4g..4g+3 as [c0[t], c1[t], c2[t], c3[t]] for t = 0..d−1), so a splat
 * gives one row at one feature and one v128 load two centers at that feature. Each lane
 * accumulates one (row, center) product in feature order with a separate multiply and add, the
 * same roundings as the JavaScript loop: both engines give bit-identical dots.
 */
import { assembleModule, FunctionBuilder, i32, v128 } from '../../metrics/wasm';

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly with SIMD cannot run. Compiled once. */
export function dotsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = assembleModule({
      minPages: 1,
      functions: [
        { name: 'dots', body: dotsKernel() },
        { name: 'center', body: centerKernel() },
        { name: 'accumulate', body: accumulateKernel(false) },
        { name: 'accumulateCentered', body: accumulateKernel(true) },
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
 */
function dotsKernel(): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32]);
  const [aBase, bBase, oBase, d, aGroups, bGroups] = [0, 1, 2, 3, 4, 5];
  const [ga, gb, aRow, aPtr, aEnd, bPtr, rowBytes, panelBytes, outRow, oPtr] = Array.from({ length: 10 }, () => f.local(i32));
  // acc[2r + h]: row r, centers 2h and 2h + 1 of the panel.
  const acc = Array.from({ length: 8 }, () => f.local(v128));
  const [c01, c23, x] = Array.from({ length: 3 }, () => f.local(v128));

  f.get(d).i32Const(3).i32Shl().set(rowBytes);
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
    else f.get(aPtr).get(rowBytes).i32Const(r).i32Mul().i32Add();
    f.v128Load64Splat(0).set(x);
    f.get(acc[2 * r]).get(x).get(c01).f64x2Mul().f64x2Add().set(acc[2 * r]);
    f.get(acc[2 * r + 1]).get(x).get(c23).f64x2Mul().f64x2Add().set(acc[2 * r + 1]);
  }
  f.get(aPtr).i32Const(8).i32Add().set(aPtr);
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
  const [aPtr, aEnd, lPtr, sPtr, rowEnd, oPtr] = Array.from({ length: 6 }, () => f.local(i32));
  f.get(aBase).tee(aPtr).get(rows).get(d).i32Mul().i32Const(3).i32Shl().i32Add().set(aEnd);
  f.get(lBase).set(lPtr);
  f.block().loop();
  f.get(aPtr).get(aEnd).i32GeU().brIf(1);
  f.get(sBase).get(lPtr).i32Load(0).get(d).i32Mul().i32Const(3).i32Shl().i32Add().set(sPtr);
  f.get(aPtr).get(d).i32Const(3).i32Shl().i32Add().set(rowEnd);
  if (centered) f.get(oBase).set(oPtr);
  f.loop();
  f.get(sPtr).get(sPtr).v128Load(0).get(aPtr).v128Load(0);
  if (centered) f.get(oPtr).v128Load(0).f64x2Sub();
  f.f64x2Add().v128Store(0);
  f.get(aPtr).i32Const(16).i32Add().set(aPtr);
  f.get(sPtr).i32Const(16).i32Add().set(sPtr);
  if (centered) f.get(oPtr).i32Const(16).i32Add().set(oPtr);
  f.get(aPtr).get(rowEnd).i32LtU().brIf(0);
  f.end();
  f.get(lPtr).i32Const(4).i32Add().set(lPtr);
  f.br(0);
  f.end().end();
  return f;
}
