/**
 * What people decide about samples: labels (typed by hand or propagated) and anomaly decisions
 * (confirmed, dismissed, skipped). Every change is committed as it is made, in one transaction
 * with its entry in the edit history, so a crash never loses an acknowledged change and undo /
 * redo survive a restart. One history serves both, per dataset.
 */
import type Database from 'better-sqlite3';
import type { Decision, DecisionChange, DecisionEntry, HistoryStep, LabelChange, LabelEntry, LabelSource } from '../../../shared/dto';
import type { ProjectStore } from './project-store';

export type { Decision, DecisionChange, DecisionEntry, HistoryStep, LabelChange, LabelEntry, LabelSource };

type Target = 'label' | 'decision';


const now = (): string => new Date().toISOString();

function nextAction(db: Database.Database, datasetId: string): number {
  // A new action forgets what could have been redone (as every editor does).
  db.prepare('DELETE FROM edit_history WHERE dataset_id = ? AND undone = 1').run(datasetId);
  const r = db.prepare('SELECT coalesce(max(action), 0) + 1 AS a FROM edit_history').get() as { a: number };
  return r.a;
}

function readLabel(db: Database.Database, datasetId: string, row: number): { label: string; source: LabelSource } | null {
  return (db.prepare('SELECT label, source FROM labels WHERE dataset_id = ? AND row = ?').get(datasetId, row) as { label: string; source: LabelSource } | undefined) ?? null;
}

function writeLabel(db: Database.Database, datasetId: string, row: number, v: { label: string; source: LabelSource } | null): void {
  if (v === null) db.prepare('DELETE FROM labels WHERE dataset_id = ? AND row = ?').run(datasetId, row);
  else
    db.prepare(
      'INSERT INTO labels (dataset_id, row, label, source, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(dataset_id, row) DO UPDATE SET label = excluded.label, source = excluded.source, updated_at = excluded.updated_at',
    ).run(datasetId, row, v.label, v.source, now());
}

type DecisionValue = { decision: Decision; detector: string | null; score: number | null };

function readDecision(db: Database.Database, datasetId: string, row: number): DecisionValue | null {
  return (db.prepare('SELECT decision, detector, score FROM anomaly_decisions WHERE dataset_id = ? AND row = ?').get(datasetId, row) as DecisionValue | undefined) ?? null;
}

function writeDecision(db: Database.Database, datasetId: string, row: number, v: DecisionValue | null): void {
  if (v === null) db.prepare('DELETE FROM anomaly_decisions WHERE dataset_id = ? AND row = ?').run(datasetId, row);
  else
    db.prepare(
      'INSERT INTO anomaly_decisions (dataset_id, row, decision, detector, score, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(dataset_id, row) DO UPDATE SET decision = excluded.decision, detector = excluded.detector, score = excluded.score, updated_at = excluded.updated_at',
    ).run(datasetId, row, v.decision, v.detector, v.score, now());
}

function record(db: Database.Database, action: number, datasetId: string, target: Target, row: number, before: unknown, after: unknown): void {
  db.prepare('INSERT INTO edit_history (action, dataset_id, target, row, before, after, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    action,
    datasetId,
    target,
    row,
    before === null ? null : JSON.stringify(before),
    after === null ? null : JSON.stringify(after),
    now(),
  );
}

/** Applies label changes as one undoable action. Returns the number of rows that changed. */
export function setLabels(store: ProjectStore, datasetId: string, changes: readonly LabelChange[], nRows: number): number {
  for (const c of changes) {
    if (!Number.isInteger(c.row) || c.row < 0 || c.row >= nRows) throw new RangeError(`row ${c.row} is outside 0..${nRows - 1}`);
    if (c.label !== null && (typeof c.label !== 'string' || c.label.trim() === '' || c.label.length > 200)) {
      throw new RangeError('a label is a non-empty text of at most 200 characters');
    }
  }
  return store.transaction((db) => {
    const action = nextAction(db, datasetId);
    let changed = 0;
    for (const c of changes) {
      const before = readLabel(db, datasetId, c.row);
      const after = c.label === null ? null : { label: c.label.trim(), source: c.source ?? 'hand' };
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      writeLabel(db, datasetId, c.row, after);
      record(db, action, datasetId, 'label', c.row, before, after);
      changed++;
    }
    return changed;
  });
}

