import { describe, expect, it } from 'vitest';
import { assembleModule, FunctionBuilder, i32 } from '../../../../src/core/math/wasm';

function run(build: (f: FunctionBuilder) => void): number {
  const f = new FunctionBuilder([], [i32]);
  build(f);
  const bytes = assembleModule({ minPages: 1, functions: [{ name: 'main', body: f }] });
  expect(WebAssembly.validate(bytes)).toBe(true);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return (instance.exports.main as () => number)();
}

describe('the wasm assembler', () => {
  it('encodes signed constants of every LEB128 length', () => {
    for (const v of [0, 1, -1, 63, 64, -64, -65, 300, -200000, 2 ** 31 - 1, -(2 ** 31)]) {
      expect(run((f) => f.i32Const(v))).toBe(v);
    }
  });

  it('runs loops with locals and branches', () => {
    const total = run((f) => {
      const i = f.local(i32), acc = f.local(i32);
      f.block().loop();
      f.get(i).i32Const(100).i32GeU().brIf(1);
      f.get(acc).get(i).i32Add().set(acc);
      f.get(i).i32Const(1).i32Add().set(i);
      f.br(0);
      f.end().end();
      f.get(acc);
    });
    expect(total).toBe(4950);
  });
});
