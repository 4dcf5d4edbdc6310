/**
 * Saved analyses: the results of analysis jobs (sweeps, silhouette diagrams, decision boundaries,
 * detectors…), kept with the project so a view reopens as it was. Results are stored in the
 * wire format (shared/wire), which keeps typed arrays as bytes.
 */
import { randomUUID } from 'node:crypto';
import { decodeMessage, encodeMessage } from '../../../shared/wire';
import type { AnalysisSummary } from '../../../shared/dto';
import { ProjectError } from './errors';
import type { ProjectStore } from './project-store';

interface Row {
  id: string;
  dataset_id: string;
  run_id: string | null;
  kind: string;
  params: string;
  duration_ms: number;
  created_at: string;
}

const COLUMNS = 'id, dataset_id, run_id, kind, params, duration_ms, created_at';

function summary(r: Row): AnalysisSummary {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    runId: r.run_id,
    kind: r.kind,
    params: JSON.parse(r.params) as Record<string, unknown>,
    durationMs: r.duration_ms,
    createdAt: r.created_at,
  };
}

export function addAnalysis(
  store: ProjectStore,
  a: { datasetId: string; runId: string | null; kind: string; params: Record<string, unknown>; result: unknown; durationMs: number },
): AnalysisSummary {
  const id = randomUUID();
  const blob = Buffer.from(encodeMessage(a.result));
  store.transaction((db) =>
    db
      .prepare(`INSERT INTO analyses (${COLUMNS}, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, a.datasetId, a.runId, a.kind, JSON.stringify(a.params), a.durationMs, new Date().toISOString(), blob),
  );
  return getAnalysisSummary(store, id);
}

export function getAnalysisSummary(store: ProjectStore, id: string): AnalysisSummary {
  const r = store.query((db) => db.prepare(`SELECT ${COLUMNS} FROM analyses WHERE id = ?`).get(id) as Row | undefined);
  if (!r) throw new ProjectError('unknown-id', `no analysis with id ${id} in this project`, store.path);
  return summary(r);
}

export function getAnalysisResult(store: ProjectStore, id: string): unknown {
  const r = store.query((db) => db.prepare('SELECT result FROM analyses WHERE id = ?').get(id) as { result: Buffer } | undefined);
  if (!r) throw new ProjectError('unknown-id', `no analysis with id ${id} in this project`, store.path);
  return decodeMessage(new Uint8Array(r.result.buffer, r.result.byteOffset, r.result.byteLength));
}

/** Analyses of a dataset, newest first, optionally of one kind and/or one run. */
export function listAnalyses(store: ProjectStore, datasetId: string, filter: { kind?: string; runId?: string } = {}): AnalysisSummary[] {
  const where = ['dataset_id = ?'];
  const args: unknown[] = [datasetId];
  if (filter.kind) {
    where.push('kind = ?');
    args.push(filter.kind);
  }
  if (filter.runId) {
    where.push('run_id = ?');
    args.push(filter.runId);
  }
  return store.query((db) =>
    (db.prepare(`SELECT ${COLUMNS} FROM analyses WHERE ${where.join(' AND ')} ORDER BY created_at DESC, rowid DESC`).all(...args) as Row[]).map(summary),
  );
}

export function removeAnalysis(store: ProjectStore, id: string): void {
  store.transaction((db) => {
    if (db.prepare('DELETE FROM analyses WHERE id = ?').run(id).changes === 0) {
      throw new ProjectError('unknown-id', `no analysis with id ${id} in this project`, store.path);
    }
  });
}
