/**
 * What a folder of images holds: its image files (by extension, hidden files and folders left
 * out), in natural order of their path inside the folder, and where ground-truth labels could
 * come from — the first-level sub-folder of each file, or a `labels.csv` (columns file and
 * label) at the top of the folder.
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { parse } from 'csv-parse/sync';
import { LABELS_FILE } from '../../../shared/images';
import { IMAGE_EXTENSIONS } from './formats';

export interface FolderImage {
  /** Absolute path. */
  path: string;
  /** The path inside the folder, with '/' separators: the name the dataset keeps for the row. */
  name: string;
  /** The first-level sub-folder it lies in, or null for a file at the top. */
  folderLabel: string | null;
}

export interface LabelsCsv {
  /** The file's name inside the folder. */
  file: string;
  fileColumn: string;
  labelColumn: string;
  /** Label by file name as the CSV writes it (a path inside the folder, or a bare name). */
  labels: Map<string, string>;
}

export interface FolderListing {
  root: string;
  images: FolderImage[];
  /** Files that are not images by their extension (labels.csv excluded). */
  ignored: number;
  /** Entries left out with the reason (links leading out of the folder, unreadable sub-folders). */
  problems: Array<{ file: string; reason: string }>;
  labelsCsv: LabelsCsv | null;
  /** Why labels.csv could not be used, when there is one. */
  labelsCsvError: string | null;
}

export const LABELS_CSV = LABELS_FILE;
/** Folders deeper than this are not entered (a link loop, or not a dataset). */
const MAX_DEPTH = 12;

export class FolderError extends Error {
  override name = 'FolderError';
}

/**
 * Lists the images under `root`. Links are followed only when they lead to somewhere inside the
 * folder; more than `maxFiles` images is refused with a message.
 */
export async function listImageFolder(root: string, opts: { maxFiles?: number; labelColumn?: string } = {}): Promise<FolderListing> {
  const maxFiles = opts.maxFiles ?? 250_000;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) throw new FolderError(`${root} is a file, not a folder`);
  } catch (e) {
    if (e instanceof FolderError) throw e;
    throw new FolderError(`${root}: ${describeFsError(e)}`);
  }
  const images: FolderImage[] = [];
  const problems: FolderListing['problems'] = [];
  const visited = new Set<string>([realRoot]);
  let ignored = 0;
  let labelsCsvPath: string | null = null;

  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: nameOf(realRoot, dir) || '.', reason: `the folder cannot be read (${describeFsError(e)})` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory(), isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => null);
        const inside = target !== null && (target === realRoot || target.startsWith(realRoot + sep));
        if (!inside) {
          problems.push({ file: nameOf(realRoot, path), reason: target === null ? 'a broken link' : 'a link to outside the folder' });
          continue;
        }
        const st = await stat(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir && visited.has(target)) continue;
        if (isDir) visited.add(target);
      }
      if (isDir) {
        if (depth >= MAX_DEPTH) problems.push({ file: nameOf(realRoot, path), reason: `deeper than ${MAX_DEPTH} folders: not entered` });
        else await walk(path, depth + 1);
      } else if (isFile) {
        if (depth === 0 && entry.name.toLowerCase() === LABELS_CSV) labelsCsvPath = path;
        else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
          if (images.length >= maxFiles) throw new FolderError(`The folder holds more than ${maxFiles.toLocaleString('en-US')} images; choose a smaller folder`);
          const name = nameOf(realRoot, path);
          const slash = name.indexOf('/');
          images.push({ path, name, folderLabel: slash > 0 ? name.slice(0, slash) : null });
        } else ignored++;
      }
    }
  };
  await walk(realRoot, 0);
  images.sort((a, b) => naturalCompare(a.name, b.name));

  let labelsCsv: LabelsCsv | null = null;
  let labelsCsvError: string | null = null;
  if (labelsCsvPath) {
    try {
      labelsCsv = parseLabelsCsv(await readFile(labelsCsvPath, 'utf8'), nameOf(realRoot, labelsCsvPath), opts.labelColumn);
    } catch (e) {
      labelsCsvError = (e as Error).message;
    }
  }
  return { root: realRoot, images, ignored, problems, labelsCsv, labelsCsvError };
}

