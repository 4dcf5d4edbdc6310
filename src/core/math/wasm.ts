/**
 * A very small WebAssembly assembler: just enough to write the few numeric kernels of the core
 * that plain JavaScript cannot run fast enough (SIMD f64x2 dot-product tiles), as TypeScript that
 * emits the module bytes at run time. No binary blobs are checked in, nothing is imported:
 * `WebAssembly` is a language global in Node, Electron and browsers alike.
 *
 * Only the instructions the kernels use are here; the encodings follow the WebAssembly 2.0 core
 * binary format (SIMD opcodes are `0xfd` followed by a LEB128 sub-opcode).
 */

/** Value types. */
export const i32 = 0x7f;
export const f64 = 0x7c;
export const v128 = 0x7b;
export type ValueType = typeof i32 | typeof f64 | typeof v128;

/** A function body under construction: typed locals plus a flat instruction stream. */
export class FunctionBuilder {
  readonly bytes: number[] = [];
  private readonly locals: ValueType[] = [];

  constructor(
    readonly params: readonly ValueType[],
    readonly results: readonly ValueType[] = [],
  ) {}

  /** Declares a new local and returns its index. */
  local(type: ValueType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** The encoded body: local declarations (run-length grouped), instructions, `end`. */
  encode(): number[] {
    const groups: Array<[number, ValueType]> = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...uleb(groups.length)];
    for (const [count, t] of groups) body.push(...uleb(count), t);
    body.push(...this.bytes, 0x0b);
    return [...uleb(body.length), ...body];
  }

  private op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }

  private simd(code: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(code), ...imm);
  }

  // Control. Blocks and loops take no parameters and give no results.
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }

  // Locals.
  get(index: number): this {
    return this.op(0x20, ...uleb(index));
  }
  set(index: number): this {
    return this.op(0x21, ...uleb(index));
  }
  tee(index: number): this {
    return this.op(0x22, ...uleb(index));
  }

  // Memory. `offset` is a constant byte offset added to the address on the stack.
  i32Load(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  f64Load(offset = 0): this {
    return this.op(0x2b, 3, ...uleb(offset));
  }
  f64Store(offset = 0): this {
    return this.op(0x39, 3, ...uleb(offset));
  }
  i32Store(offset = 0): this {
    return this.op(0x36, 2, ...uleb(offset));
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  /** Loads one f64 and broadcasts it to both lanes. */
  v128Load64Splat(offset = 0): this {
    return this.simd(0x0a, 3, ...uleb(offset));
  }
  /** Loads one f32 and broadcasts it to the four lanes. */
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09, 2, ...uleb(offset));
  }

  // i32 arithmetic and comparisons (unsigned comparisons: the values are sizes and addresses).
  i32Const(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GtU(): this {
    return this.op(0x4b);
  }
  i32LeU(): this {
    return this.op(0x4d);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }

  // f64 scalar.
  f64Const(value: number): this {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, value, true); // the binary format is little-endian whatever the host
    return this.op(0x44, ...new Uint8Array(b.buffer));
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Sub(): this {
    return this.op(0xa1);
  }

  // Whole-v128 bit operations and i32x4 lanes.
  /** v1 where the mask's bits are set, else v2 (stack: v1, v2, mask). */
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
  i32x4ExtractLane(lane: 0 | 1 | 2 | 3): this {
    return this.simd(0x1b, lane);
  }

  // f64x2 lanes.
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Max(): this {
    return this.simd(0xf5);
  }
  f64x2Sqrt(): this {
    return this.simd(0xef);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  /** All ones in the lanes where a < b (IEEE: false when either is NaN), else zeros. */
  f64x2Lt(): this {
    return this.simd(0x49);
  }
  f64x2ExtractLane(lane: 0 | 1): this {
    return this.simd(0x21, lane);
  }
  /** The two low f32 lanes as f64 (exact). */
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }

  // f32x4 lanes.
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
}

export interface ModuleSpec {
  /** The linear memory is imported as `env.memory`, so the caller can size it and view it. */
  minPages: number;
  functions: Array<{ name: string; body: FunctionBuilder }>;
}

/** Encodes a module: one imported memory and the given exported functions. */
export function assembleModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const types: number[][] = spec.functions.map(({ body }) => [
    0x60,
    ...uleb(body.params.length),
    ...body.params,
    ...uleb(body.results.length),
    ...body.results,
  ]);
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(out, 1, vector(types));
  section(out, 2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(spec.minPages)]]));
  section(out, 3, vector(spec.functions.map((_, i) => uleb(i))));
  section(out, 7, vector(spec.functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  section(out, 10, vector(spec.functions.map((f) => f.body.encode())));
  return new Uint8Array(out);
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id, ...uleb(content.length), ...content);
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
