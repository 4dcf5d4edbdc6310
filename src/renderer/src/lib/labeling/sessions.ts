/** The labeling sessions of the open project, one per dataset, kept while it is open (tab switches keep them). */
import type { DatasetSummary } from '../../../../shared/dto';
import type { Workspace } from '../state/workspace.svelte';
import { LabelingSession } from './session.svelte';

const sessions = new WeakMap<Workspace, { path: string | null; byDataset: Map<string, LabelingSession> }>();

export function labelingSession(ws: Workspace, dataset: DatasetSummary): LabelingSession {
  const path = ws.project?.path ?? null;
  let entry = sessions.get(ws);
  if (!entry || entry.path !== path) {
    for (const s of entry?.byDataset.values() ?? []) s.dispose();
    entry = { path, byDataset: new Map() };
    sessions.set(ws, entry);
  }
  let s = entry.byDataset.get(dataset.id);
  if (!s) entry.byDataset.set(dataset.id, (s = new LabelingSession(ws, dataset)));
  return s;
}
