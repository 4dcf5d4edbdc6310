/**
 * The fuzzing harness of the importers: inputs made by mutating valid files (bit flips,
 * truncations, insertions of format tokens, deletions, overwrites with boundary integers,
 * duplicated slices) or drawn at random, and a runner that checks every call either returns or
 * throws an ImportError naming the file, quickly, and counts what happened for a one-line summary.
 *
 * FUZZ_RUNS (default 10000) sets the cases per parser, FUZZ_SEED the seed (fixed by default so
 * that CI is reproducible; set it to vary the cases).
 */
import fc from 'fast-check';
import { Random } from '../../../src/core/math/random';
import { ImportError } from '../../../src/main/backend/importers/errors';
import type { SuiteFigures } from '../figures';

export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 10_000));
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
/** A call slower than this is a hang: every input here is a few hundred bytes. */
export const HANG_MS = 5_000;
/** Small, so that sizes a mutated header claims fail fast instead of allocating. */
export const FUZZ_BUDGET = 16 << 20;

/**
 * `n` numbers drawn by `draw` from a generator seeded by fast-check: the valid files that get
 * mutated need plausible values, not fast-check's edge cases (the round trips use those), and
 * drawing them this way costs far less than arrays of fc.double.
 */
export function drawn(n: number, draw: (r: Random) => number): fc.Arbitrary<number[]> {
  return fc.integer().map((seed) => {
    const r = new Random(seed);
    return Array.from({ length: n }, () => draw(r));
  });
}

/** A float spread over many magnitudes and both signs. */
export const wideFloat = (r: Random): number => (r.random() - 0.5) * 10 ** (r.int(24) - 12);

/** fast-check settings for a property run `runs` times. */
export function fcParams<T>(runs: number = FUZZ_RUNS): fc.Parameters<T> {
  return { numRuns: runs, seed: FUZZ_SEED, endOnFailure: true };
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; at: number; length: number };

/** Integers at the edges of every width, big- and little-endian, for overwriting size fields. */
const BOUNDARY_INTS: Uint8Array[] = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff].flatMap((v) => {
  const le = new Uint8Array(4), be = new Uint8Array(4);
  new DataView(le.buffer).setUint32(0, v >>> 0, true);
  new DataView(be.buffer).setUint32(0, v >>> 0, false);
  return [le, be, le.subarray(0, 2), be.subarray(2), le.subarray(0, 1)];
});

/** 1 to 4 mutations, inserting and overwriting with `dictionary` tokens of the format or random bytes. */
function mutationList(dictionary: Uint8Array[]): fc.Arbitrary<Mutation[]> {
  const at = fc.nat({ max: 1 << 16 });
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...dictionary) },
    { weight: 2, arbitrary: fc.constantFrom(...BOUNDARY_INTS) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
  );
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: token }),
    fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('overwrite' as const), at, bytes: token }),
    fc.record({ kind: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 4 });
}

function apply(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = seed;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) {
          b = b.slice();
          b[m.at % b.length] ^= 1 << m.bit;
        }
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert':
        b = join(b.subarray(0, at), m.bytes, b.subarray(at));
        break;
      case 'delete':
        b = join(b.subarray(0, at), b.subarray(at + m.length));
        break;
      case 'overwrite':
        b = b.slice();
        b.set(m.bytes.subarray(0, Math.max(0, b.length - at)), at);
        break;
      case 'duplicate':
        b = join(b.subarray(0, at + m.length), b.subarray(at));
        break;
    }
  }
  return b;
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Inputs for a parser: mostly mutated valid files, some valid files as they are, some random
 * bytes, some random bytes behind a valid file's first bytes (its magic).
 */
export function fuzzInputs(valid: fc.Arbitrary<Uint8Array>, dictionary: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 14, arbitrary: fc.tuple(valid, mutationList(dictionary)).map(([seed, muts]) => apply(seed, muts)) },
    { weight: 2, arbitrary: valid },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat({ max: 16 }), fc.uint8Array({ maxLength: 200 })).map(([seed, keep, tail]) => join(seed.subarray(0, keep), tail)),
    },
  );
}

