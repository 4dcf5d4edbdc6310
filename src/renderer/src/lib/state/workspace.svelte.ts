/**
 * The open project as the renderer shows it: its datasets, the selected dataset's runs, the
 * selected run and the scatter's axes (two columns, or the dataset's PCA projection), zoom and
 * emphasised samples. Every change of selection is saved with the project (view state keys
 * `skeleton` and `clusters`), so reopening the project shows it exactly as it was left.
 * The backend's events keep it current: a finished job refreshes the runs, a project change
 * (open, save as, new) reloads everything.
 */
import type { ApiEvents, ClientApi } from '../../../../shared/api';
import type { AppInfo, ColumnPairDTO, DatasetSummary, JobInfo, MatrixDTO, ProjectSummary, RecentProject, RunDetail, RunSummary } from '../../../../shared/dto';
import type { JobSpec } from '../../../../shared/jobs';
import type { ProjectionResult } from '../../../../shared/analyses/explore';
import { errorMessage } from '../format';
import { isAlgorithm, type AlgorithmName, type MetricName } from '../algorithm-form';
import { parseZoomView, type ZoomView } from '../charts/zoom';
import { isActive, Jobs } from './jobs.svelte';
import { Notices } from './notices.svelte';
import { ExploreState } from './explore.svelte';

export type ColorBy = 'cluster' | 'truth';

/** What is saved with the project under VIEW_KEY. */
export interface SkeletonView {
  datasetId: string | null;
  runId: string | null;
  x: number;
  y: number;
  colorBy: ColorBy;
  /** The view shown (views/registry.ts). */
  view?: string;
}

export const VIEW_KEY = 'skeleton';

/** The scatter's axes: two columns of the data, or its first two principal components. */
export type Axes = 'columns' | 'pca';

/** Samples drawn emphasised on the scatter: a cluster chosen in another view (a silhouette band). */
export interface Selection {
  runId: string;
  cluster: number;
  /** Dataset rows, ascending. */
  rows: Int32Array;
}

/** What the Clusters view saves per dataset under CLUSTERS_KEY. */
export interface ClustersViewState {
  axes: Axes;
  /** The zoom, for the axes it was made on (`pca`, or `x,y` columns). */
  zoom: { axes: string; view: ZoomView } | null;
  algorithm: AlgorithmName;
  selection: { runId: string; cluster: number } | null;
}

export const CLUSTERS_KEY = 'clusters';

function parseClustersState(v: unknown): ClustersViewState | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const z = o.zoom as Record<string, unknown> | null | undefined;
  const view = z && typeof z.axes === 'string' ? parseZoomView(z.view) : null;
  const sel = o.selection as Record<string, unknown> | null | undefined;
  return {
    axes: o.axes === 'pca' ? 'pca' : 'columns',
    zoom: view && z ? { axes: z.axes as string, view } : null,
    algorithm: isAlgorithm(o.algorithm) ? o.algorithm : 'kmeans',
    selection: sel && typeof sel.runId === 'string' && Number.isInteger(sel.cluster) ? { runId: sel.runId, cluster: sel.cluster as number } : null,
  };
}

/** What a view keeps per dataset under its own key: `{ [datasetId]: state }`. */
type Keyed = Record<string, unknown>;

function parseView(v: unknown): SkeletonView | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const int = (x: unknown): number | null => (Number.isInteger(x) && (x as number) >= 0 ? (x as number) : null);
  const x = int(o.x), y = int(o.y);
  if (x === null || y === null) return null;
  return {
    datasetId: typeof o.datasetId === 'string' ? o.datasetId : null,
    runId: typeof o.runId === 'string' ? o.runId : null,
    x,
    y,
    colorBy: o.colorBy === 'truth' ? 'truth' : 'cluster',
    view: typeof o.view === 'string' ? o.view : undefined,
  };
}

/** The newest finished run, the natural one to show. */
function latestRun(runs: RunSummary[]): RunSummary | null {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i].status === 'done') return runs[i];
  return null;
}

export class Workspace {
  readonly jobs = new Jobs();
  readonly notices = new Notices();

