/**
 * The person's preferences: what they are, their defaults and the rules a value must follow.
 * The backend stores them in the settings file and validates every change with
 * `validatePreferences`; the preferences dialog runs the same function to show the same
 * messages before it sends anything.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export interface Preferences {
  /** Light or dark, or whatever the system uses. */
  theme: ThemeChoice;
  /** Worker processes running jobs in parallel; null keeps the host's default (cores − 1). */
  workerCount: number | null;
  /** The most memory an import may allocate for its data, in MiB. */
  memoryBudgetMiB: number;
  /** Where downloaded data sets are kept; null is `downloads` in the app's data folder. */
  downloadDir: string | null;
  /** The random_state the forms start with; null leaves it empty (a fresh seed per run). */
  defaultSeed: number | null;
  /** The guided tour was finished or skipped: it does not start by itself again. */
  tourDismissed: boolean;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  theme: 'system',
  workerCount: null,
  memoryBudgetMiB: 2048,
  downloadDir: null,
  defaultSeed: null,
  tourDismissed: false,
});

/** The ranges the numbers must fall in; the worker maximum depends on the machine. */
export const PREF_LIMITS = {
  workerCount: { min: 1, max: 64 },
  /** Below 64 MiB even the bundled digits would be refused; 1 TiB is beyond any machine here. */
  memoryBudgetMiB: { min: 64, max: 1024 * 1024 },
  /** scikit-learn's random_state range (numpy's seed is a 32-bit unsigned integer). */
  defaultSeed: { min: 0, max: 2 ** 32 - 1 },
} as const;

export type PreferenceErrors = Partial<Record<keyof Preferences, string>>;

export interface ValidatedPreferences {
  /** The valid part of the change, normalised (trimmed paths, integers). */
  patch: Partial<Preferences>;
  /** One message per refused field, naming the rule. */
  errors: PreferenceErrors;
}

export interface PreferenceContext {
  /** The most workers this machine may run (its core count). */
  maxWorkers?: number;
}

const KEYS = Object.keys(DEFAULT_PREFERENCES) as Array<keyof Preferences>;

/** `C:\…`, `\\server\share\…` or `/…`: the backend resolves nothing relative to its own folder. */
function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function intInRange(value: unknown, min: number, max: number, what: string): number | string {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) return `${what} must be a whole number`;
  if (n < min || n > max) return `${what} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`;
  return n;
}

/**
 * Checks a change to the preferences (any subset of the fields). Unknown fields are refused by
 * name, so a typo never silently does nothing; numbers may come as numeric strings (form fields).
 */
export function validatePreferences(change: unknown, ctx: PreferenceContext = {}): ValidatedPreferences {
  const patch: Partial<Preferences> = {};
  const errors: PreferenceErrors & Record<string, string> = {};
  if (!change || typeof change !== 'object' || Array.isArray(change)) {
    return { patch, errors: { theme: 'expected an object of preferences' } };
  }
  const maxWorkers = Math.min(PREF_LIMITS.workerCount.max, Math.max(1, ctx.maxWorkers ?? PREF_LIMITS.workerCount.max));
  for (const [key, value] of Object.entries(change)) {
    switch (key as keyof Preferences) {
      case 'theme':
        if (THEME_CHOICES.includes(value as ThemeChoice)) patch.theme = value as ThemeChoice;
        else errors.theme = `theme must be one of ${THEME_CHOICES.join(', ')}`;
        break;
      case 'workerCount': {
        if (value === null || value === '') {
          patch.workerCount = null;
          break;
        }
        const n = intInRange(value, PREF_LIMITS.workerCount.min, maxWorkers, 'The worker count');
        if (typeof n === 'number') patch.workerCount = n;
        else errors.workerCount = `${n} (this machine has ${maxWorkers} core${maxWorkers === 1 ? '' : 's'})`;
        break;
      }
      case 'memoryBudgetMiB': {
        const n = intInRange(value, PREF_LIMITS.memoryBudgetMiB.min, PREF_LIMITS.memoryBudgetMiB.max, 'The memory budget (MiB)');
        if (typeof n === 'number') patch.memoryBudgetMiB = n;
        else errors.memoryBudgetMiB = n;
        break;
      }
      case 'downloadDir': {
        if (value === null || (typeof value === 'string' && value.trim() === '')) {
          patch.downloadDir = null;
          break;
        }
        if (typeof value !== 'string') errors.downloadDir = 'The download folder must be a path';
        else if (value.includes('\0')) errors.downloadDir = 'The download folder cannot contain NUL characters';
        else if (!isAbsolutePath(value.trim())) errors.downloadDir = 'The download folder must be a full path (starting with / or a drive letter)';
        else patch.downloadDir = value.trim();
        break;
      }
      case 'defaultSeed': {
        if (value === null || value === '') {
          patch.defaultSeed = null;
          break;
        }
        const n = intInRange(value, PREF_LIMITS.defaultSeed.min, PREF_LIMITS.defaultSeed.max, 'The default seed');
        if (typeof n === 'number') patch.defaultSeed = n;
        else errors.defaultSeed = n;
        break;
      }
      case 'tourDismissed':
        if (typeof value === 'boolean') patch.tourDismissed = value;
        else errors.tourDismissed = 'tourDismissed must be true or false';
        break;
      default:
        errors[key] = `'${key}' is not a preference (known: ${KEYS.join(', ')})`;
    }
  }
  return { patch, errors };
}

/**
 * The preferences a settings file holds: every valid stored value, the default for anything
 * missing or damaged (a hand-edited file never stops the app from starting).
 */
export function readPreferences(stored: unknown, ctx: PreferenceContext = {}): Preferences {
  const out: Preferences = { ...DEFAULT_PREFERENCES };
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return out;
  const known = Object.fromEntries(Object.entries(stored).filter(([k]) => (KEYS as string[]).includes(k)));
  for (const [key, value] of Object.entries(known)) {
    const { patch } = validatePreferences({ [key]: value }, ctx);
    Object.assign(out, patch);
  }
  return out;
}

/** The first message of a refused change, for an error thrown to the caller. */
export function describePreferenceErrors(errors: PreferenceErrors): string | null {
  const messages = Object.values(errors).filter((m): m is string => typeof m === 'string');
  return messages.length ? messages.join('; ') : null;
}
