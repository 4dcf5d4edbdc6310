/**
 * The backend: one implementation of the `Api` contract, shared by the Electron host and the
 * browser host. It owns the open project (the only SQLite writer), the importers and the job
 * runner; every input from the renderer is validated here.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { Api } from '../../shared/api';
import { ApiError } from '../../shared/api';
import type {
  AppInfo,
  ColumnPairDTO,
  CsvImportRequest,
  CsvPreviewDTO,
  DatasetSummary,
  FileRef,
  JobInfo,
  ProjectSummary,
  RecentProject,
  RunDetail,
  RunSummary,
  SaveFailure,
} from '../../shared/dto';
import type { AnalysisInput, AnalysisJobSpec, AnalysisTaskResult, FitJobSpec, FitResult, JobSpec } from '../../shared/jobs';
import { ANALYSES_NEEDING_RUN } from '../../shared/analyses';
import { WORKER_ANALYSES } from '../worker/analyses';
import { addAnalysis, getAnalysisResult, getAnalysisSummary, listAnalyses, removeAnalysis } from './store/analyses-repo';
import { itemNames, thumbnails } from './store/items-repo';
import * as annotations from './store/annotations-repo';
import { toCsv } from './csv-out';
import { ALGORITHM_NAMES, METRIC_NAMES } from '../../core/cluster/registry';
import { inspectCsv, readCsvFile } from './importers/csv';
import { encodeLabels } from './labels';
import { JobRunner, type Emit } from './jobs/runner';
import type { WorkerPool } from './jobs/pool';
import { PROJECT_EXTENSION, ProjectStore } from './store/project-store';
import { ProjectError } from './store/errors';
import { SettingsStore } from './settings';
import { UploadRegistry } from './uploads';
import { addSampleDatasets } from './samples';
import { checkFitPreprocess, readRows, writeLabelsFile } from './labeling';
import { formatMiB, fromDiskOffer } from './importers/budget';
import { PrefsService } from './shell/prefs';
import { SaveStatus } from './shell/save-status';
import { importNpy } from './shell/npy-import';
import { describeDropped } from './shell/dropped';
import { ImageSets } from './imagesets/service';
import { ImageLibrary, imagePixels } from './images';
import { anomaliesApi } from './anomalies';

export interface Dialogs {
  pickOpen(opts: { title: string; extensions: string[] }): Promise<string | null>;
  pickSave(opts: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
  pickFolder?(opts: { title: string }): Promise<string | null>;
}

export interface BackendOptions {
  /** Settings, untitled projects, uploads. */
  dataDir: string;
  /** Bundled sample tables (resources/samples). */
  resourcesDir: string;
  pool: WorkerPool;
  emit: Emit;
  host: AppInfo['host'];
  version: string;
  versions?: Record<string, string>;
  dialogs?: Dialogs;
  /** Where a folder may be named by a typed path (the browser host: the home folder); none by default. */
  folderRoot?: string | null;
}

export class Backend implements Api {
  private store: ProjectStore | null = null;
  private readonly settings: SettingsStore;
  private readonly runner: JobRunner;
  readonly uploads: UploadRegistry;
  /** Paths the user chose in a native dialog: the only paths a renderer may name. */
  private readonly granted = new Set<string>();
  readonly projectsDir: string;
  private readonly untitledDir: string;
  /** The person's preferences (worker count, memory budget, download folder, seed, theme). */
  readonly preferences: PrefsService;
  private readonly saveStatus: SaveStatus;
  /** The pool size the host chose, used while the preference is "automatic". */
  private readonly hostWorkerCount: number;

  constructor(private readonly opts: BackendOptions) {
    mkdirSync(opts.dataDir, { recursive: true });
    this.settings = SettingsStore.inDir(opts.dataDir);
    this.runner = new JobRunner(opts.pool, opts.emit);
    this.hostWorkerCount = opts.pool.size;
    this.preferences = new PrefsService(this.settings, opts.dataDir, availableParallelism(), {
      resizePool: (n) => opts.pool.resize(n ?? this.hostWorkerCount),
      changed: (p) => opts.emit('prefs:changed', p),
    });
    this.saveStatus = new SaveStatus((failure) => opts.emit('save:status', { failure }));
    this.uploads = new UploadRegistry(join(opts.dataDir, 'uploads'));
    this.projectsDir = join(opts.dataDir, 'projects');
    this.untitledDir = join(opts.dataDir, 'untitled');
  }

