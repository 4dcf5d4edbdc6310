/**
 * UTF-8 validation of text files as they stream by, so that a bad byte is reported with its line
 * and offset instead of turning silently into U+FFFD somewhere in a column.
 */
import { ImportError } from './errors';

/** The offset of the first byte that starts an invalid UTF-8 sequence at or after `from`, or -1. */
export function firstInvalidUtf8(b: Uint8Array, from = 0): number {
  let i = from;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number, lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing past U+10FFFF
    } else return i;
    if (i + need >= b.length) return i;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Checks chunks of a file, in order, for valid UTF-8 with a fatal TextDecoder, counting lines so
 * that the first bad byte is reported as `file, line N: invalid UTF-8 (byte 0xff at offset K)`.
 */
export class Utf8Checker {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private offset = 0;
  private newlines = 0;
  /** The last bytes of the previous chunk, which may start a sequence this chunk completes. */
  private carry: Uint8Array = new Uint8Array(0);

  constructor(private readonly file: string) {}

  push(chunk: Uint8Array): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.fail(chunk);
    }
    this.newlines += countNewlines(chunk, chunk.length);
    this.offset += chunk.length;
    this.carry = chunk.subarray(Math.max(0, chunk.length - 3));
  }

  /** Call at the end of the file: a sequence cut off by the end is an error too. */
  end(): void {
    try {
      this.decoder.decode();
    } catch {
      const at = this.offset - this.carry.length + Math.max(0, firstInvalidUtf8(this.carry, leadStart(this.carry)));
      throw new ImportError(this.file, 'bad-encoding', `the file ends in the middle of a UTF-8 character (at byte offset ${at})`, { line: this.newlines + 1 });
    }
  }

  private fail(chunk: Uint8Array): never {
    // Re-scan from the start of any sequence the previous chunk left open.
    const joined = new Uint8Array(this.carry.length + chunk.length);
    joined.set(this.carry, 0);
    joined.set(chunk, this.carry.length);
    const found = firstInvalidUtf8(joined, leadStart(this.carry));
    const at = Math.max(0, found - this.carry.length);
    const line = this.newlines + countNewlines(chunk, at) + 1;
    const byte = found >= 0 ? joined[found] : chunk[0];
    throw new ImportError(this.file, 'bad-encoding', `the text is not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')} at byte offset ${this.offset + at}); save the file as UTF-8`, { line });
  }
}

/** Where, in the tail of a chunk, the last (possibly incomplete) sequence starts. */
function leadStart(tail: Uint8Array): number {
  for (let i = tail.length - 1; i >= 0; i--) {
    if ((tail[i] & 0xc0) !== 0x80) return (tail[i] & 0x80) === 0 ? tail.length : i;
  }
  return tail.length;
}

function countNewlines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0 && i < end; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}
