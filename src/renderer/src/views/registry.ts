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
  /**
   * The view's component. The landing view (Clusters) is part of the first bundle; the others
   * are loaded when first shown, so the start does not evaluate ten views' code in one task.
   */
  load: () => Promise<Component<ViewProps>>;
}

/** A view loaded on first use; the promise is kept, so it loads once. */
function lazy(importer: () => Promise<{ default: Component<ViewProps> }>): () => Promise<Component<ViewProps>> {
  let loading: Promise<Component<ViewProps>> | null = null;
  return () => (loading ??= importer().then((m) => m.default));
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'clusters', title: 'Clusters', description: 'Cluster the data and see the clustering on a scatter plot.', load: () => Promise.resolve(ClustersView) },
  { id: 'choose-k', title: 'Choose k', description: 'Sweep k: inertia elbow, silhouette, Calinski–Harabasz, Davies–Bouldin, BIC/AIC, with the suggested k.', load: lazy(() => import('./diagnostics/ChooseKView.svelte')) },
  { id: 'silhouette', title: 'Silhouette', description: 'Silhouette diagrams of runs side by side; click a cluster to see its samples.', load: lazy(() => import('./diagnostics/SilhouetteView.svelte')) },
  { id: 'boundaries', title: 'Boundaries', description: 'Decision boundaries: K-Means Voronoi cells, or any predictor’s regions on a grid.', load: lazy(() => import('./boundaries/BoundariesView.svelte')) },
  { id: 'mixture', title: 'Mixture', description: 'Gaussian mixture densities, weights, and the four covariance types side by side.', load: lazy(() => import('./mixture/MixtureView.svelte')) },
  { id: 'dbscan', title: 'DBSCAN', description: 'Core, border and noise samples, and the k-distance plot to choose eps.', load: lazy(() => import('./dbscan/DbscanView.svelte')) },
  { id: 'steps', title: 'K-Means steps', description: 'Lloyd’s iterations one by one, two seeds side by side.', load: lazy(() => import('./steps/StepsView.svelte')) },
  { id: 'segmentation', title: 'Segmentation', description: 'An image’s colours clustered with K-Means for several k.', load: lazy(() => import('./segmentation/SegmentationView.svelte')) },
  { id: 'anomalies', title: 'Anomalies', description: 'Rank the least likely samples (mixture density, PCA reconstruction error, DBSCAN noise) and review them from the keyboard.', load: lazy(() => import('./anomalies/AnomaliesView.svelte')) },
  { id: 'labeling', title: 'Labeling', description: 'Label the sample nearest each centroid, spread the labels, measure them, ask for the least sure next.', load: lazy(() => import('./labeling/LabelingView.svelte')) },
];

export function viewById(id: string): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