  /**
   * Start-up: the first start opens the bundled sample (a newcomer sees a clustering at once);
   * later starts reopen the last project when it is still there.
   */
  async init(): Promise<void> {
    const workers = this.preferences.get().workerCount;
    if (workers !== null && workers !== this.opts.pool.size) this.opts.pool.resize(workers);
    const s = this.settings.get();
    if (!s.firstRunDone) {
      this.settings.update((x) => (x.firstRunDone = true));
      await this.project.openSample();
      return;
    }
    if (s.lastProject && existsSync(s.lastProject)) {
      try {
        this.openStore(s.lastProject);
      } catch {
        // It stays in the recent list; the person sees why when they open it.
      }
    }
  }

  dispose(): void {
    this.runner.cancelAll();
    this.closeStore();
    this.uploads.clear();
  }

  private requireStore(): ProjectStore {
    if (!this.store) throw new ProjectError('not-open', 'No project is open: open or create one first');
    return this.store;
  }

  private summary(): ProjectSummary | null {
    const s = this.store;
    if (!s) return null;
    return {
      path: s.path,
      name: s.name,
      untitled: dirname(s.path) === this.untitledDir,
      readOnly: s.readOnly,
      datasetCount: s.listDatasets().length,
      runCount: s.countRuns(),
    };
  }

  /**
   * The last write to the open project that failed, until a later one succeeds (the desktop
   * app's quit guard asks before quitting while there is one).
   */
  lastSaveFailure(): SaveFailure | null {
    return this.saveStatus.current();
  }

  private openStore(path: string, create = false): ProjectSummary {
    const next = ProjectStore.open(path, { create });
    this.closeStore();
    this.store = next;
    this.saveStatus.watch(next);
    // Untitled projects are listed too: they are autosaved, and closing one must not lose it.
    this.settings.touchRecent(path, next.name);
    const summary = this.summary()!;
    this.opts.emit('project:changed', summary);
    return summary;
  }

  private closeStore(): void {
    if (!this.store) return;
    this.runner.cancelAll();
    this.store.close();
    this.store = null;
    // What failed to save belonged to the closed project: there is nothing left to warn about.
    this.saveStatus.clear();
  }

  /** A fresh file in the untitled folder: "Untitled", "Untitled 2", … (or "Sample …"). */
  private newUntitledPath(base = 'Untitled'): string {
    mkdirSync(this.untitledDir, { recursive: true });
    for (let i = 1; ; i++) {
      const p = join(this.untitledDir, `${i === 1 ? base : `${base} ${i}`}${PROJECT_EXTENSION}`);
      if (!existsSync(p)) return p;
    }
  }

  /** A project path from a name or a path; bare names go to the projects folder. */
  private resolveProjectPath(target: string): string {
    const t = target.trim();
    if (!t) throw new ApiError('Give the project a name', 'bad-input');
    if (t.includes('\0')) throw new ApiError('A project name cannot contain NUL characters', 'bad-input');
    const withExt = extname(t).toLowerCase() === PROJECT_EXTENSION ? t : `${t}${PROJECT_EXTENSION}`;
    if (isAbsolute(withExt)) return withExt;
    if (/[\\/]/.test(withExt)) throw new ApiError('Give a project name, or a full path', 'bad-input');
    return join(this.projectsDir, withExt);
  }

  private resolveFile(ref: FileRef): { path: string; name: string } {
    if (!ref || typeof ref !== 'object') throw new ApiError('expected a file reference', 'bad-input');
    if (ref.kind === 'upload') {
      const f = typeof ref.id === 'string' ? this.uploads.resolve(ref.id) : undefined;
      if (!f) throw new ApiError('That upload is no longer available; choose the file again', 'bad-input');
      return f;
    }
    if (ref.kind === 'path' && typeof ref.path === 'string') {
      const p = resolve(ref.path);
      if (!this.granted.has(p)) throw new ApiError('Choose the file in the Open dialog first', 'forbidden');
      return { path: p, name: basename(p) };
    }
    throw new ApiError('expected a file reference', 'bad-input');
  }

