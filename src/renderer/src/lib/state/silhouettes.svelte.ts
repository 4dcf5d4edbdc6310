/**
 * The Silhouette view's state for one dataset: the runs shown side by side, each with its
 * silhouette analysis (restored from the project or computed as a job), and fits of several k
 * started from the view. The runs are saved with the project under the view state key
 * `silhouette`; the cluster chosen on a band is the workspace's selection (emphasised on the
 * Clusters scatter, saved by the workspace), so the two views never disagree.
 */
import type { SilhouetteResult } from '../../../../shared/analyses/explore';
import { errorMessage } from '../format';
import { kParam, type AlgorithmName } from '../algorithm-form';
import type { Workspace } from './workspace.svelte';

export const SILHOUETTE_KEY = 'silhouette';
/** At most this many diagrams side by side (the chapter's 2 × 2). */
export const MAX_PANELS = 4;
/** Above this many samples a diagram scores a seeded sample of this size, and says so. */
export const DIAGRAM_SAMPLE_LIMIT = 20_000;

export interface Panel {
  runId: string;
  state: 'loading' | 'running' | 'ready' | 'failed';
  jobId: string | null;
  result: SilhouetteResult | null;
  error: string | null;
  /** performance.now() when the result was known to exist (its job finished, or it was found saved). */
  readyAt: number | null;
  /** Whether the result came from a job just run (rather than from the project). */
  fromJob: boolean;
}

export interface PendingFit {
  k: number;
  jobId: string;
}

interface Saved {
  runIds: string[];
}

function parseSaved(v: unknown): Saved | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const runIds = Array.isArray(o.runIds) ? o.runIds.filter((r): r is string => typeof r === 'string').slice(0, MAX_PANELS) : [];
  return { runIds };
}

/** The dataset rows of one cluster of a diagram, ascending. */
export function clusterRows(r: SilhouetteResult, label: number): Int32Array {
  const c = r.clusters.find((x) => x.label === label);
  if (!c) return new Int32Array(0);
  const out = new Int32Array(c.size);
  for (let j = 0; j < c.size; j++) {
    const pos = r.order[c.start + j];
    out[j] = r.rows ? r.rows[pos] : pos;
  }
  return out.sort();
}

export class Silhouettes {
  runIds = $state<string[]>([]);
  panels = $state.raw<Record<string, Panel>>({});
  pending = $state<PendingFit[]>([]);

  /** The cluster chosen on a band: the workspace's selection, when it is of a run shown here. */
  get selected(): { runId: string; cluster: number } | null {
    const s = this.ws.selection;
    return s && this.runIds.includes(s.runId) ? { runId: s.runId, cluster: s.cluster } : null;
  }
  loading = $state(true);

  private restoring: Promise<void> | null = null;

  constructor(
    private readonly ws: Workspace,
    readonly datasetId: string,
    private readonly nSamples: number,
  ) {}

  restore(): Promise<void> {
    this.restoring ??= this.load();
    return this.restoring;
  }

  private async load(): Promise<void> {
    try {
      // The dataset's runs from the backend: the workspace may still be loading them.
      const [savedState, runs] = await Promise.all([this.ws.readViewState(SILHOUETTE_KEY, this.datasetId), this.ws.api.runs.list(this.datasetId)]);
      const saved = parseSaved(savedState);
      const known = runs.filter((r) => r.status === 'done').map((r) => r.id);
      const fallback = this.ws.runId && known.includes(this.ws.runId) ? [this.ws.runId] : [];
      this.runIds = saved ? saved.runIds.filter((id) => known.includes(id)) : fallback;
    } catch (e) {
      this.ws.notices.error(`Could not restore the Silhouette view: ${errorMessage(e)}`);
    } finally {
      this.loading = false;
    }
    await Promise.all(this.runIds.map((id) => this.ensure(id)));
  }

  private setPanel(p: Panel): void {
    this.panels = { ...this.panels, [p.runId]: p };
  }

