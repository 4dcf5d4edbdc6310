/**
 * What every data command shares: the data options (label column, .npy labels, how a folder of
 * images becomes a matrix), loading with progress on stderr, and the per-file fields of the JSON
 * output for image folders.
 */
import type { OptionSpec } from './args';
import { UsageError } from './args';
import { MIB } from '../backend/importers/budget';
import { loadData, type LoadedData, type LoadOptions } from './data';

/** How a folder of images becomes a matrix (ignored for tables). */
export const IMAGE_OPTIONS: OptionSpec[] = [
  { flag: '--image-size', type: 'string', help: 'folder of images: the size every image is brought to, WIDTHxHEIGHT (default: the most common size)' },
  { flag: '--colour', type: 'string', choices: ['grayscale', 'rgb'], help: 'folder of images: one value per pixel, or red, green, blue (default grayscale)' },
  { flag: '--resize', type: 'string', choices: ['stretch', 'crop'], help: 'folder of images: how other sizes are fitted (default stretch)' },
];

export const COMMON: OptionSpec[] = [
  {
    flag: '--label-column',
    type: 'string',
    help: "CSV column holding ground-truth labels (excluded from the features; enables ari/nmi); for a folder of images, a column of its labels.csv or 'folder' for the sub-folder names",
  },
  { flag: '--labels', type: 'string', help: '.npy file of ground-truth labels for .npy data' },
  ...IMAGE_OPTIONS,
  {
    flag: '--memory-budget-mib',
    type: 'number',
    help: 'CSV and .npy: the most memory the table may take, in MiB; a file over it is refused before it is loaded (default 2048)',
  },
  { flag: '--json', type: 'flag', help: 'print one JSON object (the default output format; the flag is accepted for clarity)' },
  { flag: '--quiet', type: 'flag', help: 'no progress on stderr' },
];

export function progressReporter(quiet: boolean, what?: string): ((f: number, m?: string) => void) | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let last = -1;
  return (f, m) => {
    const pct = Math.floor(f * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r${what ?? m ?? 'working'} ${pct}%   `);
    if (f >= 1) process.stderr.write('\r\x1b[K');
  };
}

/** `--memory-budget-mib` in bytes, or undefined for the importers' default. */
export function budgetBytesOf(options: Record<string, unknown>): number | undefined {
  const mib = options.memoryBudgetMib as number | undefined;
  if (mib === undefined) return undefined;
  if (!(mib > 0)) throw new UsageError(`--memory-budget-mib must be a positive number, got ${mib}`);
  return mib * MIB;
}

/** The options of the COMMON set, as loadData takes them. */
export function loadOptions(options: Record<string, unknown>): LoadOptions {
  return {
    budgetBytes: budgetBytesOf(options),
    labelColumn: options.labelColumn as string | undefined,
    labels: options.labels as string | undefined,
    imageSize: options.imageSize as string | undefined,
    colour: options.colour as string | undefined,
    resize: options.resize as string | undefined,
    onProgress: progressReporter(Boolean(options.quiet), 'reading images'),
  };
}

/** Keys of the COMMON options: never hyperparameters. */
export const COMMON_KEYS: ReadonlySet<string> = new Set(['labelColumn', 'labels', 'json', 'quiet', 'imageSize', 'colour', 'resize', 'memoryBudgetMib']);

/** For a folder of images, the file of each row (and those left out), for the JSON output. */
export function fileFields(data: LoadedData): Record<string, unknown> {
  return data.files ? { files: data.files, ...(data.skipped?.length ? { skipped: data.skipped } : {}) } : {};
}

export function loadFrom(positional: string | undefined, options: Record<string, unknown>, synopsis: string): Promise<LoadedData> {
  if (!positional) throw new UsageError(`usage: clusterscope ${synopsis}`);
  return loadData(positional, loadOptions(options));
}

