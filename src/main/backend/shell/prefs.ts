/**
 * The preferences service: the person's preferences (src/shared/prefs.ts) kept in the settings
 * file, every change validated, and applied where it acts — the worker pool's size at once, the
 * memory budget at the next import, the download folder at the next download.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../../../shared/api';
import { describePreferenceErrors, readPreferences, validatePreferences, type Preferences } from '../../../shared/prefs';
import { MIB } from '../importers/budget';
import type { SettingsStore } from '../settings';

export interface PrefsHooks {
  /** Runs the pool at this many workers; null is the host's own default. */
  resizePool(workers: number | null): void;
  /** Tells the windows (the `prefs:changed` event). */
  changed(prefs: Preferences): void;
}

/** Creates the folder when needed and checks that files can be written into it. */
function checkWritableFolder(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return `The download folder ${dir} cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `The download folder ${dir} is not writable`;
  }
  return null;
}

export class PrefsService {
  /**
   * @param dataDir the app's data folder (the default download folder is inside it)
   * @param maxWorkers the most workers the machine may run (its core count)
   */
  constructor(
    private readonly settings: SettingsStore,
    private readonly dataDir: string,
    private readonly maxWorkers: number,
    private readonly hooks: PrefsHooks,
  ) {}

  get(): Preferences {
    return readPreferences(this.settings.get().preferences, { maxWorkers: this.maxWorkers });
  }

  /** Validates and stores a change, then applies it; throws `bad-input` naming every refused field. */
  set(change: unknown): Preferences {
    const { patch, errors } = validatePreferences(change, { maxWorkers: this.maxWorkers });
    const refused = describePreferenceErrors(errors);
    if (refused) throw new ApiError(refused, 'bad-input');
    if (patch.downloadDir) {
      patch.downloadDir = resolve(patch.downloadDir);
      const problem = checkWritableFolder(patch.downloadDir);
      if (problem) throw new ApiError(problem, 'bad-input');
    }
    const before = this.get();
    const next: Preferences = { ...before, ...patch };
    this.settings.update((s) => (s.preferences = { ...next }));
    if ('workerCount' in patch && patch.workerCount !== before.workerCount) this.hooks.resizePool(next.workerCount);
    this.hooks.changed(next);
    return next;
  }

  /** What an import may allocate, for the importers' `budgetBytes`. */
  budgetBytes(): number {
    return this.get().memoryBudgetMiB * MIB;
  }

  /** Where downloads go (created when first needed by the downloader). */
  downloadDir(): string {
    return this.get().downloadDir ?? join(this.dataDir, 'downloads');
  }
}