  info = $state<AppInfo | null>(null);
  project = $state<ProjectSummary | null>(null);
  recent = $state<RecentProject[]>([]);
  datasets = $state<DatasetSummary[]>([]);
  datasetId = $state<string | null>(null);
  runs = $state<RunSummary[]>([]);
  runId = $state<string | null>(null);
  /** The selected run with its labels and centres (large typed arrays: replaced whole). */
  run = $state.raw<RunDetail | null>(null);
  /** The two chosen columns of the selected dataset (and its ground truth). */
  columnPoints = $state.raw<ColumnPairDTO | null>(null);
  xCol = $state(0);
  yCol = $state(1);
  colorBy = $state<ColorBy>('cluster');
  /** Columns or PCA on the scatter's axes. */
  axes = $state<Axes>('columns');
  /** The selected dataset's PCA projection, once computed (or restored). */
  projection = $state.raw<ProjectionResult | null>(null);
  /** The job computing it, while it runs. */
  projectionJobId = $state<string | null>(null);
  /** The scatter's zoom; null shows all the data. */
  zoom = $state<ZoomView | null>(null);
  /** Samples emphasised on the scatter. */
  selection = $state.raw<Selection | null>(null);
  /** The algorithm chosen in the clustering form. */
  algorithm = $state<AlgorithmName>('kmeans');
  /** The view shown in the main area (an id of views/registry.ts). */
  view = $state('clusters');
  /** False until the first load is over (so the empty state does not flash). */
  ready = $state(false);
  /** What is being loaded, for a quiet "loading" line; null when idle. */
  loading = $state<string | null>(null);
  /** The job the clustering form started last, per dataset. */
  formJobs = $state<Record<string, string>>({});

  dataset = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  isBrowserHost = $derived(this.info?.host !== 'electron');
  formJob = $derived(this.datasetId ? this.jobs.get(this.formJobs[this.datasetId]) : null);
  projectionJob = $derived(this.jobs.get(this.projectionJobId));

  /**
   * The points on the scatter: the two columns, or PC1 / PC2 once the projection is there
   * (with the ground truth of the columns either way). Null while loading.
   */
  points = $derived.by((): ColumnPairDTO | null => {
    const cols = this.columnPoints;
    if (!cols || this.axes === 'columns') return cols;
    const p = this.projection;
    return p && p.x.length === cols.x.length ? { ...cols, x: p.x, y: p.y } : null;
  });

  /** What the axes say, and whether they are a projection. */
  axisLabels = $derived.by((): { x: string; y: string; projected: boolean } => {
    const names = this.dataset?.featureNames ?? [];
    const p = this.projection;
    if (this.axes === 'pca') {
      const pct = (i: number): string => (p ? ` (${(p.explainedVarianceRatio[i] * 100).toFixed(1)} %)` : '');
      return { x: `PC1${pct(0)} · PCA projection`, y: `PC2${pct(1)} · PCA projection`, projected: true };
    }
    return { x: names[this.xCol] ?? '', y: names[this.yCol] ?? '', projected: false };
  });

  /** The key a zoom belongs to: it is kept only while the axes stay the same. */
  zoomAxes = $derived(this.axes === 'pca' ? 'pca' : `${this.xCol},${this.yCol}`);

