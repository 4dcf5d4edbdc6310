/**
 * The anomaly review of one dataset: the latest result of each detector (saved analyses, so a
 * reopened project shows them at once), the live thresholds, the queue of the active detector,
 * the reviewer's decisions (saved one by one through the annotations API, undoable, so nothing is
 * lost in a crash) and the rows' values and reconstructions the queue draws. The view's own
 * choices (detector, thresholds, place in the queue, fit options) are saved with the project.
 */
import type { ClientApi } from '../../../../shared/api';
import type { DatasetSummary, Decision, DecisionEntry, JobInfo } from '../../../../shared/dto';
import type { DetectParams, DetectResult, GenerateResult, InjectRequest, InjectResult, ReconstructResult } from '../../../../shared/analyses/anomalies';
import { injectedRows, type DetectorMethod } from '../../../../core/anomalies';
import { JobEndedError, obtain, runJob } from '../../lib/geometry/analysis';
import { errorMessage } from '../../lib/format';
import { agreementOf, flagBits, mapWith, METHODS, nextUndecided, pendingRows, queueOf, type DetectorFlags } from './logic';

export interface Detection {
  analysisId: string;
  result: DetectResult;
}

/** What the view saves per dataset under `anomalies:<datasetId>`. */
export interface SavedReview {
  method: DetectorMethod;
  /** Thresholds moved with the slider (absent: the detector's own). */
  thresholds: Partial<Record<DetectorMethod, number>>;
  /** The row under review. */
  row: number | null;
  excludeInjected: boolean;
  excludeConfirmed: boolean;
}

const VIEW_KEY = (datasetId: string): string => `anomalies:${datasetId}`;
/** Rows whose values are fetched at once (labeling.rows takes up to 2,000). */
const VALUES_PAGE = 200;
/** Rows reconstructed per job. */
const RECONSTRUCT_PAGE = 100;

function isMethod(v: unknown): v is DetectorMethod {
  return typeof v === 'string' && (METHODS as readonly string[]).includes(v);
}

function parseSaved(v: unknown): SavedReview | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const thresholds: Partial<Record<DetectorMethod, number>> = {};
  const t = o.thresholds as Record<string, unknown> | undefined;
  for (const m of METHODS) if (t && typeof t[m] === 'number' && Number.isFinite(t[m])) thresholds[m] = t[m] as number;
  return {
    method: isMethod(o.method) ? o.method : 'gmm',
    thresholds,
    row: Number.isInteger(o.row) ? (o.row as number) : null,
    excludeInjected: o.excludeInjected !== false,
    excludeConfirmed: o.excludeConfirmed === true,
  };
}

export class AnomalyReview {
  /** The latest result of each detector. */
  detections = $state.raw<Partial<Record<DetectorMethod, Detection>>>({});
  method = $state<DetectorMethod>('gmm');
  /** Thresholds moved with the slider; a detector without one uses its own. */
  thresholds = $state<Partial<Record<DetectorMethod, number>>>({});
  decisions = $state.raw<ReadonlyMap<number, DecisionEntry>>(mapWith<number, DecisionEntry>(null, []));
  names = $state.raw<string[] | null>(null);
  /** Rows that are injected copies (their item names say so). */
  injected = $state.raw<Int32Array>(new Int32Array(0));
  /** Position in the queue. */
  cursor = $state(0);
  excludeInjected = $state(true);
  excludeConfirmed = $state(false);
  /** The detector job running per method. */
  running = $state<Partial<Record<DetectorMethod, JobInfo>>>({});
  generated = $state.raw<GenerateResult | null>(null);
  generateJob = $state<JobInfo | null>(null);
  error = $state<string | null>(null);
  loaded = $state(false);
  /** Feature values of rows, fetched page by page. */
  values = $state.raw<ReadonlyMap<number, ArrayLike<number>>>(mapWith<number, ArrayLike<number>>(null, []));
  /** PCA reconstructions of rows (image datasets), with the components they kept. */
  reconstructions = $state.raw<ReadonlyMap<number, Float32Array>>(mapWith<number, Float32Array>(null, []));
  reconstructComponents = $state<number | null>(null);
  reconstructJob = $state<JobInfo | null>(null);

