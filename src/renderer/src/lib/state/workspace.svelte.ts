/**
 * The open project as the renderer shows it: its datasets, the selected dataset's runs, the
 * selected run and the two columns on the scatter. Every change of selection is saved with the
 * project (view state key `skeleton`), so reopening the project shows it exactly as it was left.
 * The backend's events keep it current: a finished job refreshes the runs, a project change
 * (open, save as, new) reloads everything.
 */
import type { ApiEvents, ClientApi } from '../../../../shared/api';
import type { AppInfo, ColumnPairDTO, DatasetSummary, JobInfo, ProjectSummary, RecentProject, RunDetail, RunSummary } from '../../../../shared/dto';
import { errorMessage } from '../format';
import { Jobs } from './jobs.svelte';
import { Notices } from './notices.svelte';

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

/** The K-Means hyperparameters by the core's names (scikit-learn's, in camelCase). */
export interface KMeansParams {
  nClusters: number;
  nInit: number;
  init: 'k-means++' | 'random';
  maxIter: number;
  tol: number;
  algorithm: 'lloyd' | 'elkan';
  /** Absent: the backend draws a fresh seed and records it with the run. */
  randomState?: number;
}

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
  /** The two scatter columns of the selected dataset. */
  points = $state.raw<ColumnPairDTO | null>(null);
  xCol = $state(0);
  yCol = $state(1);
  colorBy = $state<ColorBy>('cluster');
  /** The view shown in the main area (an id of views/registry.ts). */
  view = $state('clusters');
  /** False until the first load is over (so the empty state does not flash). */
  ready = $state(false);
  /** What is being loaded, for a quiet "loading" line; null when idle. */
  loading = $state<string | null>(null);
  /** The job the K-Means form started last, per dataset. */
  formJobs = $state<Record<string, string>>({});

  dataset = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  isBrowserHost = $derived(this.info?.host !== 'electron');
  formJob = $derived(this.datasetId ? this.jobs.get(this.formJobs[this.datasetId]) : null);

  /** The project whose datasets are loaded; a project:changed for another path reloads. */
  private loadedPath: string | null = null;
  /** Generation counters: a slower, older load never overwrites a newer one. */
  private projectGen = 0;
  private datasetGen = 0;
  private runGen = 0;
  private pointsGen = 0;

  constructor(private readonly api: ClientApi) {}

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
      void this.onJobDone(j);
    });
    api.on('job:failed', (j) => {
      this.jobs.upsert(j);
      this.notices.error(`${j.title} failed: ${j.error ?? 'unknown error'}`);
    });
    api.on('job:cancelled', (j) => this.jobs.upsert(j));
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
      // A run that just finished on the dataset in view is the one the person wants to see.
      if (runs.some((r) => r.id === job.runId)) await this.selectRun(job.runId);
    });
  }

  private clearProject(): void {
    this.datasets = [];
    this.datasetId = null;
    this.runs = [];
    this.runId = null;
    this.run = null;
    this.points = null;
  }

  /** Loads the open project's datasets and restores its saved view. */
  private async loadProject(): Promise<void> {
    const gen = ++this.projectGen;
    this.loadedPath = this.project?.path ?? null;
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
    this.points = null;
    await this.guard(`Could not open ${ds.name}`, async () => {
      const runs = await this.api.runs.list(id);
      if (gen !== this.datasetGen) return;
      this.runs = runs;
      const saved = restore?.runId && runs.some((r) => r.id === restore.runId) ? restore.runId : null;
      await Promise.all([this.loadPoints(), this.loadRun(saved ?? latestRun(runs)?.id ?? null)]);
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
    await this.loadPoints();
    this.persist();
  }

  setColorBy(c: ColorBy): void {
    this.colorBy = c;
    this.persist();
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
      if (gen === this.pointsGen) this.points = pts;
    });
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
      this.project = await this.api.project.create();
      await this.loadProject();
    });
  }

  async openSample(): Promise<void> {
    this.loading = 'Opening the sample…';
    await this.guard('Could not open the sample', async () => {
      // The datasets are added after the project:changed event: load once the call returns.
      this.project = await this.api.project.openSample();
      await this.loadProject();
    });
    this.loading = null;
  }

  async openProject(path: string): Promise<void> {
    await this.guard('Could not open the project', async () => {
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

  /** Starts K-Means on the selected dataset; throws with the backend's reason. */
  async runKMeans(params: KMeansParams): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId) throw new Error('Choose a dataset first');
    const job = await this.api.jobs.start({
      kind: 'fit',
      datasetId,
      algorithm: 'kmeans',
      params: { ...params },
      metrics: ['silhouette', 'ari'],
    });
    // The events may have overtaken this reply: never replace a newer state with the start snapshot.
    if (!this.jobs.get(job.id)) this.jobs.upsert(job);
    this.formJobs[datasetId] = job.id;
  }

  async cancelJob(jobId: string): Promise<void> {
    await this.guard('Could not cancel the job', () => this.api.jobs.cancel(jobId));
  }
}