  /** Lets the host grant a path the person chose outside a dialog (drag and drop, command line). */
  grantPath(path: string): void {
    this.granted.add(resolve(path));
  }

  readonly app: Api['app'] = {
    info: async () => ({
      name: 'Clusterscope',
      version: this.opts.version,
      host: this.opts.host,
      platform: process.platform,
      versions: { node: process.versions.node, ...this.opts.versions },
      projectsDir: this.projectsDir,
      workerCount: this.opts.pool.size,
    }),
  };

  readonly project: Api['project'] = {
    current: async () => this.summary(),
    create: async () => this.openStore(this.newUntitledPath(), true),
    open: async (path: string) => {
      if (typeof path !== 'string' || !path) throw new ApiError('expected a project path', 'bad-input');
      return this.openStore(resolve(path));
    },
    saveAs: async (target: string) => {
      const store = this.requireStore();
      if (typeof target !== 'string') throw new ApiError('expected a project name or path', 'bad-input');
      const dest = this.resolveProjectPath(target);
      if (resolve(dest) === resolve(store.path)) return this.summary()!;
      if (existsSync(dest)) throw new ApiError(`A project named ${basename(dest, PROJECT_EXTENSION)} already exists; choose another name`, 'exists');
      mkdirSync(dirname(dest), { recursive: true });
      // Back up into a temporary name beside the target, then rename: the target never
      // exists half-written.
      const tmp = `${dest}.partial`;
      rmSync(tmp, { force: true });
      await store.backupTo(tmp);
      renameSync(tmp, dest);
      const wasUntitled = dirname(store.path) === this.untitledDir;
      const old = store.path;
      const summary = this.openStore(dest);
      if (wasUntitled) {
        // The untitled file has become the named project: remove it and its recent entry.
        for (const f of [old, `${old}-wal`, `${old}-shm`]) rmSync(f, { force: true });
        this.settings.update((s) => (s.recent = s.recent.filter((r) => r.path !== old)));
      }
      return summary;
    },
    close: async () => {
      this.closeStore();
      this.settings.update((s) => (s.lastProject = null));
      this.opts.emit('project:changed', null);
    },
    recent: async (): Promise<RecentProject[]> =>
      this.settings.get().recent.map((r) => ({ ...r, exists: existsSync(r.path) && statSync(r.path).isFile() })),
    openSample: async () => {
      const summary = this.openStore(this.newUntitledPath('Sample'), true);
      const datasets = await addSampleDatasets(this.requireStore(), this.opts.resourcesDir);
      const blobs = datasets.find((d) => d.source === 'sample:blobs');
      if (blobs) {
        await this.jobs.start({
          kind: 'fit',
          datasetId: blobs.id,
          algorithm: 'kmeans',
          params: { nClusters: 5, nInit: 10, randomState: 42 },
          metrics: ['silhouette', 'ari'],
        });
      }
      return { ...summary, datasetCount: datasets.length };
    },
    getViewState: async (key: string) => {
      if (typeof key !== 'string') throw new ApiError('expected a view-state key', 'bad-input');
      return this.store ? this.store.getViewState(key) : null;
    },
    setViewState: async (key: string, value: unknown) => {
      if (typeof key !== 'string' || key.length > 200) throw new ApiError('expected a view-state key', 'bad-input');
      const store = this.requireStore();
      if (!store.readOnly) store.setViewState(key, value);
    },
    lastSaveFailure: async () => this.lastSaveFailure(),
  };

  readonly files: Api['files'] = {
    pickOpen: async (opts) => {
      const p = this.opts.dialogs ? await this.opts.dialogs.pickOpen(opts) : null;
      if (!p) return null;
      this.grantPath(p);
      return { kind: 'path', path: resolve(p) };
    },
    pickSave: async (opts) => (this.opts.dialogs ? this.opts.dialogs.pickSave(opts) : null),
    dropped: async (paths: string[]) => {
      // In the browser host the page cannot know a dropped file's path: it uploads the file.
      if (this.opts.host !== 'electron') throw new ApiError('Dropped files are uploaded in the browser host', 'forbidden');
      const items = describeDropped(paths);
      for (const it of items) this.grantPath(it.ref.path);
      return items;
    },
    pickFolder: async (opts) => {
      const p = this.opts.dialogs?.pickFolder ? await this.opts.dialogs.pickFolder(opts) : null;
      if (!p) return null;
      this.grantPath(p);
      return { kind: 'path', path: resolve(p) };
    },
  };