  // Set in the constructor; initialised here so that the derived fields below may name them.
  readonly nSamples: number = 0;
  readonly datasetId: string = '';
  private savedRow: number | null = null;
  /** Rows of this renderer's own decisions not yet echoed by a change event (those must not move the cursor). */
  private ownChanges: string[] = [];
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private fetchingValues = pendingRows();
  private reconstructing = pendingRows();
  private disposed = false;
  private readonly off: () => void;

  detection = $derived(this.detections[this.method] ?? null);
  threshold = $derived(this.thresholdOf(this.method));
  queue = $derived(this.detection ? queueOf(this.detection.result.scores, this.threshold) : new Int32Array(0));
  current = $derived(this.queue.length ? this.queue[Math.min(this.cursor, this.queue.length - 1)] : null);
  flags = $derived.by((): DetectorFlags[] =>
    METHODS.flatMap((m) => {
      const d = this.detections[m];
      return d ? [{ method: m, flagged: queueOf(d.result.scores, this.thresholdOf(m)) }] : [];
    }),
  );
  agreement = $derived(agreementOf(this.flags, this.nSamples));
  bits = $derived(flagBits(this.flags, this.nSamples));
  confirmed = $derived([...this.decisions.values()].filter((d) => d.decision === 'confirmed').map((d) => d.row));

  constructor(
    private readonly api: ClientApi,
    dataset: DatasetSummary,
    private readonly notify: (message: string) => void,
  ) {
    this.datasetId = dataset.id;
    this.nSamples = dataset.nSamples;
    this.off = api.on('annotations:changed', (e) => {
      if (e.datasetId !== this.datasetId || e.target !== 'decision') return;
      const key = (e.rows ?? []).join(',');
      const own = this.ownChanges.indexOf(key);
      if (own >= 0) this.ownChanges.splice(own, 1);
      void this.reloadDecisions(own >= 0 ? null : (e.rows ?? []));
    });
  }

  dispose(): void {
    this.disposed = true;
    this.off();
    if (this.saveTimer) clearTimeout(this.saveTimer);
  }

  /** The threshold of a detector: the slider's, else the detector's own. */
  thresholdOf(m: DetectorMethod): number {
    return this.thresholds[m] ?? this.detections[m]?.result.threshold ?? NaN;
  }

  /** Loads the saved detectors, decisions, item names and the view's saved state. */
  async load(): Promise<void> {
    try {
      const [list, decisions, names, saved] = await Promise.all([
        this.api.analyses.list(this.datasetId, { kind: 'anomalies' }),
        this.api.annotations.decisions(this.datasetId),
        this.api.data.items(this.datasetId),
        this.api.project.getViewState(VIEW_KEY(this.datasetId)).catch(() => null),
      ]);
      const latest: Partial<Record<DetectorMethod, string>> = {};
      for (const a of list) {
        const m = a.params.method;
        if (isMethod(m) && !latest[m]) latest[m] = a.id;
      }
      const found: Partial<Record<DetectorMethod, Detection>> = {};
      await Promise.all(
        METHODS.filter((m) => latest[m]).map(async (m) => {
          found[m] = { analysisId: latest[m]!, result: (await this.api.analyses.get(latest[m]!)).result as DetectResult };
        }),
      );
      if (this.disposed) return;
      this.names = names;
      this.injected = injectedRows(names);
      this.decisions = mapWith(null, decisions.map((d) => [d.row, d] as const));
      this.detections = found;
      const s = parseSaved(saved);
      if (s) {
        this.method = s.method;
        this.thresholds = s.thresholds;
        this.excludeInjected = s.excludeInjected;
        this.excludeConfirmed = s.excludeConfirmed;
        this.savedRow = s.row;
      } else if (!found.gmm) {
        this.method = METHODS.find((m) => found[m]) ?? 'gmm';
      }
      this.restoreCursor();
      const gen = await this.api.analyses.list(this.datasetId, { kind: 'generate' });
      if (gen[0] && !this.disposed) this.generated = (await this.api.analyses.get(gen[0].id)).result as GenerateResult;
    } catch (e) {
      this.error = `Could not load the review: ${errorMessage(e)}`;
    } finally {
      this.loaded = true;
    }
  }

  /** Puts the cursor on the saved row when it is in the queue. */
  private restoreCursor(): void {
    const at = this.savedRow === null ? -1 : this.queue.indexOf(this.savedRow);
    this.cursor = at >= 0 ? at : 0;
  }

