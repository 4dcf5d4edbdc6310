/**
 * The image dialog's state: a folder (uploaded from the browser, chosen in the desktop app's
 * folder dialog, or typed as a path where the host allows it) previewed and imported as a job,
 * or a sample opened as a job; progress from the job's events, then the report with the files
 * left out and the first thumbnails. Every failure is kept in `error` with the backend's message.
 */
import type { ClientApi } from '../../../../shared/api';
import type { DatasetSummary, JobInfo } from '../../../../shared/dto';
import {
  FOLDER_UPLOAD_MAGIC,
  IMAGE_FILE_EXTENSIONS,
  LABELS_FILE,
  folderUploadRecord,
  type ColourMode,
  type FolderRef,
  type ImageFolderPreview,
  type ImageImportReport,
  type LabelSource,
  type ResizeMode,
  type SampleId,
  type SampleInfo,
} from '../../../../shared/images';
import { errorMessage } from '../../lib/format';

export type ImagePhase = 'choose' | 'uploading' | 'inspecting' | 'preview' | 'running' | 'done';

/** Thumbnails shown with the report. */
const REPORT_THUMBNAILS = 24;

/** A file of a folder with its path from the folder, the folder's own name first (`faces/s1/1.pgm`). */
export interface FolderFile {
  path: string;
  file: File;
}

/** The files of a folder worth sending: images and the labels file (others stay on the person's disk). */
export function uploadable(files: readonly FolderFile[]): { send: FolderFile[]; left: number } {
  const send: FolderFile[] = [];
  let left = 0;
  for (const f of files) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1).toLowerCase();
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
    if (!name.startsWith('.') && (IMAGE_FILE_EXTENSIONS.includes(ext) || name === LABELS_FILE)) send.push(f);
    else left++;
  }
  return { send, left };
}

/** Work done between two yields to the window: a folder of thousands of files never holds it long (issue 9). */
const SLICE_MS = 8;

/** Lets the window paint and take input, by the Scheduler API where the browser has it. */
function yieldToWindow(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((ok) => setTimeout(ok));
}

function aborted(): Error {
  return new DOMException('The upload was cancelled', 'AbortError');
}

/**
 * The body of a folder upload (the magic, then each file's record and bytes) and the bytes of its
 * files. Built in slices: reading a File's size may ask the disk, and 400 of them plus one Blob of
 * 800 parts held the window for 250-350 ms (bench/ui-longtasks.ts).
 */
export async function folderUploadBody(files: readonly FolderFile[], signal?: AbortSignal): Promise<{ body: Blob; bytes: number }> {
  const slices: BlobPart[] = [FOLDER_UPLOAD_MAGIC];
  let bytes = 0;
  for (let i = 0; i < files.length; ) {
    // First of all: the change event that chose the folder has done its share of the work.
    await yieldToWindow();
    if (signal?.aborted) throw aborted();
    const until = performance.now() + SLICE_MS;
    const parts: BlobPart[] = [];
    do {
      const f = files[i++];
      const size = f.file.size;
      bytes += size;
      parts.push(folderUploadRecord(f.path, size) as Uint8Array<ArrayBuffer>, f.file);
    } while (i < files.length && performance.now() < until);
    slices.push(new Blob(parts));
  }
  return { body: new Blob(slices), bytes };
}

