/** The exploration views' state of one dataset, kept by the workspace while the project is open. */
import { ChooseK } from './choose-k.svelte';
import { Silhouettes } from './silhouettes.svelte';
import type { Workspace } from './workspace.svelte';

export class ExploreState {
  readonly chooseK: ChooseK;
  readonly silhouettes: Silhouettes;

  constructor(ws: Workspace, datasetId: string) {
    const n = ws.datasets.find((d) => d.id === datasetId)?.nSamples ?? 0;
    this.chooseK = new ChooseK(ws, datasetId, n);
    this.silhouettes = new Silhouettes(ws, datasetId, n);
  }
}
