/**
 * Image datasets for the backend: which folders may be read (a folder granted by a dialog or a
 * drop, an uploaded folder, or — in the browser host — a path typed inside the allowed root),
 * the preview of a folder, and the import as a worker job whose result is saved as a dataset
 * with a name and a thumbnail per row. The samples (Olivetti faces, MNIST, digits) run the same
 * way, downloading their files on first use.
 */
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve, sep } from 'node:path';
import { ApiError } from '../../../shared/api';
import type { DatasetSummary, JobInfo } from '../../../shared/dto';
import type {
  FolderRef,
  ImageFileSpec,
  ImageFolderPreview,
  ImageImportReport,
  ImageImportRequest,
  ImageProblem,
  ImageSetResult,
  LabelSource,
  SampleId,
  SampleInfo,
  SampleTask,
} from '../../../shared/images';
import type { WorkerTask } from '../../../shared/jobs';
import { encodeLabels } from '../labels';
import type { JobRunner } from '../jobs/runner';
import { addItems } from '../store/items-repo';
import type { ProjectStore } from '../store/project-store';
import { DEFAULT_MAX_PIXELS } from '../importers/pgm';
import { readImageHeader } from './formats';
import { FolderError, labelsFromCsv, listImageFolder, unmatchedCsvRows, type FolderListing } from './folder';
import { FolderUploads } from './uploads';
import { SAMPLES, sampleInfo } from './samples';
import { MNIST_FILES, OLIVETTI_MAT, downloadBase, downloadSpec, type CatalogEntry } from '../downloads/catalog';

export interface ImageSetsDeps {
  runner: JobRunner;
  /** The open project (throws when none is open). */
  requireStore(): ProjectStore;
  /** The open project now, to check that a job's project is still the open one when it ends. */
  currentStore(): ProjectStore | null;
  /** True for a path the person chose in a dialog or dropped on the window. */
  isGranted(path: string): boolean;
  /**
   * Where a typed folder path may lie (the browser host running locally: the home folder); null
   * when folders come only from a dialog, a drop or an upload.
   */
  folderRoot: string | null;
  /** Where uploaded folders are written. */
  uploadsDir: string;
  /** The memory budget of an import, in bytes. */
  budgetBytes(): number;
  /** The open project, or a new untitled one when none is open (the samples open anywhere). */
  ensureStore(): Promise<ProjectStore>;
  /** Where downloaded files are kept (the preference, or downloads/ in the data folder). */
  downloadsDir(): string;
  /** Bundled data (resources/): the 8×8 digits. */
  resourcesDir: string;
}

/** Headers read for a preview at most; a larger folder's sizes come from an even sample. */
const PREVIEW_HEADERS = 20_000;
/** Finished imports whose report is kept for the dialog. */
const REPORTS_KEPT = 50;

export class ImageSets {
  readonly uploads: FolderUploads;
  private readonly reports = new Map<string, ImageImportReport>();

  constructor(private readonly deps: ImageSetsDeps) {
    this.uploads = new FolderUploads(deps.uploadsDir);
  }

