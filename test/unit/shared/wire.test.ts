import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeMessage, encodeMessage } from '../../../src/shared/wire';

describe('wire format', () => {
  it('carries typed arrays as bytes and restores them with their type', () => {
    const msg = {
      id: 7,
      ok: true,
      result: { x: Float64Array.of(1.5, -2, 3e-300), labels: Int32Array.of(0, -1, 2), f: Float32Array.of(0.25), name: 'é' },
    };
    const back = decodeMessage(encodeMessage(msg)) as typeof msg;
    expect(back.result.x).toBeInstanceOf(Float64Array);
    expect(Array.from(back.result.x)).toEqual([1.5, -2, 3e-300]);
    expect(back.result.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(back.result.labels)).toEqual([0, -1, 2]);
    expect(back.result.f).toBeInstanceOf(Float32Array);
    expect(back.result.name).toBe('é');
  });

  it('keeps NaN and infinities, which plain JSON would turn into null', () => {
    const back = decodeMessage(encodeMessage({ m: { silhouette: NaN, a: Infinity, b: -Infinity, c: 1 } })) as { m: Record<string, number> };
    expect(back.m.silhouette).toBeNaN();
    expect(back.m.a).toBe(Infinity);
    expect(back.m.b).toBe(-Infinity);
    expect(back.m.c).toBe(1);
  });

  it('encodes views into larger buffers by their own bytes only', () => {
    const big = new Float64Array([9, 1, 2, 9]);
    const back = decodeMessage(encodeMessage({ v: big.subarray(1, 3) })) as { v: Float64Array };
    expect(Array.from(back.v)).toEqual([1, 2]);
  });

  it('round-trips arbitrary JSON values with arrays inside', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.double({ noNaN: true }), { maxLength: 50 }), (value, nums) => {
        const msg = { value, arr: Float64Array.from(nums), nested: [{ i: Int32Array.from(nums.map((n) => n | 0)) }] };
        const back = decodeMessage(encodeMessage(msg)) as typeof msg;
        expect(back.value).toEqual(JSON.parse(JSON.stringify(value)));
        expect(Array.from(back.arr)).toEqual(nums.map((n) => (Object.is(n, -0) ? -0 : n)));
        expect(Array.from(back.nested[0].i)).toEqual(nums.map((n) => n | 0));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects truncated or garbled frames with an error instead of reading past the end', () => {
    const frame = encodeMessage({ a: new Float64Array(100) });
    expect(() => decodeMessage(frame.subarray(0, frame.length - 8))).toThrow(/past the end/);
    expect(() => decodeMessage(new Uint8Array([1, 2]))).toThrow();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 500 },
    );
  });
});
