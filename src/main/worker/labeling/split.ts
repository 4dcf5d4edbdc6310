/**
 * scikit-learn's `train_test_split(range(n), test_size=…, random_state=seed)` to the last index:
 * NumPy's legacy `RandomState(seed)` (MT19937 seeded by `init_genrand`), its `permutation` (a
 * Fisher–Yates shuffle from the end, each swap index drawn by masked rejection of 32-bit words),
 * and ShuffleSplit's cut: the first ⌈test_size · n⌉ of the permutation are the test rows, the
 * rest the training rows, both in permutation order. With this, the app's held-out split of the
 * digits is the chapter's (reference/datasets/digits_split.json), so its numbers compare.
 */
import type { SplitSpec } from '../../../shared/analyses/labeling';

export type { SplitSpec };

/** The Mersenne Twister MT19937 as NumPy's legacy generator uses it. */
export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** `RandomState(seed)` for an integer seed in [0, 2³² − 1] (Matsumoto and Nishimura's init_genrand). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`a seed is an integer in [0, 2^32 - 1], got ${seed}`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 · prev + i modulo 2³², without losing bits to float64 rounding.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] (NumPy's `random_interval`: mask, then reject). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError('interval bounds above 2^32 - 1 are not needed here');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

/** `RandomState(seed).permutation(n)`. */
export function legacyPermutation(n: number, seed: number): Int32Array {
  const rng = new MT19937(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.interval(i);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

export interface Split {
  /** Training rows, in scikit-learn's order. */
  train: Int32Array;
  /** Held-out rows, in scikit-learn's order. */
  test: Int32Array;
}

/** Checks a split spec; the message names the field and the rule. */
export function checkSplitSpec(s: unknown, what = 'holdout'): SplitSpec {
  const o = s as Partial<SplitSpec> | null;
  if (!o || typeof o !== 'object') throw new RangeError(`${what} must be an object { testSize, randomState }`);
  if (typeof o.testSize !== 'number' || !(o.testSize > 0 && o.testSize < 1)) throw new RangeError(`${what}.testSize must be a number in (0, 1), got ${String(o.testSize)}`);
  if (!Number.isInteger(o.randomState) || (o.randomState as number) < 0 || (o.randomState as number) > 0xffffffff) {
    throw new RangeError(`${what}.randomState must be an integer in [0, 2^32 - 1], got ${String(o.randomState)}`);
  }
  return { testSize: o.testSize, randomState: o.randomState as number };
}

/** The rows of `train_test_split` on n samples (float `test_size`, no `train_size`, shuffled). */
export function trainTestSplit(n: number, spec: SplitSpec): Split {
  const { testSize, randomState } = checkSplitSpec(spec);
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  if (nTest < 1 || nTrain < 1) throw new RangeError(`a split of ${n} samples with testSize ${testSize} leaves ${nTrain} for training and ${nTest} held out`);
  const perm = legacyPermutation(n, randomState);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}