  /** The rows a detector must not learn from: injected copies and/or confirmed anomalies. */
  excludedRows(): number[] {
    const rows: number[] = [];
    if (this.excludeInjected) rows.push(...this.injected);
    if (this.excludeConfirmed) rows.push(...this.confirmed);
    return rows.sort((a, b) => a - b).filter((r, i, all) => i === 0 || all[i - 1] !== r);
  }

  /** Runs a detector; its result replaces the previous one of the same method. */
  async run(method: DetectorMethod, params: Record<string, unknown>): Promise<void> {
    this.error = null;
    const spec: DetectParams = { method, params, excludeRows: this.excludedRows() };
    try {
      const end = await runJob(this.api, { kind: 'analysis', analysis: 'anomalies', datasetId: this.datasetId, params: spec as unknown as Record<string, unknown> }, (j) => (this.running = { ...this.running, [method]: j }));
      if (end.state !== 'done' || !end.analysisId) throw new JobEndedError(end);
      const result = (await this.api.analyses.get(end.analysisId)).result as DetectResult;
      if (this.disposed) return;
      this.detections = { ...this.detections, [method]: { analysisId: end.analysisId, result } };
      const { [method]: _dropped, ...rest } = this.thresholds;
      this.thresholds = rest;
      if (this.method === method) this.cursor = 0;
      this.persist();
    } catch (e) {
      if (!(e instanceof JobEndedError && e.job.state === 'cancelled')) this.error = `The ${method} detector failed: ${errorMessage(e)}`;
    } finally {
      const { [method]: _done, ...others } = this.running;
      this.running = others;
    }
  }

  selectMethod(m: DetectorMethod): void {
    if (this.method === m) return;
    const row = this.current;
    this.method = m;
    const at = row === null ? -1 : this.queue.indexOf(row);
    this.cursor = at >= 0 ? at : 0;
    this.persist();
  }

  setThreshold(m: DetectorMethod, value: number | null): void {
    const row = m === this.method ? this.current : null;
    if (value === null) {
      const { [m]: _reset, ...rest } = this.thresholds;
      this.thresholds = rest;
    } else this.thresholds = { ...this.thresholds, [m]: value };
    if (row !== null) {
      const at = this.queue.indexOf(row);
      this.cursor = at >= 0 ? at : Math.min(this.cursor, Math.max(0, this.queue.length - 1));
    }
    this.persist();
  }

  move(delta: number): void {
    if (!this.queue.length) return;
    this.cursor = Math.min(this.queue.length - 1, Math.max(0, this.cursor + delta));
    this.persist();
  }

  moveTo(index: number): void {
    if (index < 0 || index >= this.queue.length) return;
    this.cursor = index;
    this.persist();
  }

  /** Records a decision on the current sample (committed at once) and moves to the next undecided one. */
  async decide(decision: Decision): Promise<void> {
    const row = this.current;
    const det = this.detection;
    if (row === null || !det) return;
    this.ownChanges.push(String(row));
    const entry: DecisionEntry = { row, decision, detector: det.result.method, score: det.result.scores[row] };
    // Shown at once; the saved state arrives with the change event.
    const next = mapWith(this.decisions, [[row, entry] as const]);
    this.decisions = next;
    this.cursor = nextUndecided(this.queue, next, this.cursor);
    this.persist();
    try {
      const { changed } = await this.api.annotations.setDecisions(this.datasetId, [entry]);
      // No change (the same decision again) means no event to wait for.
      if (changed === 0) this.ownChanges = this.ownChanges.filter((k) => k !== String(row));
    } catch (e) {
      this.ownChanges = this.ownChanges.filter((k) => k !== String(row));
      this.error = `Could not save the decision: ${errorMessage(e)}`;
      await this.reloadDecisions([row]);
    }
  }

  /** Undoes the latest decision (or label change) of this dataset and shows the sample it was about. */
  async undo(): Promise<void> {
    try {
      const step = await this.api.annotations.undo(this.datasetId);
      if (!step) this.notify('Nothing to undo');
    } catch (e) {
      this.error = `Could not undo: ${errorMessage(e)}`;
    }
  }

  private async reloadDecisions(focusRows: number[] | null): Promise<void> {
    try {
      const list = await this.api.annotations.decisions(this.datasetId);
      if (this.disposed) return;
      this.decisions = mapWith(null, list.map((d) => [d.row, d] as const));
      if (focusRows && focusRows.length) {
        const at = this.queue.indexOf(focusRows[0]);
        if (at >= 0) this.cursor = at;
      }
    } catch (e) {
      this.error = `Could not read the decisions: ${errorMessage(e)}`;
    }
  }