  /** The project whose datasets are loaded; a project:changed for another path reloads. */
  private loadedPath: string | null = null;
  /** Generation counters: a slower, older load never overwrites a newer one. */
  private projectGen = 0;
  private datasetGen = 0;
  private runGen = 0;
  private pointsGen = 0;
  private projectionGen = 0;
  /** Resolvers of `finished(jobId)`. */
  private jobWaiters: Record<string, Array<(j: JobInfo) => void>> = {};
  /** Fit jobs whose run should not replace the one shown when they finish. */
  private quietJobs: Record<string, true> = {};
  /** Per-view keyed state read from the project, cached until the project changes. */
  private keyed: Record<string, Keyed> = {};
  /** The exploration views' state per dataset, so that switching tabs keeps it. */
  private explores: Record<string, ExploreState> = {};
  private zoomTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly api: ClientApi) {}

  async init(): Promise<void> {
    this.listen();
    try {
      const [info, project, recent, jobs] = await Promise.all([
        this.api.app.info(),
        this.api.project.current(),
        this.api.project.recent(),
        this.api.jobs.list(),
      ]);
      this.info = info;
      this.recent = recent;
      for (const j of jobs) this.jobs.upsert(j);
      this.project = project;
      if (project) await this.loadProject();
    } catch (e) {
      this.notices.error(`Could not start: ${errorMessage(e)}`);
    } finally {
      this.ready = true;
    }
  }

  private listen(): void {
    const api = this.api;
    api.on('job:started', (j) => this.jobs.upsert(j));
    api.on('job:progress', (p) => this.jobs.progress(p));
    api.on('job:done', (j) => {
      this.jobs.upsert(j);
      this.settle(j);
      void this.onJobDone(j);
    });
    api.on('job:failed', (j) => {
      this.jobs.upsert(j);
      this.settle(j);
      this.notices.error(`${j.title} failed: ${j.error ?? 'unknown error'}`);
    });
    api.on('job:cancelled', (j) => {
      this.jobs.upsert(j);
      this.settle(j);
    });
    api.on('project:changed', (p) => this.onProjectChanged(p));
  }

  private onProjectChanged(p: ApiEvents['project:changed']): void {
    this.project = p;
    void this.refreshRecent();
    if (!p) {
      this.loadedPath = null;
      this.clearProject();
    } else if (p.path !== this.loadedPath) {
      void this.loadProject();
    }
  }

  private async onJobDone(job: JobInfo): Promise<void> {
    const datasetId = this.datasetId;
    await this.guard('Refreshing the runs', async () => {
      this.project = await this.api.project.current();
      if (!datasetId || !job.runId) return;
      const runs = await this.api.runs.list(datasetId);
      if (this.datasetId !== datasetId) return;
      this.runs = runs;
      // A run that just finished on the dataset in view is the one the person wants to see,
      // unless it was started as one of several (side-by-side silhouettes).
      const quiet = this.quietJobs[job.id];
      delete this.quietJobs[job.id];
      if (runs.some((r) => r.id === job.runId) && !quiet) await this.selectRun(job.runId);
    });
  }

  private settle(job: JobInfo): void {
    const waiting = this.jobWaiters[job.id];
    if (!waiting) return;
    delete this.jobWaiters[job.id];
    for (const w of waiting) w(job);
  }

  /** Resolves with the job once it has ended (done, failed or cancelled). */
  finished(jobId: string): Promise<JobInfo> {
    const known = this.jobs.get(jobId);
    if (known && !isActive(known)) return Promise.resolve(known);
    return new Promise((ok) => {
      (this.jobWaiters[jobId] ??= []).push(ok);
    });
  }

  /** Starts a job; `quiet` fits do not take over the scatter when they finish. Throws with the backend's reason. */
  async startJob(spec: JobSpec, opts: { quiet?: boolean } = {}): Promise<JobInfo> {
    const job = await this.api.jobs.start(spec);
    if (opts.quiet) this.quietJobs[job.id] = true;
    // The events may have overtaken this reply: never replace a newer state with the start snapshot.
    if (!this.jobs.get(job.id)) this.jobs.upsert(job);
    return job;
  }

  private clearProject(): void {
    this.datasets = [];
    this.datasetId = null;
    this.runs = [];
    this.runId = null;
    this.run = null;
    this.columnPoints = null;
    this.projection = null;
    this.selection = null;
    this.zoom = null;
  }

  /** The exploration views' state of a dataset (kept while the project is open). */
  explore(datasetId: string): ExploreState {
    return (this.explores[datasetId] ??= new ExploreState(this, datasetId));
  }

  /** A view's saved state for one dataset, read once per project. */
  async readViewState(key: string, datasetId: string): Promise<unknown> {
    let all = this.keyed[key];
    if (!all) {
      const v = await this.api.project.getViewState(key);
      all = this.keyed[key] ??= v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Keyed) } : {};
    }
    return all[datasetId] ?? null;
  }

  /** Saves a view's state for one dataset (the other datasets' entries are kept). */
  saveViewState(key: string, datasetId: string, value: unknown): void {
    const p = this.project;
    if (!p || p.readOnly) return;
    const all = { ...(this.keyed[key] ?? {}), [datasetId]: value };
    this.keyed[key] = all;
    this.api.project.setViewState(key, all).catch((e: unknown) => this.notices.error(`Could not save the view: ${errorMessage(e)}`));
  }

  /** Loads the open project's datasets and restores its saved view. */
  private async loadProject(): Promise<void> {
    // A zoom of the previous project not saved yet (switched from the desktop menu) must not be
    // written into this one.
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.zoomTimer = null;
    const gen = ++this.projectGen;
    this.loadedPath = this.project?.path ?? null;
    this.keyed = {};
    this.explores = {};
    this.loading = 'Opening the project…';
    try {
      const [datasets, view] = await Promise.all([this.api.data.list(), this.api.project.getViewState(VIEW_KEY)]);
      if (gen !== this.projectGen) return;
      this.datasets = datasets;
      const v = parseView(view);
      this.view = v?.view ?? 'clusters';
      const ds = datasets.find((d) => d.id === v?.datasetId) ?? datasets[0] ?? null;
      if (ds) await this.selectDataset(ds.id, v?.datasetId === ds.id ? v : null);
      else this.clearProject();
    } catch (e) {
      this.notices.error(`Could not load the project: ${errorMessage(e)}`);
    } finally {
      if (gen === this.projectGen) this.loading = null;
    }
  }

  /** Switches the main area to another view (remembered with the project). */
  showView(id: string): void {
    if (this.view === id) return;
    this.view = id;
    this.persist();
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await this.api.project.recent();
    } catch (e) {
      this.notices.error(`Could not read the recent projects: ${errorMessage(e)}`);
    }
  }

  /** Shows a dataset; `restore` is the saved view when reopening, otherwise the defaults apply. */
  async selectDataset(id: string, restore: SkeletonView | null = null): Promise<void> {
    const ds = this.datasets.find((d) => d.id === id);
    if (!ds) return;
    const gen = ++this.datasetGen;
    const n = ds.nFeatures;
    this.datasetId = id;
    this.xCol = restore && restore.x < n ? restore.x : 0;
    this.yCol = restore && restore.y < n ? restore.y : Math.min(1, n - 1);
    this.colorBy = restore?.colorBy === 'truth' && ds.labelClasses ? 'truth' : 'cluster';
    this.run = null;
    this.runId = null;
    this.columnPoints = null;
    this.projection = null;
    this.projectionJobId = null;
    this.selection = null;
    this.zoom = null;
    this.axes = 'columns';
    await this.guard(`Could not open ${ds.name}`, async () => {
      const [runs, saved] = await Promise.all([this.api.runs.list(id), this.readViewState(CLUSTERS_KEY, id)]);
      if (gen !== this.datasetGen) return;
      this.runs = runs;
      const cv = parseClustersState(saved);
      if (cv) {
        this.axes = cv.axes;
        this.algorithm = cv.algorithm;
        this.zoom = cv.zoom?.axes === this.zoomAxes ? cv.zoom.view : null;
      }
      const savedRun = restore?.runId && runs.some((r) => r.id === restore.runId) ? restore.runId : null;
      await Promise.all([
        this.loadPoints(),
        this.loadRun(savedRun ?? latestRun(runs)?.id ?? null),
        this.axes === 'pca' ? this.loadProjection() : Promise.resolve(),
        cv?.selection && runs.some((r) => r.id === cv.selection!.runId) ? this.restoreSelection(cv.selection) : Promise.resolve(),
      ]);
    });
    if (!restore && gen === this.datasetGen) this.persist();
  }

  async selectRun(runId: string | null): Promise<void> {
    await this.loadRun(runId);
    this.persist();
  }

  async setColumns(x: number, y: number): Promise<void> {
    this.xCol = x;
    this.yCol = y;
    this.zoom = null;
    await this.loadPoints();
    this.persist();
    this.persistClusters();
  }

  setColorBy(c: ColorBy): void {
    this.colorBy = c;
    this.persist();
  }

  /** Shows two columns or the PCA projection (computed once as a job, then restored from the project). */
  async setAxes(axes: Axes): Promise<void> {
    if (this.axes === axes) return;
    this.axes = axes;
    this.zoom = null;
    this.persistClusters();
    if (axes === 'pca') await this.loadProjection();
  }

  /** A new zoom from the scatter (saved a moment after the gesture ends). */
  setZoom(view: ZoomView | null): void {
    this.zoom = view;
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.zoomTimer = setTimeout(() => {
      this.zoomTimer = null;
      this.persistClusters();
    }, 400);
  }

  /** Saves a zoom whose save is still waiting for the end of the gesture, now. */
  private flushZoom(): void {
    if (!this.zoomTimer) return;
    clearTimeout(this.zoomTimer);
    this.zoomTimer = null;
    this.persistClusters();
  }

  setAlgorithm(a: AlgorithmName): void {
    this.algorithm = a;
    this.persistClusters();
  }

  /** Emphasises samples on the scatter (null clears); saved as the run and cluster they are. */
  select(sel: Selection | null): void {
    this.selection = sel;
    this.persistClusters();
  }

  private async restoreSelection(s: { runId: string; cluster: number }): Promise<void> {
    const run = await this.api.runs.get(s.runId);
    const rows: number[] = [];
    for (let i = 0; i < run.labels.length; i++) if (run.labels[i] === s.cluster) rows.push(i);
    if (run.datasetId === this.datasetId && rows.length > 0) this.selection = { ...s, rows: Int32Array.from(rows) };
  }

  /**
   * Centres on the scatter's axes: the chosen columns, or projected with the dataset's PCA.
   * @param c (k, nFeatures)
   */
  projectCenters(c: MatrixDTO): Array<{ x: number; y: number }> {
    const out: Array<{ x: number; y: number }> = [];
    if (this.axes === 'pca') {
      const p = this.projection;
      if (!p || p.components.cols !== c.cols) return [];
      const d = c.cols, W = p.components.data;
      for (let k = 0; k < c.rows; k++) {
        let x = 0, y = 0;
        for (let f = 0; f < d; f++) {
          const v = c.data[k * d + f] - p.mean[f];
          x += v * W[f];
          y += v * W[d + f];
        }
        out.push({ x, y });
      }
      return out;
    }
    if (this.xCol >= c.cols || this.yCol >= c.cols) return [];
    for (let k = 0; k < c.rows; k++) out.push({ x: c.data[k * c.cols + this.xCol], y: c.data[k * c.cols + this.yCol] });
    return out;
  }

  /** The saved projection of the dataset, or a projection job started and waited for. */
  private async loadProjection(): Promise<void> {
    const id = this.datasetId;
    if (!id || this.projection) return;
    const gen = ++this.projectionGen;
    await this.guard('Could not compute the PCA projection', async () => {
      const [saved] = await this.api.analyses.list(id, { kind: 'projection' });
      let analysisId = saved?.id ?? null;
      if (!analysisId) {
        if (this.project?.readOnly) throw new Error('this project is open read-only; use Save as… to compute it');
        const job = await this.startJob({ kind: 'analysis', analysis: 'projection', datasetId: id, params: { method: 'pca' } });
        if (gen === this.projectionGen) this.projectionJobId = job.id;
        const end = await this.finished(job.id);
        if (end.state !== 'done' || !end.analysisId) return;
        analysisId = end.analysisId;
      }
      const { result } = await this.api.analyses.get(analysisId);
      if (gen === this.projectionGen && this.datasetId === id) this.projection = result as ProjectionResult;
    });
    if (gen === this.projectionGen) this.projectionJobId = null;
  }

  private async loadRun(runId: string | null): Promise<void> {
    const gen = ++this.runGen;
    this.runId = runId;
    if (!runId) {
      this.run = null;
      return;
    }
    await this.guard('Could not load the run', async () => {
      const run = await this.api.runs.get(runId);
      if (gen === this.runGen) this.run = run;
    });
  }

  private async loadPoints(): Promise<void> {
    const id = this.datasetId;
    if (!id) return;
    const gen = ++this.pointsGen;
    const cols: [number, number] = [this.xCol, this.yCol];
    await this.guard('Could not load the columns', async () => {
      const pts = await this.api.data.columns(id, cols);
      if (gen === this.pointsGen) this.columnPoints = pts;
    });
  }

  private persistClusters(): void {
    if (!this.datasetId) return;
    const state: ClustersViewState = {
      axes: this.axes,
      zoom: this.zoom ? { axes: this.zoomAxes, view: { ...this.zoom } } : null,
      algorithm: this.algorithm,
      selection: this.selection ? { runId: this.selection.runId, cluster: this.selection.cluster } : null,
    };
    this.saveViewState(CLUSTERS_KEY, this.datasetId, state);
  }

  private persist(): void {
    const p = this.project;
    if (!p || p.readOnly || !this.datasetId) return;
    const view: SkeletonView = { datasetId: this.datasetId, runId: this.runId, x: this.xCol, y: this.yCol, colorBy: this.colorBy, view: this.view };
    this.api.project.setViewState(VIEW_KEY, view).catch((e: unknown) => this.notices.error(`Could not save the view: ${errorMessage(e)}`));
  }

  /** Runs an action; a failure becomes a notice in the status bar instead of vanishing. */
  private async guard(what: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (e) {
      this.notices.error(`${what}: ${errorMessage(e)}`);
      return false;
    }
  }

  // ── Project commands ─────────────────────────────────────────────────────────────────────

  async newProject(): Promise<void> {
    await this.guard('Could not create a project', async () => {
      this.flushZoom();
      this.project = await this.api.project.create();
      await this.loadProject();
    });
  }

  async openSample(): Promise<void> {
    this.loading = 'Opening the sample…';
    await this.guard('Could not open the sample', async () => {
      // The datasets are added after the project:changed event: load once the call returns.
      this.flushZoom();
      this.project = await this.api.project.openSample();
      await this.loadProject();
    });
    this.loading = null;
  }

  async openProject(path: string): Promise<void> {
    await this.guard('Could not open the project', async () => {
      this.flushZoom();
      this.project = await this.api.project.open(path);
      await this.loadProject();
    });
    await this.refreshRecent();
  }

  /** Opens a project file chosen in the native dialog (desktop app only). */
  async pickProject(): Promise<void> {
    await this.guard('Could not open the project', async () => {
      const ref = await this.api.files.pickOpen({ title: 'Open project', extensions: ['clusterscope'] });
      if (ref?.kind === 'path') await this.openProject(ref.path);
    });
  }

  /** Saves under a name; throws with the backend's reason, which the dialog shows. */
  async saveAs(name: string): Promise<void> {
    // A zoom still waiting for its gesture to end goes into the copy too (and, before any other
    // switch of project, into the project it was made in).
    this.flushZoom();
    this.project = await this.api.project.saveAs(name);
    await this.refreshRecent();
    if (this.project.path !== this.loadedPath) await this.loadProject();
  }

  /** A dataset the import dialog added: list it and show it. */
  async addDataset(ds: DatasetSummary): Promise<void> {
    this.datasets = [...this.datasets.filter((d) => d.id !== ds.id), ds];
    if (this.project) this.project = { ...this.project, datasetCount: this.datasets.length };
    await this.selectDataset(ds.id);
  }

  // ── Jobs ─────────────────────────────────────────────────────────────────────────────────

  /** Starts the form's algorithm on the selected dataset; throws with the backend's reason. */
  async runFit(algorithm: AlgorithmName, params: Record<string, unknown>, metrics: MetricName[]): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId) throw new Error('Choose a dataset first');
    const job = await this.startJob({ kind: 'fit', datasetId, algorithm, params: { ...params }, metrics: [...metrics] });
    this.formJobs[datasetId] = job.id;
  }

  async cancelJob(jobId: string): Promise<void> {
    await this.guard('Could not cancel the job', () => this.api.jobs.cancel(jobId));
  }
}