export function getLabels(store: ProjectStore, datasetId: string): LabelEntry[] {
  return store.query((db) => db.prepare('SELECT row, label, source FROM labels WHERE dataset_id = ? ORDER BY row').all(datasetId) as LabelEntry[]);
}

/** Applies decision changes as one undoable action. Returns the number of rows that changed. */
export function setDecisions(store: ProjectStore, datasetId: string, changes: readonly DecisionChange[], nRows: number): number {
  for (const c of changes) {
    if (!Number.isInteger(c.row) || c.row < 0 || c.row >= nRows) throw new RangeError(`row ${c.row} is outside 0..${nRows - 1}`);
    if (c.decision !== null && !['confirmed', 'dismissed', 'skipped'].includes(c.decision)) throw new RangeError(`unknown decision '${String(c.decision)}'`);
  }
  return store.transaction((db) => {
    const action = nextAction(db, datasetId);
    let changed = 0;
    for (const c of changes) {
      const before = readDecision(db, datasetId, c.row);
      const after = c.decision === null ? null : { decision: c.decision, detector: c.detector ?? null, score: c.score ?? null };
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      writeDecision(db, datasetId, c.row, after);
      record(db, action, datasetId, 'decision', c.row, before, after);
      changed++;
    }
    return changed;
  });
}

export function getDecisions(store: ProjectStore, datasetId: string): DecisionEntry[] {
  return store.query((db) => db.prepare('SELECT row, decision, detector, score FROM anomaly_decisions WHERE dataset_id = ? ORDER BY row').all(datasetId) as DecisionEntry[]);
}

interface HistoryRow {
  seq: number;
  action: number;
  target: Target;
  row: number;
  before: string | null;
  after: string | null;
}

function apply(db: Database.Database, datasetId: string, h: HistoryRow, value: string | null): void {
  const v = value === null ? null : JSON.parse(value);
  if (h.target === 'label') writeLabel(db, datasetId, h.row, v);
  else writeDecision(db, datasetId, h.row, v);
}

function step(rows: HistoryRow[]): HistoryStep {
  return { target: rows[0].target, rows: [...new Set(rows.map((r) => r.row))] };
}

/** Undoes the latest action on this dataset; null when there is nothing to undo. */
export function undo(store: ProjectStore, datasetId: string): HistoryStep | null {
  return store.transaction((db) => {
    const last = db.prepare('SELECT max(action) AS a FROM edit_history WHERE dataset_id = ? AND undone = 0').get(datasetId) as { a: number | null };
    if (last.a === null) return null;
    const rows = db.prepare('SELECT seq, action, target, row, before, after FROM edit_history WHERE dataset_id = ? AND action = ? ORDER BY seq DESC').all(datasetId, last.a) as HistoryRow[];
    for (const h of rows) apply(db, datasetId, h, h.before);
    db.prepare('UPDATE edit_history SET undone = 1 WHERE dataset_id = ? AND action = ?').run(datasetId, last.a);
    return step(rows);
  });
}

/** Redoes the earliest undone action on this dataset; null when there is nothing to redo. */
export function redo(store: ProjectStore, datasetId: string): HistoryStep | null {
  return store.transaction((db) => {
    const first = db.prepare('SELECT min(action) AS a FROM edit_history WHERE dataset_id = ? AND undone = 1').get(datasetId) as { a: number | null };
    if (first.a === null) return null;
    const rows = db.prepare('SELECT seq, action, target, row, before, after FROM edit_history WHERE dataset_id = ? AND action = ? ORDER BY seq').all(datasetId, first.a) as HistoryRow[];
    for (const h of rows) apply(db, datasetId, h, h.after);
    db.prepare('UPDATE edit_history SET undone = 0 WHERE dataset_id = ? AND action = ?').run(datasetId, first.a);
    return step(rows);
  });
}

/** Whether undo / redo would do something (for menus and buttons). */
export function historyState(store: ProjectStore, datasetId: string): { canUndo: boolean; canRedo: boolean } {
  return store.query((db) => {
    const r = db.prepare('SELECT sum(undone = 0) AS u, sum(undone = 1) AS r FROM edit_history WHERE dataset_id = ?').get(datasetId) as { u: number | null; r: number | null };
    return { canUndo: (r.u ?? 0) > 0, canRedo: (r.r ?? 0) > 0 };
  });
}
