/**
 * The `anomalies` namespace of the API: the validation dataset with injected anomalies, and the
 * review's decisions saved as CSV through the desktop app's save dialog (the browser host
 * downloads `annotations.exportDecisions` instead). The detectors themselves run as analyses in
 * the worker (src/main/worker/analyses/anomalies.ts).
 */
import { writeFileSync } from 'node:fs';
import type { Api } from '../../../shared/api';
import { ApiError } from '../../../shared/api';
import type { InjectRequest } from '../../../shared/analyses/anomalies';
import type { ProjectStore } from '../store/project-store';
import { injectIntoDataset } from './inject';

export { injectIntoDataset, MAX_COPIES_PER_KIND } from './inject';

export interface AnomaliesDeps {
  /** The open project; throws when none is open. */
  requireStore(): ProjectStore;
  /** The decisions of a dataset as CSV (annotations.exportDecisions). */
  exportDecisions(datasetId: string): Promise<string>;
  /** The native save dialog; null when cancelled or where there is none (the browser host). */
  pickSave(opts: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
}

export function anomaliesApi(deps: AnomaliesDeps): Api['anomalies'] {
  return {
    inject: async (datasetId: string, req: InjectRequest) => {
      const store = deps.requireStore();
      if (store.readOnly) throw new ApiError('This project is open read-only: use Save As first', 'read-only');
      if (typeof datasetId !== 'string') throw new ApiError('expected a dataset id', 'bad-input');
      return injectIntoDataset(store, datasetId, req);
    },
    saveDecisions: async (datasetId: string) => {
      const store = deps.requireStore();
      if (typeof datasetId !== 'string') throw new ApiError('expected a dataset id', 'bad-input');
      const csv = await deps.exportDecisions(datasetId);
      const name = store.getDataset(datasetId).name;
      const path = await deps.pickSave({ title: 'Export anomaly decisions', defaultName: `${name} decisions.csv`, extensions: ['csv'] });
      if (!path) return null;
      writeFileSync(path, csv);
      return path;
    },
  };
}