/** Sends files as one folder upload (POST /upload-folder), reporting the bytes sent; the signal cancels it. */
export async function uploadFolder(name: string, files: readonly FolderFile[], onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<FolderRef> {
  const { body, bytes } = await folderUploadBody(files, signal);
  onProgress(0, bytes);
  return new Promise((ok, fail) => {
    if (signal?.aborted) return fail(aborted());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload-folder?name=${encodeURIComponent(name)}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onload = () => {
      if (xhr.status === 200) ok(JSON.parse(xhr.responseText) as FolderRef);
      else fail(new Error(`The upload of ${name} failed: ${xhr.responseText || xhr.statusText}`));
    };
    xhr.onerror = () => fail(new Error(`The upload of ${name} failed: the connection to Clusterscope broke off`));
    xhr.onabort = () => fail(aborted());
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

export class ImageImport {
  phase = $state<ImagePhase>('choose');
  error = $state<string | null>(null);
  /** What the dialog is about: a folder's name, or a sample's title. */
  title = $state('');
  /** Bytes sent of an upload. */
  uploaded = $state({ sent: 0, total: 0, files: 0, left: 0 });
  preview = $state.raw<ImageFolderPreview | null>(null);
  sizeMode = $state<'auto' | 'custom'>('auto');
  width = $state(64);
  height = $state(64);
  colour = $state<ColourMode>('grayscale');
  resize = $state<ResizeMode>('stretch');
  labels = $state<LabelSource>('none');
  name = $state('');
  job = $state.raw<JobInfo | null>(null);
  report = $state.raw<ImageImportReport | null>(null);
  /** Object URLs of the report's first thumbnails. */
  thumbs = $state.raw<string[]>([]);
  /** Where a typed path may lie (browser host), or null. */
  folderRoot = $state<string | null>(null);
  samples = $state.raw<SampleInfo[]>([]);

  private ref: FolderRef | null = null;
  /** The upload under way; `reset` (the dialog closed, another folder chosen) cancels it. */
  private uploading: AbortController | null = null;
  /** The last state of every job seen (not reactive: only `job` is shown). */
  private latest: Record<string, JobInfo> = {};
  private off: Array<() => void> = [];

  canImport = $derived(
    this.phase === 'preview' &&
      this.name.trim() !== '' &&
      (this.sizeMode === 'auto' || (Number.isInteger(this.width) && this.width >= 1 && this.width <= 1024 && Number.isInteger(this.height) && this.height >= 1 && this.height <= 1024)),
  );
  /** The most common size in the preview. */
  commonSize = $derived(this.preview?.sizes[0] ?? null);

  constructor(
    private readonly api: ClientApi,
    private readonly onimported: (ds: DatasetSummary) => void,
  ) {}

  /** Listens to the job events (call once the component is mounted; returns the unsubscriber). */
  connect(): () => void {
    const track = (j: JobInfo): void => {
      this.latest[j.id] = j;
      if (this.job?.id === j.id) void this.onJob(j);
    };
    this.off = [
      this.api.on('job:started', track),
      this.api.on('job:progress', (p) => {
        const j = this.latest[p.jobId] ?? (this.job?.id === p.jobId ? this.job : null);
        if (j) track({ ...j, state: 'running', progress: p.progress, message: p.message });
      }),
      this.api.on('job:done', track),
      this.api.on('job:failed', track),
      this.api.on('job:cancelled', track),
    ];
    return () => this.off.forEach((f) => f());
  }

  async load(): Promise<void> {
    try {
      [this.folderRoot, this.samples] = await Promise.all([this.api.imagesets.folderRoot(), this.api.imagesets.samples()]);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  reset(): void {
    this.uploading?.abort();
    this.uploading = null;
    this.phase = 'choose';
    this.error = null;
    this.title = '';
    this.preview = null;
    this.sizeMode = 'auto';
    this.colour = 'grayscale';
    this.resize = 'stretch';
    this.labels = 'none';
    this.name = '';
    this.job = null;
    this.report = null;
    this.releaseThumbs();
    this.ref = null;
  }

  /** Browser host: the files of a folder chosen with the folder picker. */
  async upload(files: ArrayLike<File>): Promise<void> {
    const list = Array.from(files).map((file) => ({ path: file.webkitRelativePath || file.name, file }));
    await this.uploadFiles(list[0]?.path.split('/')[0] || 'folder', list);
  }

  /** Browser host: a folder's files (chosen, or dropped on the window), uploaded, then previewed. */
  async uploadFiles(top: string, files: readonly FolderFile[]): Promise<void> {
    const { send, left } = uploadable(files);
    this.reset();
    this.title = top;
    if (send.length === 0) {
      this.error = `${top} holds no images (${IMAGE_FILE_EXTENSIONS.join(', ')})`;
      return;
    }
    this.phase = 'uploading';
    // The total is the bytes of the files, known once their sizes are read (in slices, by the upload).
    this.uploaded = { sent: 0, total: 0, files: send.length, left };
    const upload = new AbortController();
    this.uploading = upload;
    try {
      const ref = await uploadFolder(top, send, (sent, total) => (this.uploaded = { ...this.uploaded, sent, total }), upload.signal);
      if (upload.signal.aborted) return;
      this.uploading = null;
      await this.inspect(ref);
    } catch (e) {
      if (!upload.signal.aborted) this.fail(e);
    }
  }

  /** Desktop app: a folder dropped on the window (its path already granted). */
  async openGranted(path: string): Promise<void> {
    this.reset();
    try {
      await this.inspect({ kind: 'path', path });
    } catch (e) {
      this.fail(e);
    }
  }

  /** Desktop app: the native folder dialog. */
  async pick(): Promise<void> {
    try {
      const ref = await this.api.files.pickFolder({ title: 'Open a folder of images' });
      if (!ref) return;
      this.reset();
      await this.inspect(ref);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Browser host on this machine: a folder path inside the allowed root. */
  async openPath(path: string): Promise<void> {
    const p = path.trim();
    if (!p) return;
    this.reset();
    try {
      await this.inspect({ kind: 'path', path: p });
    } catch (e) {
      this.fail(e);
    }
  }

  private async inspect(ref: FolderRef): Promise<void> {
    this.phase = 'inspecting';
    const p = await this.api.imagesets.inspect(ref);
    this.ref = ref;
    this.preview = p;
    this.title = p.name;
    this.name = p.name;
    this.labels = p.suggestedLabels;
    this.colour = p.anyColour ? 'rgb' : 'grayscale';
    if (p.sizes[0]) {
      this.width = p.sizes[0].width;
      this.height = p.sizes[0].height;
    }
    this.phase = 'preview';
  }

  private fail(e: unknown): void {
    this.error = errorMessage(e);
    this.phase = this.preview ? 'preview' : 'choose';
  }

  async submit(): Promise<void> {
    if (!this.canImport || !this.ref) return;
    this.error = null;
    try {
      const job = await this.api.imagesets.importFolder({
        folder: this.ref,
        name: this.name.trim(),
        colour: this.colour,
        resize: this.resize,
        labels: this.labels,
        ...(this.sizeMode === 'custom' ? { width: this.width, height: this.height } : {}),
      });
      this.follow(job);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Starts a sample (downloaded on first use) and follows its job. */
  async openSample(id: SampleId): Promise<void> {
    this.reset();
    this.title = this.samples.find((s) => s.id === id)?.title ?? id;
    this.phase = 'running';
    try {
      this.follow(await this.api.imagesets.openSample(id));
    } catch (e) {
      this.fail(e);
    }
  }

  async cancel(): Promise<void> {
    if (this.job) await this.api.jobs.cancel(this.job.id).catch((e: unknown) => (this.error = errorMessage(e)));
  }

  private follow(job: JobInfo): void {
    this.phase = 'running';
    this.job = job;
    // Events may have overtaken the reply.
    const seen = this.latest[job.id];
    void this.onJob(seen ?? job);
  }

  private async onJob(j: JobInfo): Promise<void> {
    this.job = j;
    if (j.state === 'done') {
      const report = await this.api.imagesets.report(j.id).catch(() => null);
      if (!report || this.job?.id !== j.id) return;
      this.report = report;
      this.phase = 'done';
      this.onimported(report.dataset);
      await this.loadThumbs(report);
      void this.api.imagesets.samples().then((s) => (this.samples = s), () => {});
    } else if (j.state === 'failed') {
      this.error = j.error ?? 'the job failed';
      this.phase = this.preview ? 'preview' : 'choose';
    } else if (j.state === 'cancelled') {
      this.error = 'Cancelled: nothing was imported.';
      this.phase = this.preview ? 'preview' : 'choose';
    }
  }

  private async loadThumbs(report: ImageImportReport): Promise<void> {
    const rows = Array.from({ length: Math.min(REPORT_THUMBNAILS, report.imported) }, (_, i) => i);
    try {
      const pngs = await this.api.data.thumbnails(report.dataset.id, rows);
      this.releaseThumbs();
      this.thumbs = pngs.filter((p): p is Uint8Array => p !== null).map((p) => URL.createObjectURL(new Blob([p as Uint8Array<ArrayBuffer>], { type: 'image/png' })));
    } catch (e) {
      this.error = `The thumbnails could not be read: ${errorMessage(e)}`;
    }
  }

  private releaseThumbs(): void {
    for (const u of this.thumbs) URL.revokeObjectURL(u);
    this.thumbs = [];
  }
}
