/**
 * A small strict command-line parser: declared options only (a typo is an error with a
 * suggestion, never silently ignored), typed values, kebab-case flags mapped to the core's
 * camelCase parameter names.
 */

export type OptionType = 'int' | 'number' | 'string' | 'flag' | 'list' | 'int-or-string' | 'number-or-string';

export interface OptionSpec {
  /** `--n-clusters` → key `nClusters` unless given. */
  flag: string;
  type: OptionType;
  help: string;
  key?: string;
  default?: string;
  /** Allowed values for string options. */
  choices?: readonly string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function convert(spec: OptionSpec, raw: string): unknown {
  const bad = (what: string): never => {
    throw new UsageError(`${spec.flag} expects ${what}, got '${raw}'`);
  };
  switch (spec.type) {
    case 'int': {
      const v = Number(raw);
      return Number.isInteger(v) && raw.trim() !== '' ? v : bad('an integer');
    }
    case 'number': {
      const v = Number(raw);
      return Number.isFinite(v) && raw.trim() !== '' ? v : bad('a number');
    }
    case 'int-or-string': {
      const v = Number(raw);
      if (raw.trim() !== '' && Number.isInteger(v)) return v;
      if (spec.choices && !spec.choices.includes(raw)) bad(`an integer or one of ${spec.choices.join(', ')}`);
      return raw;
    }
    case 'number-or-string': {
      const v = Number(raw);
      if (raw.trim() !== '' && Number.isFinite(v)) return v;
      if (spec.choices && !spec.choices.includes(raw)) bad(`a number or one of ${spec.choices.join(', ')}`);
      return raw;
    }
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) bad(`one of ${spec.choices.join(', ')}`);
      return raw;
    case 'flag':
      return true;
  }
}

export interface Parsed {
  positionals: string[];
  options: Record<string, unknown>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const byFlag = new Map(specs.map((s) => [s.flag, s]));
  const positionals: string[] = [];
  const options: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    const spec = byFlag.get(flag);
    if (!spec) {
      const near = specs.map((s) => s.flag).sort((x, y) => distance(flag, x) - distance(flag, y))[0];
      throw new UsageError(`unknown option ${flag}${near && distance(flag, near) <= 3 ? ` (did you mean ${near}?)` : ''}`);
    }
    const key = spec.key ?? camel(spec.flag);
    if (spec.type === 'flag') {
      if (eq >= 0) throw new UsageError(`${flag} takes no value`);
      options[key] = true;
      continue;
    }
    const raw = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`${flag} needs a value`);
    options[key] = convert(spec, raw);
  }
  return { positionals, options };
}

export function formatOptions(specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.flag.length + (s.type === 'flag' ? 0 : 4)));
  return specs
    .map((s) => {
      const left = s.type === 'flag' ? s.flag : `${s.flag} ${s.type === 'list' ? 'A,B' : s.type === 'int' ? 'N' : s.type === 'number' ? 'X' : 'V'}`;
      const extra = [s.choices ? `one of: ${s.choices.join(', ')}` : '', s.default !== undefined ? `default ${s.default}` : ''].filter(Boolean).join('; ');
      return `  ${left.padEnd(width + 2)}${s.help}${extra ? ` (${extra})` : ''}`;
    })
    .join('\n');
}
