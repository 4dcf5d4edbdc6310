/**
 * The Choose-k view's state for one dataset: the form, the sweep job and its result, and the k
 * chosen on the dashboard with the run it produced. The last sweep and the choice are saved
 * with the project (view state key `choose-k`) and restored when the view reopens.
 */
import type { SweepResult } from '../../../../core/cluster/sweep';
import type { SweepParams } from '../../../../shared/analyses/explore';
import type { RunDetail } from '../../../../shared/dto';
import { defaultMetrics } from '../algorithm-form';
import { errorMessage } from '../format';
import { COVARIANCE_TYPES, defaultSweepFields, fitForK, isSweepAlgorithm, type SweepFields } from '../explore/sweep-form';
import type { Workspace } from './workspace.svelte';

export const CHOOSE_K_KEY = 'choose-k';

export interface ChosenK {
  k: number;
  /** The mixture curve it was chosen on, else null. */
  covarianceType: string | null;
  runId: string | null;
  jobId: string | null;
}

export interface LoadedSweep {
  id: string;
  params: SweepParams;
  result: SweepResult;
}

interface Saved {
  analysisId: string | null;
  chosen: ChosenK | null;
  fields: SweepFields;
}

function parseSaved(v: unknown, nSamples: number): Saved | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const f = (o.fields ?? {}) as Record<string, unknown>;
  const d = defaultSweepFields(nSamples);
  const text = (x: unknown, dflt: string): string => (typeof x === 'string' ? x : dflt);
  const fields: SweepFields = {
    algorithm: isSweepAlgorithm(f.algorithm) ? f.algorithm : d.algorithm,
    kMin: text(f.kMin, d.kMin),
    kMax: text(f.kMax, d.kMax),
    covarianceTypes: Array.isArray(f.covarianceTypes) ? f.covarianceTypes.filter((t): t is string => (COVARIANCE_TYPES as readonly unknown[]).includes(t)) : d.covarianceTypes,
    randomState: text(f.randomState, d.randomState),
  };
  const c = o.chosen as Record<string, unknown> | null | undefined;
  const chosen: ChosenK | null =
    c && Number.isInteger(c.k)
      ? { k: c.k as number, covarianceType: typeof c.covarianceType === 'string' ? c.covarianceType : null, runId: typeof c.runId === 'string' ? c.runId : null, jobId: null }
      : null;
  return { analysisId: typeof o.analysisId === 'string' ? o.analysisId : null, chosen, fields };
}

export class ChooseK {
  fields = $state<SweepFields>(defaultSweepFields(10));
  jobId = $state<string | null>(null);
  sweep = $state.raw<LoadedSweep | null>(null);
  chosen = $state<ChosenK | null>(null);
  /** The run of the chosen k, with its labels, once it exists. */
  chosenRun = $state.raw<RunDetail | null>(null);
  /** True until the saved state has been read. */
  loading = $state(true);

  /** The sweep job, while it is known. */
  get job() {
    return this.ws.jobs.get(this.jobId);
  }

  /** The fit job of the chosen k. */
  get chosenJob() {
    return this.ws.jobs.get(this.chosen?.jobId);
  }

  private restoring: Promise<void> | null = null;

  constructor(
    private readonly ws: Workspace,
    readonly datasetId: string,
    private readonly nSamples: number,
  ) {
    this.fields = defaultSweepFields(nSamples);
  }

  /** Reads the saved choice and the last sweep (once). */
  restore(): Promise<void> {
    this.restoring ??= this.load();
    return this.restoring;
  }

  private async load(): Promise<void> {
    const api = this.ws.api;
    try {
      const saved = parseSaved(await this.ws.readViewState(CHOOSE_K_KEY, this.datasetId), this.nSamples);
      if (saved) this.fields = saved.fields;
      const sweeps = await api.analyses.list(this.datasetId, { kind: 'sweep' });
      const pick = sweeps.find((s) => s.id === saved?.analysisId) ?? sweeps[0];
      if (pick) await this.loadSweep(pick.id);
      if (saved?.chosen) {
        this.chosen = saved.chosen;
        // The run may have been removed since; the view then says so.
        if (saved.chosen.runId) this.chosenRun = await api.runs.get(saved.chosen.runId).catch(() => null);
      }
    } catch (e) {
      this.ws.notices.error(`Could not restore the Choose-k view: ${errorMessage(e)}`);
    } finally {
      this.loading = false;
    }
  }

  private async loadSweep(analysisId: string): Promise<void> {
    const { summary, result } = await this.ws.api.analyses.get(analysisId);
    this.sweep = { id: summary.id, params: summary.params as unknown as SweepParams, result: result as SweepResult };
  }

  /** Runs the sweep as one job; throws with the backend's reason if it cannot start. */
  async start(params: SweepParams): Promise<void> {
    const job = await this.ws.startJob({ kind: 'analysis', analysis: 'sweep', datasetId: this.datasetId, params: { ...params } });
    this.jobId = job.id;
    this.persist();
    const end = await this.ws.finished(job.id);
    if (end.state !== 'done' || !end.analysisId) return;
    await this.loadSweep(end.analysisId);
    this.chosen = null;
    this.chosenRun = null;
    this.persist();
  }

  /** Fits the sweep's model at k (a fit job, saved as a run) and shows it. */
  async choose(k: number, covarianceType: string | null): Promise<void> {
    const s = this.sweep;
    if (!s) return;
    const ds = this.ws.datasets.find((d) => d.id === this.datasetId);
    const fit = fitForK({ algorithm: s.result.algorithm, params: s.params.params, randomState: s.result.randomState }, k, covarianceType);
    const metrics = [...defaultMetrics(!!ds?.labelClasses), 'calinski-harabasz', 'davies-bouldin'] as const;
    this.chosen = { k, covarianceType, runId: null, jobId: null };
    this.chosenRun = null;
    try {
      const job = await this.ws.startJob({ kind: 'fit', datasetId: this.datasetId, algorithm: fit.algorithm, params: fit.params, metrics: [...metrics] });
      this.chosen = { k, covarianceType, runId: null, jobId: job.id };
      const end = await this.ws.finished(job.id);
      if (end.state !== 'done' || !end.runId || this.chosen?.jobId !== job.id) return;
      this.chosen = { ...this.chosen, runId: end.runId };
      this.chosenRun = await this.ws.api.runs.get(end.runId);
      this.persist();
    } catch (e) {
      this.ws.notices.error(`Could not run k = ${k}: ${errorMessage(e)}`);
    }
  }

  persist(): void {
    const saved: Saved = {
      analysisId: this.sweep?.id ?? null,
      chosen: this.chosen ? { ...this.chosen, jobId: null } : null,
      fields: { ...this.fields, covarianceTypes: [...this.fields.covarianceTypes] },
    };
    this.ws.saveViewState(CHOOSE_K_KEY, this.datasetId, saved);
  }
}