  readonly data: Api['data'] = {
    inspectCsv: async (ref: FileRef): Promise<CsvPreviewDTO> => {
      const f = this.resolveFile(ref);
      const size = statSync(f.path).size;
      const budget = this.preferences.budgetBytes();
      if (size > budget) {
        throw new ApiError(`${f.name} is ${formatMiB(size)}, over the ${formatMiB(budget)} memory budget (Preferences); ${fromDiskOffer(f.path)}`, 'too-large');
      }
      const p = inspectCsv(readFileSync(f.path), f.name);
      return {
        file: f.name,
        delimiter: p.delimiter,
        hasHeader: p.hasHeader,
        nRows: p.nRows,
        columns: p.columns.map((c) => ({
          index: c.index,
          name: c.name,
          numeric: c.numeric,
          missing: c.missing,
          distinctCount: c.distinctCount,
          isLabelCandidate: c.isLabelCandidate,
          ...(c.nonNumericExample ? { nonNumericExample: c.nonNumericExample } : {}),
        })),
        sample: p.rows,
      };
    },
    importCsv: async (req: CsvImportRequest): Promise<DatasetSummary> => {
      const store = this.requireStore();
      if (!req || !Array.isArray(req.columns) || req.columns.length === 0 || !req.columns.every((c) => Number.isInteger(c) && c >= 0)) {
        throw new ApiError('Choose at least one numeric column', 'bad-input');
      }
      if (req.labelColumn !== null && !(Number.isInteger(req.labelColumn) && req.labelColumn >= 0)) {
        throw new ApiError('The label column must be a column index or none', 'bad-input');
      }
      if (req.labelColumn !== null && req.columns.includes(req.labelColumn)) {
        throw new ApiError('The label column cannot also be a feature column', 'bad-input');
      }
      const f = this.resolveFile(req.file);
      const table = await readCsvFile(f.path, {
        columns: req.columns,
        labelColumn: req.labelColumn,
        missing: req.missing === 'drop-rows' ? 'drop-rows' : 'error',
        budgetBytes: this.preferences.budgetBytes(),
      });
      const enc = table.labels ? encodeLabels(table.labels) : null;
      return store.addDataset({
        name: (typeof req.name === 'string' && req.name.trim()) || f.name.replace(/\.(csv|tsv|txt)$/i, ''),
        source: `csv:${f.name}`,
        X: table.X,
        featureNames: table.featureNames,
        labelName: table.labelName,
        labelClasses: enc?.classes ?? null,
        labels: enc?.codes ?? null,
      });
    },
    importNpy: async (req: { file: FileRef; name?: string }) => {
      const store = this.requireStore();
      if (!req || typeof req !== 'object') throw new ApiError('expected an import request', 'bad-input');
      if (req.name !== undefined && typeof req.name !== 'string') throw new ApiError('the dataset name must be text', 'bad-input');
      const f = this.resolveFile(req.file);
      return importNpy(store, { path: f.path, fileName: f.name, name: req.name, budgetBytes: this.preferences.budgetBytes() });
    },
    list: async () => (this.store ? this.store.listDatasets() : []),
    columns: async (datasetId: string, columns: [number, number]): Promise<ColumnPairDTO> => {
      const store = this.requireStore();
      const ds = store.getDataset(datasetId);
      if (!Array.isArray(columns) || columns.length !== 2 || !columns.every((c) => Number.isInteger(c) && c >= 0 && c < ds.nFeatures)) {
        throw new ApiError(`columns must be two indices in 0..${ds.nFeatures - 1}`, 'bad-input');
      }
      const { X, labels } = store.getDatasetData(datasetId);
      const n = X.rows, d = X.cols;
      const x = new Float64Array(n), y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = X.data[i * d + columns[0]];
        y[i] = X.data[i * d + columns[1]];
      }
      return { datasetId, columns: [columns[0], columns[1]], x, y, labels };
    },
    items: async (datasetId: string) => itemNames(this.rowsOf(datasetId).store, datasetId),
    thumbnails: async (datasetId: string, rows: number[]) => {
      const { store, nRows } = this.rowsOf(datasetId);
      if (!Array.isArray(rows) || rows.length > 5000 || !rows.every((r) => Number.isInteger(r) && r >= 0 && r < nRows)) {
        throw new ApiError(`rows must be at most 5,000 indices in 0..${nRows - 1}`, 'bad-input');
      }
      return thumbnails(store, datasetId, rows);
    },
  };

  private startFit(store: ProjectStore, spec: FitJobSpec): JobInfo {
    if (!(ALGORITHM_NAMES as readonly string[]).includes(spec.algorithm)) throw new ApiError(`unknown algorithm '${String(spec.algorithm)}'`, 'bad-input');
    if (!spec.params || typeof spec.params !== 'object' || Array.isArray(spec.params)) throw new ApiError('params must be an object', 'bad-input');
    const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
    for (const m of metrics) if (!(METRIC_NAMES as readonly string[]).includes(m)) throw new ApiError(`unknown metric '${String(m)}'`, 'bad-input');
    const ds = store.getDataset(spec.datasetId);
    const preprocess = checkFitPreprocess(spec.preprocess, spec.algorithm);
    const { X, labels } = store.getDatasetData(ds.id);
    const params = { ...spec.params };
    return this.runner.start({
      kind: 'fit',
      title: `${spec.algorithm} on ${ds.name}`,
      task: { kind: 'fit', algorithm: spec.algorithm, params, metrics, X, y: labels, preprocess },
      onResult: (result, ms) => {
        const r = result as FitResult;
        // The project may have changed while the job ran; the run belongs to the one it started in.
        if (this.store !== store) throw new Error('the project was closed while the job ran');
        const run = store.addRun({
          datasetId: ds.id,
          algorithm: spec.algorithm,
          params: { ...params, ...(preprocess ? { preprocess } : {}), ...(r.randomState !== null ? { randomState: r.randomState } : {}) },
          randomState: r.randomState,
          status: 'done',
          durationMs: ms,
          nClusters: r.nClusters,
          metrics: r.metrics,
          labels: r.labels,
          centers: r.centers,
          model: r.model,
          error: null,
        });
        return { runId: run.id };
      },
    });
  }

  private startAnalysis(store: ProjectStore, spec: AnalysisJobSpec): JobInfo {
    if (typeof spec.analysis !== 'string' || !Object.hasOwn(WORKER_ANALYSES, spec.analysis)) {
      throw new ApiError(`unknown analysis '${String(spec.analysis)}'`, 'bad-input');
    }
    if (!spec.params || typeof spec.params !== 'object' || Array.isArray(spec.params)) throw new ApiError('params must be an object', 'bad-input');
    const ds = store.getDataset(spec.datasetId);
    const { X, labels } = store.getDatasetData(ds.id);
    let run: AnalysisInput['run'] = null;
    if (spec.runId) {
      const r = store.getRun(spec.runId);
      if (r.datasetId !== ds.id) throw new ApiError('that run belongs to another dataset', 'bad-input');
      run = { algorithm: r.algorithm, labels: r.labels, centers: r.centers, model: store.getRunModel(r.id), params: r.params };
    } else if (ANALYSES_NEEDING_RUN.has(spec.analysis)) {
      throw new ApiError(`the ${spec.analysis} analysis is about a clustering: choose a run first`, 'bad-input');
    }
    const params = { ...spec.params };
    return this.runner.start({
      kind: `analysis:${spec.analysis}`,
      title: `${spec.analysis} on ${ds.name}`,
      task: {
        kind: 'analysis',
        analysis: spec.analysis,
        params,
        X,
        y: labels,
        labelClasses: ds.labelClasses,
        featureNames: ds.featureNames,
        run,
        itemNames: itemNames(store, ds.id),
      },
      onResult: (result, ms) => {
        if (this.store !== store) throw new Error('the project was closed while the job ran');
        const saved = addAnalysis(store, {
          datasetId: ds.id,
          runId: spec.runId ?? null,
          kind: spec.analysis,
          params,
          result: (result as AnalysisTaskResult).result,
          durationMs: ms,
        });
        return { analysisId: saved.id };
      },
    });
  }

  readonly jobs: Api['jobs'] = {
    start: async (spec: JobSpec): Promise<JobInfo> => {
      const store = this.requireStore();
      if (store.readOnly) throw new ProjectError('read-only', 'This project is open read-only: results cannot be saved; use Save As first');
      if (!spec || typeof spec !== 'object') throw new ApiError('expected a job spec', 'bad-input');
      if (spec.kind === 'fit') return this.startFit(store, spec);
      if (spec.kind === 'analysis') return this.startAnalysis(store, spec);
      throw new ApiError(`unknown job kind '${String((spec as { kind?: unknown }).kind)}'`, 'bad-input');
    },
    cancel: async (jobId: string) => {
      if (typeof jobId !== 'string') throw new ApiError('expected a job id', 'bad-input');
      this.runner.cancel(jobId);
    },
    list: async () => this.runner.list(),
  };

  readonly runs: Api['runs'] = {
    list: async (datasetId: string): Promise<RunSummary[]> => this.requireStore().listRuns(datasetId),
    get: async (runId: string): Promise<RunDetail> => this.requireStore().getRun(runId),
    remove: async (runId: string) => this.requireStore().removeRun(runId),
  };

  readonly analyses: Api['analyses'] = {
    list: async (datasetId: string, filter: { kind?: string; runId?: string } = {}) => {
      if (typeof datasetId !== 'string') throw new ApiError('expected a dataset id', 'bad-input');
      return listAnalyses(this.requireStore(), datasetId, { kind: typeof filter?.kind === 'string' ? filter.kind : undefined, runId: typeof filter?.runId === 'string' ? filter.runId : undefined });
    },
    get: async (analysisId: string) => {
      const store = this.requireStore();
      return { summary: getAnalysisSummary(store, analysisId), result: getAnalysisResult(store, analysisId) };
    },
    remove: async (analysisId: string) => removeAnalysis(this.requireStore(), analysisId),
  };

  /** Checks a dataset id and returns its row count, for validating row numbers. */
  private rowsOf(datasetId: string): { store: ProjectStore; nRows: number } {
    const store = this.requireStore();
    if (typeof datasetId !== 'string') throw new ApiError('expected a dataset id', 'bad-input');
    return { store, nRows: store.getDataset(datasetId).nSamples };
  }

  private changed(datasetId: string, target: 'label' | 'decision', rows: number[] | null): void {
    this.opts.emit('annotations:changed', { datasetId, target, rows });
  }

  readonly annotations: Api['annotations'] = {
    labels: async (datasetId) => annotations.getLabels(this.rowsOf(datasetId).store, datasetId),
    setLabels: async (datasetId, changes) => {
      const { store, nRows } = this.rowsOf(datasetId);
      if (!Array.isArray(changes)) throw new ApiError('expected a list of label changes', 'bad-input');
      let changed: number;
      try {
        changed = annotations.setLabels(store, datasetId, changes, nRows);
      } catch (e) {
        if (e instanceof RangeError) throw new ApiError(e.message, 'bad-input');
        throw e;
      }
      if (changed) this.changed(datasetId, 'label', changes.map((c) => c.row));
      return { changed };
    },
    decisions: async (datasetId) => annotations.getDecisions(this.rowsOf(datasetId).store, datasetId),
    setDecisions: async (datasetId, changes) => {
      const { store, nRows } = this.rowsOf(datasetId);
      if (!Array.isArray(changes)) throw new ApiError('expected a list of decisions', 'bad-input');
      let changed: number;
      try {
        changed = annotations.setDecisions(store, datasetId, changes, nRows);
      } catch (e) {
        if (e instanceof RangeError) throw new ApiError(e.message, 'bad-input');
        throw e;
      }
      if (changed) this.changed(datasetId, 'decision', changes.map((c) => c.row));
      return { changed };
    },
    undo: async (datasetId) => {
      const step = annotations.undo(this.rowsOf(datasetId).store, datasetId);
      if (step) this.changed(datasetId, step.target, step.rows);
      return step;
    },
    redo: async (datasetId) => {
      const step = annotations.redo(this.rowsOf(datasetId).store, datasetId);
      if (step) this.changed(datasetId, step.target, step.rows);
      return step;
    },
    history: async (datasetId) => annotations.historyState(this.rowsOf(datasetId).store, datasetId),
    exportLabels: async (datasetId) => {
      const { store } = this.rowsOf(datasetId);
      const names = itemNames(store, datasetId);
      return toCsv(
        ['file', 'label', 'source'],
        annotations.getLabels(store, datasetId).map((l) => [names ? names[l.row] : String(l.row), l.label, l.source]),
      );
    },
    exportDecisions: async (datasetId) => {
      const { store } = this.rowsOf(datasetId);
      const names = itemNames(store, datasetId);
      return toCsv(
        ['file', 'decision', 'detector', 'score'],
        annotations.getDecisions(store, datasetId).map((d) => [names ? names[d.row] : String(d.row), d.decision, d.detector ?? '', d.score === null ? '' : String(d.score)]),
      );
    },
  };

  readonly labeling: Api['labeling'] = {
    rows: async (datasetId, rows) => {
      const { store, nRows } = this.rowsOf(datasetId);
      return readRows(store, datasetId, rows, nRows);
    },
    saveLabels: async (datasetId) => {
      const { store } = this.rowsOf(datasetId);
      const csv = await this.annotations.exportLabels(datasetId);
      if (!this.opts.dialogs) return null;
      const name = store.getDataset(datasetId).name;
      const path = await this.opts.dialogs.pickSave({ title: 'Export labels', defaultName: `${name} labels.csv`, extensions: ['csv'] });
      if (!path) return null;
      writeLabelsFile(path, csv);
      return path;
    },
  };

  // ── Images (the segmentation view; logic in ./images) ────────────────────────────────────

  private imageLib: ImageLibrary | null = null;

  private imageLibrary(): ImageLibrary {
    return (this.imageLib ??= new ImageLibrary(() => this.preferences.downloadDir()));
  }

  readonly images: Api['images'] = {
    sources: () => this.imageLibrary().list(),
    download: async (id: string) => {
      if (typeof id !== 'string') throw new ApiError('expected the id of a downloadable image', 'bad-input');
      return this.imageLibrary().download(this.requireStore(), id);
    },
    open: async (ref: FileRef) => {
      const store = this.requireStore();
      const f = this.resolveFile(ref);
      return this.imageLibrary().importFile(store, f.path, f.name);
    },
    pixels: async (datasetId: string) => imagePixels(this.requireStore(), datasetId),
  };

  // ── Image datasets: folders and samples as worker jobs (logic in ./imagesets) ─────────────

  private imageSetsService: ImageSets | null = null;

  /** Folder access, uploads, import jobs and their reports (the host routes folder uploads here). */
  get imageSets(): ImageSets {
    return (this.imageSetsService ??= new ImageSets({
      runner: this.runner,
      requireStore: () => this.requireStore(),
      currentStore: () => this.store,
      isGranted: (p) => this.granted.has(resolve(p)),
      folderRoot: this.opts.folderRoot ?? null,
      // Inside uploads/: cleared with the uploaded files when the backend is disposed.
      uploadsDir: join(this.opts.dataDir, 'uploads', 'folders'),
      budgetBytes: () => this.preferences.budgetBytes(),
      ensureStore: async () => this.store ?? (await this.project.create(), this.requireStore()),
      downloadsDir: () => this.preferences.downloadDir(),
      resourcesDir: this.opts.resourcesDir,
    }));
  }

  readonly imagesets: Api['imagesets'] = {
    folderRoot: async () => this.opts.folderRoot ?? null,
    inspect: async (folder) => this.imageSets.inspect(folder),
    importFolder: async (req) => this.imageSets.startImport(req),
    report: async (jobId) => this.imageSets.report(jobId),
    samples: async () => this.imageSets.samples(),
    openSample: async (id) => this.imageSets.openSample(id),
  };

  // ── Anomaly review: injected validation data, decisions saved as CSV (logic in ./anomalies) ──

  readonly anomalies: Api['anomalies'] = anomaliesApi({
    requireStore: () => this.requireStore(),
    exportDecisions: (datasetId) => this.annotations.exportDecisions(datasetId),
    pickSave: async (o) => (this.opts.dialogs ? this.opts.dialogs.pickSave(o) : null),
  });

  // ── Preferences (the shell; logic in ./shell/prefs) ──────────────────────────────────────

  readonly prefs: Api['prefs'] = {
    get: async () => this.preferences.get(),
    set: async (change) => this.preferences.set(change),
  };
}
