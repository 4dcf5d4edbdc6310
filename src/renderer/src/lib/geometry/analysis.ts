/**
 * Running the geometry views' analyses from the renderer: start the job, wait for its end (the
 * events may overtake the start's reply), and reuse a saved analysis with the same parameters
 * so a view reopens with its result instead of computing it again.
 */
import type { ClientApi } from '../../../../shared/api';
import type { JobInfo } from '../../../../shared/dto';
import type { JobSpec } from '../../../../shared/jobs';
import type { AnalysisKind, AnalysisParams, AnalysisResult } from '../../../../shared/analyses';

/** JSON with object keys sorted, so equal parameters compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Starts a job and resolves with its final state; `onStarted` gets the job as soon as it is queued. */
export async function runJob(api: ClientApi, spec: JobSpec, onStarted?: (job: JobInfo) => void): Promise<JobInfo> {
  const ended = new Map<string, JobInfo>();
  let wanted: string | null = null;
  let settle: ((j: JobInfo) => void) | null = null;
  const note = (j: JobInfo): void => {
    ended.set(j.id, j);
    if (j.id === wanted) settle?.(j);
  };
  const offs = [api.on('job:done', note), api.on('job:failed', note), api.on('job:cancelled', note)];
  try {
    const job = await api.jobs.start(spec);
    wanted = job.id;
    onStarted?.(job);
    return ended.get(job.id) ?? (await new Promise<JobInfo>((ok) => (settle = ok)));
  } finally {
    for (const off of offs) off();
  }
}

/** Thrown when a job did not finish: its error, or that it was cancelled. */
export class JobEndedError extends Error {
  constructor(readonly job: JobInfo) {
    super(job.state === 'cancelled' ? 'Cancelled' : (job.error ?? `the job ended ${job.state}`));
  }
}

export interface AnalysisRequest<K extends AnalysisKind> {
  kind: K;
  datasetId: string;
  runId?: string | null;
  params: AnalysisParams<K>;
}

/** The newest saved analysis of this kind, dataset and run with exactly these parameters, or null. */
export async function findSaved<K extends AnalysisKind>(api: ClientApi, req: AnalysisRequest<K>): Promise<string | null> {
  const list = await api.analyses.list(req.datasetId, { kind: req.kind, ...(req.runId ? { runId: req.runId } : {}) });
  const want = stableJson(req.params);
  const hit = list.find((a) => (a.runId ?? null) === (req.runId ?? null) && stableJson(a.params) === want);
  return hit?.id ?? null;
}

/** A saved analysis's result, typed by its kind. */
export async function loadResult<K extends AnalysisKind>(api: ClientApi, _kind: K, id: string): Promise<AnalysisResult<K>> {
  return (await api.analyses.get(id)).result as AnalysisResult<K>;
}

/**
 * The analysis's result: the saved one with these parameters when there is one (unless `fresh`),
 * otherwise computed by a job. Throws JobEndedError when the job fails or is cancelled.
 */
export async function obtain<K extends AnalysisKind>(
  api: ClientApi,
  req: AnalysisRequest<K>,
  opts: { fresh?: boolean; onStarted?: (job: JobInfo) => void } = {},
): Promise<{ id: string; result: AnalysisResult<K>; computed: boolean }> {
  if (!opts.fresh) {
    const saved = await findSaved(api, req);
    if (saved) return { id: saved, result: await loadResult(api, req.kind, saved), computed: false };
  }
  const end = await runJob(
    api,
    { kind: 'analysis', analysis: req.kind, datasetId: req.datasetId, runId: req.runId ?? null, params: req.params as Record<string, unknown> },
    opts.onStarted,
  );
  if (end.state !== 'done' || !end.analysisId) throw new JobEndedError(end);
  return { id: end.analysisId, result: await loadResult(api, req.kind, end.analysisId), computed: true };
}
