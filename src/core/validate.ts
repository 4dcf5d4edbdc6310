/** Hyperparameter checks with scikit-learn-style messages; each throws a ParameterError. */
import { ParameterError } from './errors';

export function checkInt(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ParameterError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new ParameterError(`${name} must be in ${range(min, max)}, got ${value}`);
  return value;
}

export function checkNumber(
  name: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
  opts: { minExclusive?: boolean; maxExclusive?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ParameterError(`${name} must be a finite number, got ${describe(value)}`);
  }
  const lowOk = opts.minExclusive ? value > min : value >= min;
  const highOk = opts.maxExclusive ? value < max : value <= max;
  if (!lowOk || !highOk) {
    throw new ParameterError(
      `${name} must be in ${opts.minExclusive ? '(' : '['}${min}, ${max}${opts.maxExclusive ? ')' : ']'}, got ${value}`,
    );
  }
  return value;
}

export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ParameterError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function checkRandomState(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return checkInt('randomState', value, 0, 2 ** 32 - 1);
}

function range(min: number, max: number): string {
  return `[${min === -Infinity ? '-inf' : min}, ${max === Infinity ? 'inf' : max}]`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
