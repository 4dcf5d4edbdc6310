/**
 * The one contract between the renderer and the backend. Both hosts implement `Api` with the
 * same backend object; the method table below drives the client (`createClient`) and the
 * server side (`registerApi`), so a method exists on both ends or on neither.
 */
import type {
  AnalysisDetail,
  AnalysisSummary,
  AppInfo,
  DecisionChange,
  DecisionEntry,
  HistoryStep,
  LabelChange,
  LabelEntry,
  MatrixDTO,
  ColumnPairDTO,
  CsvImportRequest,
  CsvPreviewDTO,
  DatasetSummary,
  DroppedPath,
  FileRef,
  JobInfo,
  NpyImportResult,
  ProjectSummary,
  RecentProject,
  RunDetail,
  RunSummary,
  SaveFailure,
} from './dto';
import type { JobSpec } from './jobs';
import type { FolderRef, ImageFolderPreview, ImageImportReport, ImageImportRequest, SampleId, SampleInfo } from './images';
import type { ImagePixels, ImageSourceInfo } from './analyses/geometry';
import type { Preferences } from './prefs';
import type { InjectRequest, InjectResult } from './analyses/anomalies';

export interface Api {
  app: {
    info(): Promise<AppInfo>;
  };
  project: {
    /** The open project, or null. */
    current(): Promise<ProjectSummary | null>;
    /** Creates and opens a new untitled project. */
    create(): Promise<ProjectSummary>;
    /** Opens an existing `.clusterscope` file. */
    open(path: string): Promise<ProjectSummary>;
    /** Writes the open project to `target` (a path, or a bare name placed in the projects folder) and continues there. */
    saveAs(target: string): Promise<ProjectSummary>;
    close(): Promise<void>;
    recent(): Promise<RecentProject[]>;
    /** Opens a new project holding the bundled sample data. */
    openSample(): Promise<ProjectSummary>;
    /** View state (chosen k, selected columns, zoom…) saved with the project. */
    getViewState(key: string): Promise<unknown>;
    setViewState(key: string, value: unknown): Promise<void>;
    /** The last write that failed (disk full…), until a later write succeeds; null when all is saved. */
    lastSaveFailure(): Promise<SaveFailure | null>;
  };
  files: {
    /** A native open dialog where there is one (Electron); null when cancelled or unsupported. */
    pickOpen(opts: { title: string; extensions: string[] }): Promise<FileRef | null>;
    /** A native save dialog where there is one; null when cancelled or unsupported. */
    pickSave(opts: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
    /**
     * Desktop app: files and folders dropped on the window (paths from the preload's
     * `pathForFile`) become readable by the API, as if chosen in a dialog. Refused by the
     * browser host, where dropped files are uploaded instead.
     */
    dropped(paths: string[]): Promise<DroppedPath[]>;
    /** A native folder dialog where there is one (Electron); null when cancelled or unsupported. */
    pickFolder(opts: { title: string }): Promise<FolderRef | null>;
  };
  data: {
    inspectCsv(file: FileRef): Promise<CsvPreviewDTO>;
    importCsv(req: CsvImportRequest): Promise<DatasetSummary>;
    /** Imports a 1-D or 2-D numeric `.npy` (read strictly, within the memory budget). */
    importNpy(req: { file: FileRef; name?: string }): Promise<NpyImportResult>;
    list(): Promise<DatasetSummary[]>;
    columns(datasetId: string, columns: [number, number]): Promise<ColumnPairDTO>;
    /** The file each row came from (image datasets), or null for a plain table. */
    items(datasetId: string): Promise<string[] | null>;
    /** PNG thumbnails of the given rows (image datasets), null where there is none. */
    thumbnails(datasetId: string, rows: number[]): Promise<Array<Uint8Array | null>>;
  };
  jobs: {
    start(spec: JobSpec): Promise<JobInfo>;
    cancel(jobId: string): Promise<void>;
    list(): Promise<JobInfo[]>;
  };
  runs: {
    list(datasetId: string): Promise<RunSummary[]>;
    get(runId: string): Promise<RunDetail>;
    remove(runId: string): Promise<void>;
  };
  analyses: {
    /** Saved analyses of a dataset, newest first; optionally of one kind or one run. */
    list(datasetId: string, filter?: { kind?: string; runId?: string }): Promise<AnalysisSummary[]>;
    get(analysisId: string): Promise<AnalysisDetail>;
    remove(analysisId: string): Promise<void>;
  };
  annotations: {
    labels(datasetId: string): Promise<LabelEntry[]>;
    /** Applies the changes as one undoable action, committed at once. */
    setLabels(datasetId: string, changes: LabelChange[]): Promise<{ changed: number }>;
    decisions(datasetId: string): Promise<DecisionEntry[]>;
    setDecisions(datasetId: string, changes: DecisionChange[]): Promise<{ changed: number }>;
    undo(datasetId: string): Promise<HistoryStep | null>;
    redo(datasetId: string): Promise<HistoryStep | null>;
    history(datasetId: string): Promise<{ canUndo: boolean; canRedo: boolean }>;
    /** Labels as CSV text: file (or row), label, source. */
    exportLabels(datasetId: string): Promise<string>;
    /** Decisions as CSV text: file (or row), decision, detector, score. */
    exportDecisions(datasetId: string): Promise<string>;
  };
  images: {
    /** Images that can be downloaded on demand (the chapter's ladybug), and whether each is already here. */
    sources(): Promise<ImageSourceInfo[]>;
    /** Downloads an image of `sources()` (once, checksum checked) and adds it as a dataset of pixels. */
    download(id: string): Promise<DatasetSummary>;
    /** Adds an image file (PNG or JPEG) as a dataset of its pixels (one row per pixel: red, green, blue in 0..1). */
    open(file: FileRef): Promise<DatasetSummary>;
    /** The pixels of an image dataset, as bytes. */
    pixels(datasetId: string): Promise<ImagePixels>;
  };
  labeling: {
    /** Feature values of some rows (at most 2,000), to draw the samples of datasets without thumbnails. */
    rows(datasetId: string, rows: number[]): Promise<MatrixDTO>;
    /** Desktop app: asks where to save (native dialog) and writes the labels CSV there; the path, or null when cancelled or without a dialog. */
    saveLabels(datasetId: string): Promise<string | null>;
  };
  imagesets: {
    /**
     * Where a folder may be named by its path (the browser host, running on this machine: the
     * home folder); null where folders come only from a dialog, a drop or an upload.
     */
    folderRoot(): Promise<string | null>;
    /** What a folder of images holds (file headers only): counts, sizes, label sources. */
    inspect(folder: FolderRef): Promise<ImageFolderPreview>;
    /** Imports a folder of images as a job (progress per file); `report(job.id)` when it is done. */
    importFolder(req: ImageImportRequest): Promise<JobInfo>;
    /** The dataset a finished image job made, with the files it left out and why; null before. */
    report(jobId: string): Promise<ImageImportReport | null>;
    /** The image samples (Olivetti faces, MNIST, digits) and what each still has to download. */
    samples(): Promise<SampleInfo[]>;
    /**
     * Builds a sample as a job in the open project (a new untitled one when none is open),
     * downloading its files on first use (progress, checksum; a clear error when offline).
     */
    openSample(id: SampleId): Promise<JobInfo>;
  };
  anomalies: {
    /** A new dataset: every row of an image dataset plus rotated, flipped and darkened copies (to check the detectors). */
    inject(datasetId: string, req: InjectRequest): Promise<InjectResult>;
    /** Desktop app: asks where to save (native dialog) and writes the decisions CSV there; the path, or null when cancelled or without a dialog. */
    saveDecisions(datasetId: string): Promise<string | null>;
  };
  prefs: {
    get(): Promise<Preferences>;
    /** Changes some preferences (validated; the first refusal names its rule) and applies them. */
    set(change: Partial<Preferences>): Promise<Preferences>;
  };
}

/** Events the backend pushes to the renderer. */
export interface ApiEvents {
  'job:started': JobInfo;
  'job:progress': { jobId: string; progress: number; message: string | null };
  'job:done': JobInfo;
  'job:failed': JobInfo;
  'job:cancelled': JobInfo;
  'project:changed': ProjectSummary | null;
  /** A command chosen outside the page (native menu, file association): the renderer runs it. */
  'app:command': { command: string; args?: unknown[] };
  /** Labels or decisions of a dataset changed (an edit, undo, redo, propagation). */
  'annotations:changed': { datasetId: string; target: 'label' | 'decision'; rows: number[] | null };
  'prefs:changed': Preferences;
  /** A write to the project failed (failure set) or succeeded again after one had (failure null). */
  'save:status': { failure: SaveFailure | null };
}
export type ApiEventName = keyof ApiEvents;

/** The runtime table of every method, by namespace: the single source both transports use. */
export const API_METHODS = {
  app: ['info'],
  project: ['current', 'create', 'open', 'saveAs', 'close', 'recent', 'openSample', 'getViewState', 'setViewState', 'lastSaveFailure'],
  files: ['pickOpen', 'pickSave', 'dropped', 'pickFolder'],
  data: ['inspectCsv', 'importCsv', 'importNpy', 'list', 'columns', 'items', 'thumbnails'],
  jobs: ['start', 'cancel', 'list'],
  runs: ['list', 'get', 'remove'],
  analyses: ['list', 'get', 'remove'],
  annotations: ['labels', 'setLabels', 'decisions', 'setDecisions', 'undo', 'redo', 'history', 'exportLabels', 'exportDecisions'],
  images: ['sources', 'download', 'open', 'pixels'],
  labeling: ['rows', 'saveLabels'],
  imagesets: ['folderRoot', 'inspect', 'importFolder', 'report', 'samples', 'openSample'],
  anomalies: ['inject', 'saveDecisions'],
  prefs: ['get', 'set'],
} as const satisfies { [N in keyof Api]: ReadonlyArray<keyof Api[N]> };

export const API_EVENTS: readonly ApiEventName[] = [
  'job:started',
  'job:progress',
  'job:done',
  'job:failed',
  'job:cancelled',
  'project:changed',
  'app:command',
  'annotations:changed',
  'prefs:changed',
  'save:status',
];

/** Every channel carries this prefix; the preload and the hosts refuse any other. */
export const CHANNEL_PREFIX = 'cs:';
export const EVENT_CHANNEL = 'cs:event';

export type MethodPath = { [N in keyof typeof API_METHODS]: `${N}.${(typeof API_METHODS)[N][number]}` }[keyof typeof API_METHODS];

export const METHOD_PATHS: readonly MethodPath[] = Object.entries(API_METHODS).flatMap(([ns, names]) =>
  (names as readonly string[]).map((m) => `${ns}.${m}` as MethodPath),
);

export function isMethodPath(p: unknown): p is MethodPath {
  return typeof p === 'string' && (METHOD_PATHS as readonly string[]).includes(p);
}

/** An error as it crosses the boundary: the backend's message, with its class name. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string = 'error',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What a transport does: call one method, and subscribe to the event stream. */
export interface Transport {
  invoke(method: MethodPath, args: unknown[]): Promise<unknown>;
  subscribe(listener: (event: ApiEventName, payload: unknown) => void): () => void;
}

export type EventListener<E extends ApiEventName> = (payload: ApiEvents[E]) => void;

/** The API object the renderer sees as `window.api`. */
export type ClientApi = Api & {
  on<E extends ApiEventName>(event: E, listener: EventListener<E>): () => void;
  /**
   * Desktop app only (the preload's `webUtils.getPathForFile`): the path of a file or folder
   * dropped on the window, for `files.dropped`. Absent in the browser host.
   */
  readonly pathForFile?: (file: Blob) => string;
};

/** Builds the renderer's API object over a transport (Electron IPC or WebSocket). */
export function createClient(transport: Transport): ClientApi {
  const listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
  transport.subscribe((event, payload) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  });
  const client: Record<string, unknown> = {};
  for (const [ns, names] of Object.entries(API_METHODS)) {
    const group: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of names as readonly string[]) {
      const path = `${ns}.${name}` as MethodPath;
      group[name] = (...args: unknown[]) => transport.invoke(path, args);
    }
    client[ns] = Object.freeze(group);
  }
  client.on = (event: ApiEventName, listener: (p: unknown) => void) => {
    if (!API_EVENTS.includes(event)) throw new ApiError(`unknown event '${String(event)}'`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
  return Object.freeze(client) as unknown as ClientApi;
}

/** Looks up the implementation of a method path on a backend object. */
export function resolveMethod(impl: Api, path: MethodPath): (...args: unknown[]) => Promise<unknown> {
  const [ns, name] = path.split('.') as [keyof Api, string];
  const group = impl[ns] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const fn = group[name];
  return fn.bind(group);
}

/**
 * Wires every method of the table to a host's registration function (ipcMain.handle, the
 * WebSocket router), so the set of reachable methods is exactly the contract.
 */
export function registerApi(impl: Api, register: (path: MethodPath, handler: (args: unknown[]) => Promise<unknown>) => void): void {
  for (const path of METHOD_PATHS) {
    const fn = resolveMethod(impl, path);
    register(path, (args) => fn(...args));
  }
}
