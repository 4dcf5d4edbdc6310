/**
 * The memory budget: every importer checks what it is about to allocate against the real byte
 * length of its input first, then against this budget, so that a header claiming a billion rows
 * fails with a message instead of an out-of-memory crash.
 */
import { ImportError } from './errors';

export const MIB = 1024 * 1024;

/** The budget when the caller gives none: 2 GiB. */
export const DEFAULT_BUDGET_BYTES = 2048 * MIB;

/** Options every reader accepts. */
export interface BudgetOptions {
  /** The most bytes the reader may allocate for its result; default {@link DEFAULT_BUDGET_BYTES}. */
  budgetBytes?: number;
}

/** `bytes` as a MiB figure for messages: `1.5 MiB`. */
export function formatMiB(bytes: number): string {
  const mib = bytes / MIB;
  const digits = mib >= 100 ? 0 : mib >= 1 ? 1 : 3;
  return `${mib.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} MiB`;
}

/**
 * Throws `ImportError('too-large')` when `bytesNeeded` exceeds `budgetBytes` (or is not a finite
 * number, as happens when dimensions claimed by a header multiply past 2^53). `offer`, when
 * given, ends the message: what the person can do instead (see {@link fromDiskOffer}).
 */
export function checkBudget(file: string, bytesNeeded: number, budgetBytes: number = DEFAULT_BUDGET_BYTES, offer?: string): void {
  if (!(bytesNeeded <= budgetBytes)) {
    const needed = Number.isFinite(bytesNeeded) ? formatMiB(bytesNeeded) : 'an unbounded amount';
    const detail = `reading it needs ${needed} of memory, more than the budget of ${formatMiB(budgetBytes)}`;
    throw new ImportError(file, 'too-large', offer ? `${detail}; ${offer}` : detail);
  }
}

/**
 * The way out for a table too large for memory, for the formats that can be read in row batches
 * (CSV and .npy): `to cluster it with K-Means anyway, fit mini-batches from disk: clusterscope fit
 * minibatch-kmeans data.npy --from-disk`, the file name quoted for a POSIX shell when it needs it.
 */
export function fromDiskOffer(file: string): string {
  const arg = /^[\w.,+@%=:/-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`;
  return `to cluster it with K-Means anyway, fit mini-batches from disk: clusterscope fit minibatch-kmeans ${arg} --from-disk`;
}

/** The budget in force for `opts`, validated. */
export function budgetOf(opts: BudgetOptions | undefined): number {
  const b = opts?.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  if (!(b > 0)) throw new RangeError(`budgetBytes must be a positive number of bytes, got ${b}`);
  return b;
}

/**
 * The product of `dims` as a float: exact while it stays below 2^53, and otherwise so large that
 * every budget check rejects it, which is all the importers need.
 */
export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}
