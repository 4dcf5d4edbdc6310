/**
 * The views of the main area, in tab order. Each feature area adds its views here; a view gets
 * the workspace and the selected dataset, and keeps its own state in the project (view state).
 */
import type { Component } from 'svelte';
import type { DatasetSummary } from '../../../shared/dto';
import type { Workspace } from '../lib/state/workspace.svelte';
import ClustersView from './clusters/ClustersView.svelte';
import BoundariesView from './boundaries/BoundariesView.svelte';
import MixtureView from './mixture/MixtureView.svelte';
import DbscanView from './dbscan/DbscanView.svelte';
import StepsView from './steps/StepsView.svelte';
import SegmentationView from './segmentation/SegmentationView.svelte';
import ChooseKView from './diagnostics/ChooseKView.svelte';
import SilhouetteView from './diagnostics/SilhouetteView.svelte';
import LabelingView from './labeling/LabelingView.svelte';
import AnomaliesView from './anomalies/AnomaliesView.svelte';

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
  { id: 'choose-k', title: 'Choose k', description: 'Sweep k: inertia elbow, silhouette, Calinski–Harabasz, Davies–Bouldin, BIC/AIC, with the suggested k.', component: ChooseKView },
  { id: 'silhouette', title: 'Silhouette', description: 'Silhouette diagrams of runs side by side; click a cluster to see its samples.', component: SilhouetteView },
  { id: 'boundaries', title: 'Boundaries', description: 'Decision boundaries: K-Means Voronoi cells, or any predictor’s regions on a grid.', component: BoundariesView },
  { id: 'mixture', title: 'Mixture', description: 'Gaussian mixture densities, weights, and the four covariance types side by side.', component: MixtureView },
  { id: 'dbscan', title: 'DBSCAN', description: 'Core, border and noise samples, and the k-distance plot to choose eps.', component: DbscanView },
  { id: 'steps', title: 'K-Means steps', description: 'Lloyd’s iterations one by one, two seeds side by side.', component: StepsView },
  { id: 'segmentation', title: 'Segmentation', description: 'An image’s colours clustered with K-Means for several k.', component: SegmentationView },
  { id: 'anomalies', title: 'Anomalies', description: 'Rank the least likely samples (mixture density, PCA reconstruction error, DBSCAN noise) and review them from the keyboard.', component: AnomaliesView },
  { id: 'labeling', title: 'Labeling', description: 'Label the sample nearest each centroid, spread the labels, measure them, ask for the least sure next.', component: LabelingView },
];

export function viewById(id: string): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