  /** Shows or hides a run's diagram. */
  toggle(runId: string): void {
    if (this.runIds.includes(runId)) {
      this.runIds = this.runIds.filter((id) => id !== runId);
      if (this.selected?.runId === runId) this.selectCluster(null);
    } else {
      this.runIds = [...this.runIds, runId].slice(-MAX_PANELS);
      void this.ensure(runId);
    }
    this.persist();
  }

  /** The run's diagram: the saved analysis, or a silhouette job started and waited for. */
  async ensure(runId: string): Promise<void> {
    const have = this.panels[runId];
    if (have && have.state !== 'failed') return;
    this.setPanel({ runId, state: 'loading', jobId: null, result: null, error: null, readyAt: null, fromJob: false });
    const api = this.ws.api;
    try {
      const [saved] = await api.analyses.list(this.datasetId, { kind: 'silhouette', runId });
      let analysisId = saved?.id ?? null;
      let readyAt = performance.now();
      if (!analysisId) {
        const params = this.nSamples > DIAGRAM_SAMPLE_LIMIT ? { sampleSize: DIAGRAM_SAMPLE_LIMIT, randomState: 0 } : {};
        const job = await this.ws.startJob({ kind: 'analysis', analysis: 'silhouette', datasetId: this.datasetId, runId, params });
        this.setPanel({ runId, state: 'running', jobId: job.id, result: null, error: null, readyAt: null, fromJob: true });
        const end = await this.ws.finished(job.id);
        readyAt = performance.now();
        performance.mark('silhouette-job-done', { detail: { runId } });
        if (end.state !== 'done' || !end.analysisId) {
          const error = end.state === 'cancelled' ? 'Cancelled.' : (end.error ?? 'the job failed');
          this.setPanel({ runId, state: 'failed', jobId: job.id, result: null, error, readyAt: null, fromJob: true });
          return;
        }
        analysisId = end.analysisId;
      }
      const { result } = await api.analyses.get(analysisId);
      this.setPanel({ runId, state: 'ready', jobId: null, result: result as SilhouetteResult, error: null, readyAt, fromJob: !saved });
    } catch (e) {
      this.setPanel({ runId, state: 'failed', jobId: null, result: null, error: errorMessage(e), readyAt: null, fromJob: false });
    }
  }

  /** Fits the algorithm for each k (quietly: the scatter keeps its run) and shows their diagrams side by side. */
  async runKs(algorithm: AlgorithmName, ks: number[], randomState: number | null): Promise<void> {
    const k = kParam(algorithm);
    if (!k) throw new Error(`${algorithm} has no number of clusters`);
    const started: PendingFit[] = [];
    for (const value of ks.slice(0, MAX_PANELS)) {
      const params: Record<string, unknown> = { [k.name]: value };
      if (randomState !== null && algorithm !== 'agglomerative') params.randomState = randomState;
      const job = await this.ws.startJob({ kind: 'fit', datasetId: this.datasetId, algorithm, params, metrics: ['silhouette'] }, { quiet: true });
      started.push({ k: value, jobId: job.id });
    }
    this.pending = [...this.pending, ...started];
    this.runIds = [];
    this.selectCluster(null);
    this.persist();
    // Diagrams appear as their fits end, in the order of k whatever order the jobs end in.
    const slots: Array<string | null> = started.map(() => null);
    await Promise.all(
      started.map(async (p, i) => {
        const end = await this.ws.finished(p.jobId);
        this.pending = this.pending.filter((x) => x.jobId !== p.jobId);
        if (end.state !== 'done' || !end.runId) return;
        slots[i] = end.runId;
        this.runIds = slots.filter((r): r is string => r !== null);
        this.persist();
        await this.ensure(end.runId);
      }),
    );
  }

  /** Chooses a cluster of a diagram (or none): its samples are listed and emphasised on the scatter. */
  selectCluster(sel: { runId: string; cluster: number } | null): void {
    const result = sel ? this.panels[sel.runId]?.result : null;
    if (sel && result) this.ws.select({ runId: sel.runId, cluster: sel.cluster, rows: clusterRows(result, sel.cluster) });
    else if (!sel) this.ws.select(null);
  }

  persist(): void {
    const saved: Saved = { runIds: [...this.runIds] };
    this.ws.saveViewState(SILHOUETTE_KEY, this.datasetId, saved);
  }
}