const ascii = (s: string) => new TextEncoder().encode(s);
/** Tokens as bytes, for dictionaries. */
export const tokens = (...xs: (string | number[])[]): Uint8Array[] => xs.map((x) => (typeof x === 'string' ? ascii(x) : new Uint8Array(x)));

/** Every FuzzStats of this test file (each file runs in its own process), for its figures. */
const allStats: FuzzStats[] = [];

/**
 * The file's fuzz runs summed up for the reliability report: every generated case is an input
 * fuzzed, every unexpected outcome a failure; the one-line summaries go in the notes.
 */
export function fuzzFigures(suite: string, testFile: string): SuiteFigures {
  return {
    suite,
    file: testFile,
    inputsFuzzed: allStats.reduce((n, s) => n + s.cases, 0),
    failures: allStats.reduce((n, s) => n + s.unexpected.length, 0),
    notes: allStats.map((s) => s.summary()),
  };
}

/** What a fuzz run saw. */
export class FuzzStats {
  cases = 0;
  accepted = 0;
  readonly rejected = new Map<string, number>();
  readonly unexpected: { input: Uint8Array; problem: string }[] = [];
  slowestMs = 0;
  private readonly started = performance.now();

  constructor(
    readonly name: string,
    readonly file: string,
  ) {
    allStats.push(this);
  }

  /**
   * Runs `parse` on `input`: it must return (and `check` must accept what it returned) or
   * throw an ImportError naming the file, within HANG_MS.
   */
  run<T>(input: Uint8Array, parse: (bytes: Uint8Array, file: string) => T, check?: (result: T) => string | null): void {
    const t0 = performance.now();
    let problem: string | null;
    try {
      const result = parse(input, this.file);
      problem = check?.(result) ?? null;
      if (problem === null) this.accepted++;
    } catch (e) {
      problem = this.classify(e);
    }
    this.finish(input, t0, problem);
  }

  async runAsync<T>(input: Uint8Array, parse: () => Promise<T>, check?: (result: T) => string | null): Promise<void> {
    const t0 = performance.now();
    let problem: string | null;
    try {
      const result = await parse();
      problem = check?.(result) ?? null;
      if (problem === null) this.accepted++;
    } catch (e) {
      problem = this.classify(e);
    }
    this.finish(input, t0, problem);
  }

  /** Records a failed round trip or parity check. */
  fail(input: Uint8Array, problem: string): void {
    this.unexpected.push({ input, problem });
  }

  private classify(e: unknown): string | null {
    if (!(e instanceof ImportError)) return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    if (e.file !== this.file || !e.message.startsWith(this.file)) return `ImportError does not name the file: ${e.message}`;
    this.rejected.set(e.code, (this.rejected.get(e.code) ?? 0) + 1);
    return null;
  }

  private finish(input: Uint8Array, t0: number, problem: string | null): void {
    const ms = performance.now() - t0;
    this.cases++;
    this.slowestMs = Math.max(this.slowestMs, ms);
    if (ms > HANG_MS) problem ??= `took ${ms.toFixed(0)} ms`;
    if (problem !== null) this.unexpected.push({ input, problem });
  }

  /** `fuzz csv: 10000 cases, 0 unexpected errors (...)`, for the reliability report. */
  summary(extra = ''): string {
    const codes = [...this.rejected.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    return (
      `fuzz ${this.name}: ${this.cases} cases, ${this.unexpected.length} unexpected errors ` +
      `(${this.accepted} read, rejected: ${codes || 'none'}; ${extra}slowest call ${this.slowestMs.toFixed(1)} ms; ${seconds} s; seed ${FUZZ_SEED})`
    );
  }

  /** A description of the first unexpected outcomes, to fail the test with. */
  report(): string {
    return this.unexpected
      .slice(0, 3)
      .map(({ input, problem }) => `${problem}\n  input (${input.length} bytes): ${Buffer.from(input.subarray(0, 160)).toString('hex')}`)
      .join('\n');
  }
}