  /** The folder a reference names, if the renderer may read it. */
  async resolveFolder(ref: FolderRef): Promise<{ path: string; name: string }> {
    if (!ref || typeof ref !== 'object') throw new ApiError('expected a folder reference', 'bad-input');
    if (ref.kind === 'upload') {
      const f = typeof ref.id === 'string' ? this.uploads.resolve(ref.id) : undefined;
      if (!f) throw new ApiError('That uploaded folder is no longer available; choose it again', 'bad-input');
      return f;
    }
    if (ref.kind !== 'path' || typeof ref.path !== 'string' || !ref.path.trim()) throw new ApiError('expected a folder reference', 'bad-input');
    if (ref.path.includes('\0')) throw new ApiError('A folder path cannot contain NUL characters', 'bad-input');
    const given = ref.path.trim();
    if (this.deps.isGranted(resolve(given))) return { path: resolve(given), name: basename(resolve(given)) };
    const root = this.deps.folderRoot;
    if (!root) throw new ApiError('Choose the folder in the Open Folder dialog first', 'forbidden');
    if (!isAbsolute(given)) throw new ApiError(`Give the folder's full path (inside ${root})`, 'bad-input');
    // Links are resolved first: a path inside the root that leads outside it is outside it.
    let real: string, realRoot: string;
    try {
      realRoot = await realpath(root);
      real = await realpath(given);
    } catch {
      throw new ApiError(`${given}: no such folder`, 'not-found');
    }
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new ApiError(`Only folders inside ${root} can be opened by path here; upload the folder instead`, 'forbidden');
    }
    if (!(await stat(real)).isDirectory()) throw new ApiError(`${given} is a file, not a folder`, 'bad-input');
    return { path: real, name: basename(real) };
  }

  private async list(ref: FolderRef): Promise<{ folder: { path: string; name: string }; listing: FolderListing }> {
    const folder = await this.resolveFolder(ref);
    try {
      return { folder, listing: await listImageFolder(folder.path) };
    } catch (e) {
      if (e instanceof FolderError) throw new ApiError(e.message, 'bad-input');
      throw e;
    }
  }

  /** What the folder holds: image count, sizes (from the headers), label sources. */
  async inspect(ref: FolderRef): Promise<ImageFolderPreview> {
    const { folder, listing } = await this.list(ref);
    const images = listing.images;
    const step = Math.max(1, images.length / PREVIEW_HEADERS);
    const sample = images.length <= PREVIEW_HEADERS ? images : Array.from({ length: PREVIEW_HEADERS }, (_, i) => images[Math.floor(i * step)]);
    const problems: ImageProblem[] = [...listing.problems];
    const sizes = new Map<string, { width: number; height: number; count: number }>();
    let anyColour = false;
    await forEachLimited(sample, 16, async (img) => {
      try {
        const h = await readImageHeader(img.path, img.name);
        const key = `${h.width}x${h.height}`;
        const s = sizes.get(key) ?? { width: h.width, height: h.height, count: 0 };
        s.count++;
        sizes.set(key, s);
        if (h.colour !== false) anyColour ||= h.colour === true;
      } catch (e) {
        problems.push({ file: img.name, reason: reasonOf(e, img.name) });
      }
    });
    const inFolders = images.filter((i) => i.folderLabel !== null);
    const folderLabels = inFolders.length ? { classes: new Set(inFolders.map((i) => i.folderLabel)).size, labeled: inFolders.length } : null;
    let csvLabels: ImageFolderPreview['csvLabels'] = null;
    if (listing.labelsCsv) {
      const labels = labelsFromCsv(images, listing.labelsCsv).filter((l): l is string => l !== null);
      csvLabels = {
        file: listing.labelsCsv.file,
        column: listing.labelsCsv.labelColumn,
        classes: new Set(labels).size,
        labeled: labels.length,
        unmatchedRows: unmatchedCsvRows(images, listing.labelsCsv),
      };
    }
    const suggestedLabels: LabelSource = csvLabels && csvLabels.labeled > 0 ? 'csv' : folderLabels && folderLabels.classes >= 2 ? 'folders' : 'none';
    return {
      folder: ref,
      name: folder.name,
      nImages: images.length,
      ignored: listing.ignored,
      sizes: [...sizes.values()].sort((a, b) => b.count - a.count || b.width * b.height - a.width * a.height),
      sizesFrom: sample.length,
      anyColour,
      problems: problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
      folderLabels,
      csvLabels,
      csvError: listing.labelsCsvError,
      suggestedLabels,
    };
  }

  /** Starts the import of a folder as a job; the dataset is saved when it ends. */
  async startImport(req: ImageImportRequest): Promise<JobInfo> {
    const store = this.deps.requireStore();
    if (!req || typeof req !== 'object') throw new ApiError('expected an image import request', 'bad-input');
    const opts = checkRequest(req);
    const { folder, listing } = await this.list(req.folder);
    if (listing.images.length === 0) throw new ApiError(`${folder.name} holds no images (.png, .jpg, .jpeg, .webp, .pgm, .bmp)`, 'bad-input');
    const { files, unlabeled, labelName } = this.labelled(listing, opts.labels);
    if (files.length === 0) throw new ApiError(`None of the ${listing.images.length} images has a label from ${opts.labels === 'csv' ? 'labels.csv' : 'a sub-folder'}; import without labels`, 'bad-input');
    const name = (typeof req.name === 'string' && req.name.trim()) || folder.name;
    const task: WorkerTask = {
      kind: 'images',
      files,
      size: opts.size,
      colour: opts.colour,
      resize: opts.resize,
      maxPixels: DEFAULT_MAX_PIXELS,
      maxBytes: this.deps.budgetBytes(),
      labelName,
    };
    return this.startJob(store, task, `Importing images from ${folder.name}`, { name, source: `images:${folder.name}`, preSkipped: unlabeled });
  }

  /** The ground truth of each image from the chosen source; images without one are left out. */
  private labelled(listing: FolderListing, source: LabelSource): { files: ImageFileSpec[]; unlabeled: ImageProblem[]; labelName: string | null } {
    const images = listing.images;
    if (source === 'none') return { files: images.map((i) => ({ path: i.path, name: i.name, label: null })), unlabeled: [], labelName: null };
    let labels: Array<string | null>;
    let why: string;
    let labelName: string;
    if (source === 'csv') {
      if (!listing.labelsCsv) throw new ApiError(listing.labelsCsvError ?? 'The folder has no labels.csv', 'bad-input');
      labels = labelsFromCsv(images, listing.labelsCsv);
      why = `not listed in ${listing.labelsCsv.file}`;
      labelName = listing.labelsCsv.labelColumn;
    } else {
      labels = images.map((i) => i.folderLabel);
      why = 'not in a sub-folder, so it has no label';
      labelName = 'folder';
    }
    const files: ImageFileSpec[] = [];
    const unlabeled: ImageProblem[] = [];
    images.forEach((img, i) => {
      if (labels[i] === null) unlabeled.push({ file: img.name, reason: why });
      else files.push({ path: img.path, name: img.name, label: labels[i] });
    });
    return { files, unlabeled, labelName };
  }

  /** Runs a task that builds an image dataset, and saves its result (matrix, labels, items) in one transaction. */
  startJob(store: ProjectStore, task: WorkerTask, title: string, meta: { name: string; source?: string; preSkipped?: ImageProblem[] }): JobInfo {
    if (store.readOnly) throw new ApiError('This project is open read-only: use Save As first', 'read-only');
    const info: { job: JobInfo | null } = { job: null };
    const job = this.deps.runner.start({
      kind: `images:${task.kind === 'images' ? 'import' : 'sample'}`,
      title,
      task,
      onResult: (result) => {
        if (this.deps.currentStore() !== store) throw new Error('the project was closed while the images were read');
        const r = result as ImageSetResult;
        const dataset = saveImageSet(store, r, meta.name, meta.source ?? r.source);
        this.keepReport({
          jobId: info.job!.id,
          dataset,
          width: r.width,
          height: r.height,
          channels: r.channels,
          imported: r.X.rows,
          resized: r.resized,
          skipped: [...(meta.preSkipped ?? []), ...r.skipped],
          scale: r.scale,
        });
        return {};
      },
    });
    info.job = job;
    return job;
  }

  /** The samples, with what each still has to download. */
  samples(): SampleInfo[] {
    const dir = this.deps.downloadsDir();
    return SAMPLES.map((s) => ({ ...s, downloadBytes: sampleFiles(s.id).filter((e) => !existsSync(join(dir, e.file))).reduce((n, e) => n + e.bytes, 0) }));
  }

  /** Builds a sample dataset in the open project (a new one when none is open), downloading its files on first use. */
  async openSample(id: SampleId): Promise<JobInfo> {
    if (!SAMPLES.some((s) => s.id === id)) throw new ApiError(`unknown sample '${String(id)}'; choose one of ${SAMPLES.map((s) => s.id).join(', ')}`, 'bad-input');
    const info = sampleInfo(id);
    const store = await this.deps.ensureStore();
    const base = downloadBase();
    const task: SampleTask = {
      kind: 'sample',
      sample: id,
      downloadsDir: this.deps.downloadsDir(),
      downloads: sampleFiles(id).map((e) => downloadSpec(e, base)),
      resourcesDir: this.deps.resourcesDir,
    };
    return this.startJob(store, task, `Opening the ${info.title} sample`, { name: info.title, source: `sample:${id}` });
  }

  /** The outcome of a finished import or sample job (the dataset, what was left out), or null. */
  report(jobId: string): ImageImportReport | null {
    if (typeof jobId !== 'string') throw new ApiError('expected a job id', 'bad-input');
    return this.reports.get(jobId) ?? null;
  }

  private keepReport(r: ImageImportReport): void {
    this.reports.set(r.jobId, r);
    for (const key of this.reports.keys()) {
      if (this.reports.size <= REPORTS_KEPT) break;
      this.reports.delete(key);
    }
  }

  dispose(): void {
    this.uploads.clear();
  }
}

