/**
 * The WebSocket wire format: one binary frame per message. Typed arrays travel as raw bytes
 * after a JSON header instead of as JSON numbers (a 100,000-point scatter is 1.6 MB of bytes
 * rather than ~4 MB of text parsed on the UI thread).
 *
 *   [u32 LE header length H][H bytes of UTF-8 JSON][zero padding to 8][buffer 0][pad][buffer 1]…
 * (buffer offsets in the header count from the first buffer)
 *
 * In the JSON, a typed array is `{"$ta": i}` (its index in `header.buffers`) and a non-finite
 * number is `{"$num": "NaN" | "Infinity" | "-Infinity"}`.
 */

/** The typed arrays that travel as raw bytes (here, and to workers as files: worker/transfer.ts). */
export const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
export type TypedName = keyof typeof TYPED;
export type AnyTyped = InstanceType<(typeof TYPED)[TypedName]>;

interface BufferEntry {
  type: TypedName;
  offset: number;
  length: number;
}

/** The name of `v`'s typed-array class, or null when `v` is not one of TYPED. */
export function typedName(v: unknown): TypedName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const name = v.constructor.name as TypedName;
  return name in TYPED ? name : null;
}

const align8 = (n: number): number => (n + 7) & ~7;

export function encodeMessage(msg: unknown): Uint8Array<ArrayBuffer> {
  const arrays: AnyTyped[] = [];
  const entries: BufferEntry[] = [];
  const json = JSON.stringify(msg, function (this: unknown, key, value: unknown) {
    // JSON.stringify hands typed arrays to the replacer before converting them.
    const holder = this as Record<string, unknown>;
    const raw = holder[key];
    const name = typedName(raw);
    if (name) {
      arrays.push(raw as AnyTyped);
      entries.push({ type: name, offset: 0, length: (raw as AnyTyped).length });
      return { $ta: arrays.length - 1 };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
    return value;
  });
  // Offsets are relative to the start of the data section, so the header does not depend on its own length.
  let offset = 0;
  for (let i = 0; i < arrays.length; i++) {
    entries[i].offset = offset;
    offset = align8(offset + arrays[i].byteLength);
  }
  const headerBytes = new TextEncoder().encode(JSON.stringify({ buffers: entries, json }));
  const dataStart = align8(4 + headerBytes.length);
  const out = new Uint8Array(dataStart + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + entries[i].offset);
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 4) throw new Error('wire: message shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = view.getUint32(0, true);
  if (4 + hlen > bytes.byteLength) throw new Error('wire: header runs past the end of the message');
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + hlen))) as {
    buffers: BufferEntry[];
    json: string;
  };
  const dataStart = align8(4 + hlen);
  const arrays = header.buffers.map((b) => {
    const Ctor = TYPED[b.type];
    if (!Ctor) throw new Error(`wire: unknown array type ${String(b.type)}`);
    const byteLength = b.length * Ctor.BYTES_PER_ELEMENT;
    const start = dataStart + b.offset;
    if (!(b.offset >= 0 && start + byteLength <= bytes.byteLength)) throw new Error('wire: array runs past the end of the message');
    // Copy: the frame's buffer may be shared or unaligned.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(start, start + byteLength));
    return new Ctor(copy.buffer);
  });
  return JSON.parse(header.json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (typeof v.$ta === 'number' && Object.keys(v).length === 1) {
        const a = arrays[v.$ta];
        if (!a) throw new Error(`wire: missing array ${v.$ta}`);
        return a;
      }
      if (typeof v.$num === 'string' && Object.keys(v).length === 1) return Number(v.$num);
    }
    return value;
  });
}

/** A request from the renderer. */
export interface WireRequest {
  id: number;
  method: string;
  args: unknown[];
}

/** A reply, or an event pushed by the backend. */
export type WireReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code: string } }
  | { event: string; payload: unknown };
