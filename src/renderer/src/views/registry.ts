/**
 * The views of the main area, in tab order. Each feature area adds its views here; a view gets
 * the workspace and the selected dataset, and keeps its own state in the project (view state).
 */
import type { Component } from 'svelte';
import type { DatasetSummary } from '../../../shared/dto';
import type { Workspace } from '../lib/state/workspace.svelte';
import ClustersView from './clusters/ClustersView.svelte';

export interface ViewProps {
  ws: Workspace;
  dataset: DatasetSummary;
}

export interface ViewDef {
  id: string;
  title: string;
  /** One line for the tab's tooltip and the command palette. */
  description: string;
  component: Component<ViewProps>;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'clusters', title: 'Clusters', description: 'Cluster the data and see the clustering on a scatter plot.', component: ClustersView },
];

export function viewById(id: string): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