  /** Fetches the values of the queue rows near the cursor (for pixels and |z| highlights). */
  async ensureValues(rows: readonly number[]): Promise<void> {
    const missing = rows.filter((r) => !this.values.has(r) && !this.fetchingValues.has(r)).slice(0, VALUES_PAGE);
    if (!missing.length) return;
    for (const r of missing) this.fetchingValues.add(r);
    try {
      const m = await this.api.labeling.rows(this.datasetId, missing);
      if (this.disposed) return;
      this.values = mapWith(this.values, missing.map((r, i) => [r, m.data.subarray(i * m.cols, (i + 1) * m.cols)] as const));
    } catch (e) {
      this.error = `Could not read the samples: ${errorMessage(e)}`;
    } finally {
      for (const r of missing) this.fetchingValues.delete(r);
    }
  }

  /** Reconstructs the queue rows near the cursor with PCA (the pca detector's settings when it ran). */
  async ensureReconstructions(rows: readonly number[]): Promise<void> {
    const missing = rows.filter((r) => !this.reconstructions.has(r) && !this.reconstructing.has(r)).slice(0, RECONSTRUCT_PAGE);
    if (!missing.length) return;
    for (const r of missing) this.reconstructing.add(r);
    const pca = this.detections.pca?.result;
    const variance = typeof pca?.params.variance === 'number' ? pca.params.variance : 0.99;
    const params = { variance, rows: [...missing].sort((a, b) => a - b), excludeRows: this.excludedRows() };
    try {
      const { result } = await obtain(this.api, { kind: 'reconstruct', datasetId: this.datasetId, params }, { onStarted: (j) => (this.reconstructJob = j) });
      if (this.disposed) return;
      this.mergeReconstructions(result);
    } catch (e) {
      if (!(e instanceof JobEndedError && e.job.state === 'cancelled')) this.error = `Could not reconstruct the samples: ${errorMessage(e)}`;
    } finally {
      this.reconstructJob = null;
      for (const r of missing) this.reconstructing.delete(r);
    }
  }

  private mergeReconstructions(r: ReconstructResult): void {
    const d = r.reconstructions.cols, data = r.reconstructions.data as Float32Array;
    this.reconstructions = mapWith(this.reconstructions, Array.from(r.rows, (row, i) => [row, data.subarray(i * d, (i + 1) * d)] as const));
    this.reconstructComponents = r.nComponents;
  }

  /** Draws new samples from a mixture fitted on the data. */
  async generate(params: Record<string, unknown>, nSamples: number): Promise<void> {
    this.error = null;
    try {
      const end = await runJob(
        this.api,
        { kind: 'analysis', analysis: 'generate', datasetId: this.datasetId, params: { params, nSamples, excludeRows: this.excludedRows() } },
        (j) => (this.generateJob = j),
      );
      if (end.state !== 'done' || !end.analysisId) throw new JobEndedError(end);
      const result = (await this.api.analyses.get(end.analysisId)).result as GenerateResult;
      if (!this.disposed) this.generated = result;
    } catch (e) {
      if (!(e instanceof JobEndedError && e.job.state === 'cancelled')) this.error = `Could not generate samples: ${errorMessage(e)}`;
    } finally {
      this.generateJob = null;
    }
  }

  /** Makes the validation dataset (this one plus injected copies). */
  inject(req: InjectRequest): Promise<InjectResult> {
    return this.api.anomalies.inject(this.datasetId, req);
  }

  setFitOptions(opts: { excludeInjected?: boolean; excludeConfirmed?: boolean }): void {
    if (opts.excludeInjected !== undefined) this.excludeInjected = opts.excludeInjected;
    if (opts.excludeConfirmed !== undefined) this.excludeConfirmed = opts.excludeConfirmed;
    this.persist();
  }

  /** Saves the view's choices with the project (coalesced: a slider drag is one write). */
  private persist(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      const value: SavedReview = {
        method: this.method,
        thresholds: { ...this.thresholds },
        row: this.current,
        excludeInjected: this.excludeInjected,
        excludeConfirmed: this.excludeConfirmed,
      };
      this.api.project.setViewState(VIEW_KEY(this.datasetId), value).catch(() => {
        // A read-only project keeps the view for the session only.
      });
    }, 250);
  }
}
