/**
 * The labeling view's state for one dataset: the project's labels (kept current by the
 * `annotations:changed` events), the centroid run being labeled with its gallery, the saved
 * evaluations of that run (the rounds of active learning), the clustering-as-features search, and
 * the person's settings (tab, propagation, the grid's mode), saved with the project under the view
 * state key `labeling`. Every label is saved as it is committed, one undoable action each.
 */
import type { ClusterFeaturesParams, ClusterFeaturesResult, EvaluateLabelsResult, GalleryResult } from '../../../../shared/analyses/labeling';
import type { DatasetSummary, JobInfo, LabelChange, RunSummary } from '../../../../shared/dto';
import type { FitPreprocess, JobSpec } from '../../../../shared/jobs';
import { errorMessage } from '../format';
import type { Workspace } from '../state/workspace.svelte';
import { labelsAsParams } from './evaluation';
import { LabelBook } from './label-book';
import { clearPropagation, planPropagation, type PropagationMode, type PropagationPlan } from './propagation';

export const LABELING_KEY = 'labeling';

export type LabelingTab = 'label' | 'gallery' | 'evaluate' | 'features';
export type GridMode = 'representatives' | 'next';

/** Algorithms whose runs have centroids to label around. */
export const CENTROID_ALGORITHMS = ['kmeans', 'minibatch-kmeans'];

export function isCentroidRun(r: Pick<RunSummary, 'algorithm' | 'status'> | null | undefined): boolean {
  return !!r && r.status === 'done' && CENTROID_ALGORITHMS.includes(r.algorithm);
}

interface Saved {
  tab: LabelingTab;
  propagation: PropagationMode;
  gridMode: GridMode;
  cluster: number;
}

function parseSaved(v: unknown): Partial<Saved> {
  if (!v || typeof v !== 'object') return {};
  const o = v as Record<string, unknown>;
  const out: Partial<Saved> = {};
  if (o.tab === 'label' || o.tab === 'gallery' || o.tab === 'evaluate' || o.tab === 'features') out.tab = o.tab;
  const p = o.propagation as Record<string, unknown> | undefined;
  if (p?.kind === 'cluster') out.propagation = { kind: 'cluster' };
  else if (p?.kind === 'percentile' && typeof p.percentile === 'number' && p.percentile >= 0 && p.percentile <= 100) out.propagation = { kind: 'percentile', percentile: p.percentile };
  if (o.gridMode === 'representatives' || o.gridMode === 'next') out.gridMode = o.gridMode;
  if (Number.isInteger(o.cluster) && (o.cluster as number) >= 0) out.cluster = o.cluster as number;
  return out;
}

export interface SavedEvaluation {
  id: string;
  createdAt: string;
  result: EvaluateLabelsResult;
}

export class LabelingSession {
  book = $state.raw(new LabelBook());
  labelsLoaded = $state(false);
  history = $state({ canUndo: false, canRedo: false });
  /** The file of each row (image datasets), or null. */
  itemNames = $state.raw<string[] | null>(null);
  /** True once the saved settings, labels and item names have been read. */
  ready = $state(false);

  /** The run the gallery belongs to. */
  runId = $state<string | null>(null);
  gallery = $state.raw<GalleryResult | null>(null);
  galleryJobId = $state<string | null>(null);
  /** Why there is no gallery and none is being made, or null. */
  galleryNote = $state<string | null>(null);
  evaluations = $state.raw<SavedEvaluation[]>([]);
  evalJobId = $state<string | null>(null);
  features = $state.raw<{ params: ClusterFeaturesParams; result: ClusterFeaturesResult } | null>(null);
  featuresJobId = $state<string | null>(null);
  fitJobId = $state<string | null>(null);

  tab = $state<LabelingTab>('label');
  propagation = $state<PropagationMode>({ kind: 'percentile', percentile: 20 });
  gridMode = $state<GridMode>('representatives');
  /** The cluster shown in the gallery. */
  cluster = $state(0);
  /** A label change being saved (for the status line). */
  saving = $state(0);

  latest = $derived(this.evaluations.at(-1) ?? null);
  /** Labels in use, the most used first: the completion's candidates. */
  knownLabels = $derived(this.book.counts().map((c) => c.label));
  plan = $derived<PropagationPlan | null>(this.gallery ? planPropagation(this.gallery, this.book, this.propagation) : null);
  /** The rows of the grid: the representatives, or the rows proposed by the last evaluation. */
  gridRows = $derived.by((): Int32Array => {
    if (this.gridMode === 'next' && this.latest && this.latest.result.next.length > 0) return this.latest.result.next;
    return this.gallery?.representatives ?? new Int32Array(0);
  });

