/**
 * The dot products of the Lloyd assignment as a WebAssembly SIMD kernel (JavaScript has no
 * SIMD). Rows and centers are packed in panels of four, interleaved by feature:
 * panel g holds rows 4g..4g+3 as [r0[t], r1[t], r2[t], r3[t]] for t = 0..d−1, so one v128 load
 * gives two rows at one feature and one splat gives one center at that feature. Each lane
 * accumulates one (row, center) product in feature order with a separate multiply and add, the
 * same roundings as the JavaScript loop: both engines give bit-identical dots.
 */
import { assembleModule, FunctionBuilder, i32, v128 } from '../../metrics/wasm';

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly with SIMD cannot run. Compiled once. */
export function dotsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = assembleModule({ minPages: 1, functions: [{ name: 'dots', body: dotsKernel() }] });
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * dots(aBase, bBase, outBase, d, aGroups, bGroups): for every row panel ga < aGroups and center
 * panel gb < bGroups, writes the 4 × 4 dot products to out[(4ga + r) · 4bGroups + 4gb + c]
 * (float64, row-major). The bases are byte offsets in the imported memory.
 */
function dotsKernel(): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32]);
  const [aBase, bBase, oBase, d, aGroups, bGroups] = [0, 1, 2, 3, 4, 5];
  const [ga, gb, aPtr, aEnd, bPtr, panelBytes, rowBytes, oRow] = Array.from({ length: 8 }, () => f.local(i32));
  const acc = Array.from({ length: 8 }, () => f.local(v128));
  const [a01, a23, b] = Array.from({ length: 3 }, () => f.local(v128));

  f.get(d).i32Const(5).i32Shl().set(panelBytes); // 4 values × 8 bytes per feature
  f.get(bGroups).i32Const(5).i32Shl().set(rowBytes); // one output row: 4·bGroups values
  f.i32Const(0).set(ga);
  f.block().loop();
  f.get(ga).get(aGroups).i32GeU().brIf(1);
  f.i32Const(0).set(gb);
  f.block().loop();
  f.get(gb).get(bGroups).i32GeU().brIf(1);
  for (const a of acc) f.v128Zero().set(a);
  f.get(aBase).get(ga).get(panelBytes).i32Mul().i32Add().tee(aPtr).get(panelBytes).i32Add().set(aEnd);
  f.get(bBase).get(gb).get(panelBytes).i32Mul().i32Add().set(bPtr);
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
  // Row 4ga + r, columns 4gb..4gb+3: lane r & 1 of acc[2c + (r >> 1)].
  for (let r = 0; r < 4; r++) {
    f.get(oBase).get(ga).i32Const(2).i32Shl().i32Const(r).i32Add().get(rowBytes).i32Mul().i32Add();
    f.get(gb).i32Const(5).i32Shl().i32Add().set(oRow);
    for (let c = 0; c < 4; c++) {
      f.get(oRow).get(acc[2 * c + (r >> 1)]).f64x2ExtractLane((r & 1) as 0 | 1).f64Store(c * 8);
    }
  }
  f.get(gb).i32Const(1).i32Add().set(gb);
  f.br(0);
  f.end().end();
  f.get(ga).i32Const(1).i32Add().set(ga);
  f.br(0);
  f.end().end();
  return f;
}