/** Saves the dataset and its items together: a dataset never exists without its thumbnails. */
export function saveImageSet(store: ProjectStore, r: ImageSetResult, name: string, source: string): DatasetSummary {
  const enc = r.labels ? encodeLabels(r.labels) : null;
  return store.transaction(() => {
    const ds = store.addDataset({
      name,
      source,
      X: r.X,
      featureNames: r.featureNames,
      labelName: r.labels ? r.labelName : null,
      labelClasses: enc?.classes ?? null,
      labels: enc?.codes ?? null,
    });
    const o = r.thumbnailOffsets;
    addItems(
      store,
      ds.id,
      r.names.map((n, i) => ({ name: n, thumbnail: o[i + 1] > o[i] ? r.thumbnails.subarray(o[i], o[i + 1]) : null })),
    );
    return ds;
  });
}

/** The files a sample downloads. */
function sampleFiles(id: SampleId): CatalogEntry[] {
  if (id === 'olivetti') return [OLIVETTI_MAT];
  if (id === 'mnist') return [MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels];
  return [];
}

interface CheckedRequest {
  size: { width: number; height: number } | null;
  colour: 'grayscale' | 'rgb';
  resize: 'stretch' | 'crop';
  labels: LabelSource;
}

/** The largest side a dataset image may have (a 1024×1024 gray image is a million features). */
export const MAX_SIDE = 1024;