  private readonly unsubscribe: Array<() => void> = [];
  private labelsGen = 0;
  private runGen = 0;
  private restored = false;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly ws: Workspace,
    readonly dataset: DatasetSummary,
  ) {
    const api = ws.api;
    this.unsubscribe.push(
      api.on('annotations:changed', (e) => {
        if (e.datasetId === dataset.id && e.target === 'label') void this.loadLabels();
      }),
    );
  }

  get datasetId(): string {
    return this.dataset.id;
  }

  get galleryJob(): JobInfo | null {
    return this.ws.jobs.get(this.galleryJobId);
  }

  get evalJob(): JobInfo | null {
    return this.ws.jobs.get(this.evalJobId);
  }

  get featuresJob(): JobInfo | null {
    return this.ws.jobs.get(this.featuresJobId);
  }

  get fitJob(): JobInfo | null {
    return this.ws.jobs.get(this.fitJobId);
  }

  get readOnly(): boolean {
    return !!this.ws.project?.readOnly;
  }

  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** Reads the saved settings, the labels, the item names and the last feature search (once). */
  async restore(): Promise<void> {
    if (this.restored) return;
    this.restored = true;
    await this.guard('Could not open the labeling view', async () => {
      const [saved, names] = await Promise.all([this.ws.readViewState(LABELING_KEY, this.datasetId), this.ws.api.data.items(this.datasetId)]);
      const s = parseSaved(saved);
      if (s.tab) this.tab = s.tab;
      if (s.propagation) this.propagation = s.propagation;
      if (s.gridMode) this.gridMode = s.gridMode;
      if (s.cluster !== undefined) this.cluster = s.cluster;
      this.itemNames = names;
      await Promise.all([this.loadLabels(), this.loadFeatures()]);
    });
    this.ready = true;
  }

  /** Saves the settings shortly after the last change (a slider sends many). */
  private persist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      const v: Saved = { tab: this.tab, propagation: this.propagation, gridMode: this.gridMode, cluster: this.cluster };
      this.ws.saveViewState(LABELING_KEY, this.datasetId, v);
    }, 250);
  }

  setTab(tab: LabelingTab): void {
    this.tab = tab;
    this.persist();
  }

  setPropagation(mode: PropagationMode): void {
    this.propagation = mode;
    this.persist();
  }

  setGridMode(mode: GridMode): void {
    this.gridMode = mode;
    this.persist();
  }

  showCluster(c: number): void {
    const k = this.gallery?.nClusters ?? 0;
    if (k === 0) return;
    this.cluster = Math.min(k - 1, Math.max(0, c));
    this.persist();
  }

  // ── Labels ───────────────────────────────────────────────────────────────────────────────

  async loadLabels(): Promise<void> {
    const gen = ++this.labelsGen;
    await this.guard('Could not read the labels', async () => {
      const [entries, history] = await Promise.all([this.ws.api.annotations.labels(this.datasetId), this.ws.api.annotations.history(this.datasetId)]);
      if (gen !== this.labelsGen) return;
      this.book = new LabelBook(entries);
      this.history = history;
      this.labelsLoaded = true;
    });
  }

  /** Saves one label typed by hand (null or blank removes it): one undoable action. */
  async setLabel(row: number, label: string | null): Promise<void> {
    const text = label?.trim() ? label.trim() : null;
    const now = this.book.at(row);
    if ((now?.label ?? null) === text && (text === null || now?.source === 'hand')) return;
    await this.save([{ row, label: text, source: 'hand' }], 'Could not save the label');
  }

  private async save(changes: LabelChange[], what: string): Promise<void> {
    if (changes.length === 0) return;
    if (this.readOnly) {
      this.ws.notices.error(`${what}: this project is open read-only (use Save as… first)`);
      return;
    }
    // Shown at once; the saved state follows with the annotations:changed event.
    this.book = this.book.withChanges(changes);
    this.saving++;
    try {
      await this.ws.api.annotations.setLabels(this.datasetId, changes);
    } catch (e) {
      this.ws.notices.error(`${what}: ${errorMessage(e)}`);
      await this.loadLabels();
    } finally {
      this.saving--;
    }
  }

  async undo(): Promise<void> {
    await this.guard('Could not undo', async () => {
      await this.ws.api.annotations.undo(this.datasetId);
      await this.loadLabels();
    });
  }

  async redo(): Promise<void> {
    await this.guard('Could not redo', async () => {
      await this.ws.api.annotations.redo(this.datasetId);
      await this.loadLabels();
    });
  }

  /** Saves the current propagation plan (one undoable action). */
  async applyPropagation(): Promise<void> {
    if (this.plan) await this.save(this.plan.changes, 'Could not propagate the labels');
  }

  async clearPropagated(): Promise<void> {
    await this.save(clearPropagation(this.book), 'Could not remove the propagated labels');
  }

  /** The labels as CSV: a save dialog in the desktop app, a download in the browser. */
  async exportLabels(): Promise<void> {
    await this.guard('Could not export the labels', async () => {
      const api = this.ws.api;
      if (this.ws.info?.host === 'electron') {
        const path = await api.labeling.saveLabels(this.datasetId);
        if (path) this.ws.notices.info(`Labels saved to ${path}`);
        return;
      }
      const csv = await api.annotations.exportLabels(this.datasetId);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${this.dataset.name} labels.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  }

  // ── The run, its gallery and its evaluations ─────────────────────────────────────────────

  /** Shows a run: its saved gallery (computed now if there is none) and its evaluations. */
  async setRun(runId: string | null): Promise<void> {
    if (runId === this.runId && (this.gallery || this.galleryJobId)) return;
    const gen = ++this.runGen;
    this.runId = runId;
    this.gallery = null;
    this.galleryJobId = null;
    this.galleryNote = null;
    this.evaluations = [];
    if (!runId) return;
    await this.guard('Could not load the gallery', async () => {
      const api = this.ws.api;
      const [galleries, evals] = await Promise.all([
        api.analyses.list(this.datasetId, { kind: 'gallery', runId }),
        api.analyses.list(this.datasetId, { kind: 'evaluate-labels', runId }),
      ]);
      if (gen !== this.runGen) return;
      const loaded = await Promise.all(evals.map(async (s) => ({ id: s.id, createdAt: s.createdAt, result: (await api.analyses.get(s.id)).result as EvaluateLabelsResult })));
      if (gen !== this.runGen) return;
      this.evaluations = loaded.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
      if (galleries[0]) {
        const g = (await api.analyses.get(galleries[0].id)).result as GalleryResult;
        if (gen === this.runGen) this.setGallery(g);
      } else if (this.readOnly) {
        this.galleryNote = 'This run has no gallery yet, and the project is open read-only: use Save as… to label around it.';
      } else {
        const result = await this.runAnalysis({ kind: 'analysis', analysis: 'gallery', datasetId: this.datasetId, runId, params: {} }, (id) => {
          if (gen === this.runGen) this.galleryJobId = id;
        });
        if (result && gen === this.runGen) this.setGallery(result as GalleryResult);
      }
    });
  }

  private setGallery(g: GalleryResult): void {
    this.gallery = g;
    if (this.cluster >= g.nClusters) this.cluster = 0;
  }

  /** Fits K-Means for labeling (with PCA and a held-out split when asked); the new run is selected when done. */
  async startClustering(params: { nClusters: number; nInit: number; randomState: number }, preprocess: FitPreprocess): Promise<void> {
    const job = await this.ws.startJob({ kind: 'fit', datasetId: this.datasetId, algorithm: 'kmeans', params: { ...params }, metrics: [], preprocess });
    this.fitJobId = job.id;
  }

  /** Trains the classifier on the labels as they are now; the result is a new round. */
  async evaluate(next: number): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    const params = { ...labelsAsParams(this.book.entries()), next };
    await this.guard('Could not evaluate the labels', async () => {
      const id = await this.runAnalysisId({ kind: 'analysis', analysis: 'evaluate-labels', datasetId: this.datasetId, runId, params }, (j) => (this.evalJobId = j));
      if (!id || runId !== this.runId) return;
      const { summary, result } = await this.ws.api.analyses.get(id);
      if (runId !== this.runId) return;
      this.evaluations = [...this.evaluations, { id, createdAt: summary.createdAt, result: result as EvaluateLabelsResult }];
    });
  }

  /** Clustering as preprocessing: a search over k. Throws with the backend's reason if it cannot start. */
  async searchK(params: ClusterFeaturesParams): Promise<void> {
    const id = await this.runAnalysisId({ kind: 'analysis', analysis: 'cluster-features', datasetId: this.datasetId, params: { ...params } }, (j) => (this.featuresJobId = j));
    if (id) await this.loadFeatures(id);
  }

  private async loadFeatures(id?: string): Promise<void> {
    const api = this.ws.api;
    const pick = id ?? (await api.analyses.list(this.datasetId, { kind: 'cluster-features' }))[0]?.id;
    if (!pick) return;
    const { summary, result } = await api.analyses.get(pick);
    this.features = { params: summary.params as unknown as ClusterFeaturesParams, result: result as ClusterFeaturesResult };
  }

  /** Starts an analysis job and waits for it: its saved id, or null when it failed (the status bar says why). */
  private async runAnalysisId(spec: JobSpec, started: (jobId: string) => void): Promise<string | null> {
    const job = await this.ws.startJob(spec);
    started(job.id);
    const end = await this.ws.finished(job.id);
    return end.state === 'done' ? end.analysisId : null;
  }

  private async runAnalysis(spec: JobSpec, started: (jobId: string) => void): Promise<unknown> {
    const id = await this.runAnalysisId(spec, started);
    return id ? (await this.ws.api.analyses.get(id)).result : null;
  }

  private async guard(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.ws.notices.error(`${what}: ${errorMessage(e)}`);
    }
  }
}
