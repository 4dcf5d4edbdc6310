import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, describePreferenceErrors, readPreferences, validatePreferences } from '../../../../src/shared/prefs';

describe('validatePreferences', () => {
  it('accepts every valid field, numbers also as the text of a form field', () => {
    const v = validatePreferences({ theme: 'dark', workerCount: '3', memoryBudgetMiB: 512, downloadDir: ' /data/downloads ', defaultSeed: '42', tourDismissed: true }, { maxWorkers: 4 });
    expect(v.errors).toEqual({});
    expect(v.patch).toEqual({ theme: 'dark', workerCount: 3, memoryBudgetMiB: 512, downloadDir: '/data/downloads', defaultSeed: 42, tourDismissed: true });
  });

  it('takes empty or null as "automatic" / "none" where there is a default', () => {
    expect(validatePreferences({ workerCount: '', downloadDir: '', defaultSeed: '' }).patch).toEqual({ workerCount: null, downloadDir: null, defaultSeed: null });
    expect(validatePreferences({ workerCount: null, downloadDir: null, defaultSeed: null }).patch).toEqual({ workerCount: null, downloadDir: null, defaultSeed: null });
  });

  it('refuses each bad field with a message naming the rule, and keeps the good ones', () => {
    const v = validatePreferences({ theme: 'sepia', workerCount: 9, memoryBudgetMiB: 63, downloadDir: 'downloads', defaultSeed: 2 ** 32, tourDismissed: 'yes', colour: 'red' }, { maxWorkers: 8 });
    expect(v.patch).toEqual({});
    expect(v.errors).toEqual({
      theme: 'theme must be one of system, light, dark',
      workerCount: 'The worker count must be between 1 and 8 (this machine has 8 cores)',
      memoryBudgetMiB: 'The memory budget (MiB) must be between 64 and 1,048,576',
      downloadDir: 'The download folder must be a full path (starting with / or a drive letter)',
      defaultSeed: 'The default seed must be between 0 and 4,294,967,295',
      tourDismissed: 'tourDismissed must be true or false',
      colour: "'colour' is not a preference (known: theme, workerCount, memoryBudgetMiB, downloadDir, defaultSeed, tourDismissed)",
    });
    expect(validatePreferences({ defaultSeed: 1.5, memoryBudgetMiB: 'lots' }).errors).toEqual({
      defaultSeed: 'The default seed must be a whole number',
      memoryBudgetMiB: 'The memory budget (MiB) must be a whole number',
    });
    expect(describePreferenceErrors(validatePreferences({ defaultSeed: -1, theme: 'x' }).errors)).toMatch(/^The default seed .*; theme must be/);
    expect(describePreferenceErrors({})).toBeNull();
  });

  it('accepts Windows paths as full paths', () => {
    expect(validatePreferences({ downloadDir: 'C:\\Users\\me\\Downloads' }).patch.downloadDir).toBe('C:\\Users\\me\\Downloads');
    expect(validatePreferences({ downloadDir: '\\\\server\\share' }).errors).toEqual({});
    expect(validatePreferences({ downloadDir: 'C:relative' }).errors.downloadDir).toMatch(/full path/);
  });

  it('refuses something that is not an object of preferences', () => {
    for (const bad of [null, 'dark', [1], 3]) expect(Object.keys(validatePreferences(bad).errors)).not.toHaveLength(0);
  });
});

describe('readPreferences', () => {
  it('fills what is missing with defaults and drops what is damaged or unknown', () => {
    expect(readPreferences(undefined)).toEqual(DEFAULT_PREFERENCES);
    expect(readPreferences({ theme: 'light', memoryBudgetMiB: -5, defaultSeed: 7, junk: 1 })).toEqual({ ...DEFAULT_PREFERENCES, theme: 'light', defaultSeed: 7 });
    // A worker count beyond this machine's cores (settings copied from a bigger one) is automatic here.
    expect(readPreferences({ workerCount: 16 }, { maxWorkers: 4 }).workerCount).toBeNull();
  });
});