const FILE_COLUMNS = ['file', 'filename', 'file_name', 'path', 'image', 'name'];

/**
 * A labels CSV: a header naming a file column (file, filename, path, image or name) and a label
 * column (`label`, or else the first other column); or, without a header, two columns.
 */
export function parseLabelsCsv(text: string, file: string, column?: string): LabelsCsv {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, delimiter: [',', ';', '\t'] }) as string[][];
  } catch (e) {
    throw new Error(`${file}: not a readable CSV (${(e as Error).message})`, { cause: e });
  }
  if (rows.length === 0) throw new Error(`${file} is empty`);
  const header = rows[0].map((h) => h.toLowerCase());
  let fileCol = header.findIndex((h) => FILE_COLUMNS.includes(h));
  let labelCol: number;
  let body = rows.slice(1);
  let names: [string, string];
  if (fileCol >= 0) {
    if (column !== undefined) {
      labelCol = rows[0].indexOf(column);
      if (labelCol < 0 || labelCol === fileCol) throw new Error(`${file} has no label column ${JSON.stringify(column)} (columns: ${rows[0].join(', ')})`);
    } else {
      labelCol = header.indexOf('label');
      if (labelCol < 0) labelCol = header.findIndex((_, i) => i !== fileCol);
    }
    if (labelCol < 0) throw new Error(`${file} has a ${rows[0][fileCol]} column but no label column`);
    names = [rows[0][fileCol], rows[0][labelCol]];
  } else if (IMAGE_EXTENSIONS.has(extname(rows[0][0] ?? '').toLowerCase()) && rows[0].length >= 2) {
    fileCol = 0;
    labelCol = 1;
    body = rows;
    names = ['file', 'label'];
  } else {
    throw new Error(`${file} needs a header with a file column (${FILE_COLUMNS.join(', ')}) and a label column`);
  }
  const labels = new Map<string, string>();
  for (const [i, r] of body.entries()) {
    const name = normalizeName(r[fileCol] ?? '');
    const label = r[labelCol] ?? '';
    if (!name) continue;
    if (label === '') throw new Error(`${file}, row ${i + 2}: ${name} has an empty label`);
    const before = labels.get(name);
    if (before !== undefined && before !== label) throw new Error(`${file}: ${name} is labeled both ${before} and ${label}`);
    labels.set(name, label);
  }
  if (labels.size === 0) throw new Error(`${file} lists no files`);
  return { file, fileColumn: names[0], labelColumn: names[1], labels };
}

/** The label of each image from labels.csv (by its path in the folder, else by its bare name), or null. */
export function labelsFromCsv(images: readonly FolderImage[], csv: LabelsCsv): Array<string | null> {
  const byBase = new Map<string, string | null>();
  for (const [name, label] of csv.labels) {
    const base = name.slice(name.lastIndexOf('/') + 1);
    // A bare name written twice with different labels cannot be resolved by name alone.
    byBase.set(base, byBase.has(base) && byBase.get(base) !== label ? null : label);
  }
  return images.map((img) => csv.labels.get(img.name) ?? byBase.get(img.name.slice(img.name.lastIndexOf('/') + 1)) ?? null);
}

/** CSV rows that name no image of the folder. */
export function unmatchedCsvRows(images: readonly FolderImage[], csv: LabelsCsv): number {
  const names = new Set(images.map((i) => i.name));
  const bases = new Set(images.map((i) => i.name.slice(i.name.lastIndexOf('/') + 1)));
  let n = 0;
  for (const name of csv.labels.keys()) if (!names.has(name) && !bases.has(name.slice(name.lastIndexOf('/') + 1))) n++;
  return n;
}

function normalizeName(s: string): string {
  return s.replace(/\\/g, '/').replace(/^\.\//, '');
}

function nameOf(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a folder';
  return (e as Error).message ?? String(e);
}

/** Orders names as people do: runs of digits by their value ("img2" before "img10"). */
export function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [], rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i], y = rb[i];
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57, dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const nx = x.replace(/^0+/, ''), ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      if (x.length !== y.length) return x.length - y.length;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return ra.length - rb.length || (a < b ? -1 : a > b ? 1 : 0);
}