function checkRequest(req: ImageImportRequest): CheckedRequest {
  const { width, height } = req;
  let size: CheckedRequest['size'] = null;
  if (width !== undefined || height !== undefined) {
    for (const [what, v] of [['width', width], ['height', height]] as const) {
      if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_SIDE)) {
        throw new ApiError(`The ${what} must be a whole number of pixels from 1 to ${MAX_SIDE}, got ${String(v)}`, 'bad-input');
      }
    }
    size = { width: width as number, height: height as number };
  }
  const colour = req.colour ?? 'grayscale';
  if (colour !== 'grayscale' && colour !== 'rgb') throw new ApiError(`colour must be grayscale or rgb, got ${String(colour)}`, 'bad-input');
  const resize = req.resize ?? 'stretch';
  if (resize !== 'stretch' && resize !== 'crop') throw new ApiError(`resize must be stretch or crop, got ${String(resize)}`, 'bad-input');
  const labels = req.labels ?? 'none';
  if (labels !== 'folders' && labels !== 'csv' && labels !== 'none') throw new ApiError(`labels must be folders, csv or none, got ${String(labels)}`, 'bad-input');
  return { size, colour, resize, labels };
}

function reasonOf(e: unknown, file: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.startsWith(`${file}: `) ? m.slice(file.length + 2) : m;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
