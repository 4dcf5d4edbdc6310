/**
 * The plane a 2-D view draws on: a 2-D dataset's own columns, or for wider data the plane of its
 * first two principal components (the `projection` analysis), with every sample's coordinates
 * and the axis titles. Estimators still predict in the full feature space: grid points of the
 * plane are lifted to it (origin + u·axis₁ + v·axis₂).
 */
import type { ClientApi } from '../../../../shared/api';
import type { DatasetSummary, MatrixDTO } from '../../../../shared/dto';
import type { Plane } from '../../../../shared/analyses/geometry';
import type { ProjectionResult } from '../../../../shared/analyses/explore';
import { obtain } from './analysis';

export interface ViewPlane {
  plane: Plane;
  kind: 'columns' | 'pca';
  /** Coordinates of every sample in the plane, (nSamples) each. */
  x: Float64Array;
  y: Float64Array;
  xLabel: string;
  yLabel: string;
  /** Ground-truth codes, when the dataset has them. */
  truth: Int32Array | null;
}

function unit(d: number, i: number): number[] {
  return Array.from({ length: d }, (_, j) => (j === i ? 1 : 0));
}

/** The plane of two columns of a 2-D dataset. */
export function columnsPlane(d: number, xCol: number, yCol: number): Plane {
  return { origin: new Array<number>(d).fill(0), axes: [unit(d, xCol), unit(d, yCol)] };
}

/** The plane of the first two principal components. */
export function pcaPlane(p: ProjectionResult): Plane {
  const d = p.components.cols;
  const axis = (r: number): number[] => Array.from(p.components.data.subarray(r * d, (r + 1) * d));
  return { origin: Array.from(p.mean), axes: [axis(0), axis(1)] };
}

/** Coordinates in the plane of rows of the feature space (centroids, means), (rows, 2). */
export function toPlane(plane: Plane, m: MatrixDTO): Float64Array {
  const d = m.cols, out = new Float64Array(m.rows * 2);
  for (let i = 0; i < m.rows; i++) {
    for (let a = 0; a < 2; a++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (m.data[i * d + t] - plane.origin[t]) * plane.axes[a][t];
      out[2 * i + a] = s;
    }
  }
  return out;
}

/** Whether the plane is a dataset's own two columns (centroids then sit in it, and Voronoi cells are exact). */
export function isExactPlane(vp: ViewPlane | null, nFeatures: number): boolean {
  return !!vp && vp.kind === 'columns' && nFeatures === 2;
}

/**
 * The view's plane for a dataset: its columns (x, y) when it has two, else its PCA projection
 * (computed once as a job and saved with the project).
 */
export async function loadViewPlane(api: ClientApi, ds: DatasetSummary, xCol: number, yCol: number, onStarted?: () => void): Promise<ViewPlane> {
  if (ds.nFeatures < 2) throw new Error(`${ds.name} has one feature: these views need at least two`);
  if (ds.nFeatures === 2) {
    const [a, b] = xCol !== yCol && xCol < 2 && yCol < 2 ? [xCol, yCol] : [0, 1];
    const cols = await api.data.columns(ds.id, [a, b]);
    return {
      plane: columnsPlane(2, a, b),
      kind: 'columns',
      x: cols.x,
      y: cols.y,
      xLabel: ds.featureNames[a] ?? `x${a + 1}`,
      yLabel: ds.featureNames[b] ?? `x${b + 1}`,
      truth: cols.labels,
    };
  }
  const [{ result }, cols] = await Promise.all([
    obtain(api, { kind: 'projection', datasetId: ds.id, params: { method: 'pca' } }, { onStarted }),
    api.data.columns(ds.id, [0, 1]),
  ]);
  const pct = (i: number): string => `${(100 * result.explainedVarianceRatio[i]).toFixed(1)} %`;
  return {
    plane: pcaPlane(result),
    kind: 'pca',
    x: result.x,
    y: result.y,
    xLabel: `PC1 (${pct(0)} of the variance)`,
    yLabel: `PC2 (${pct(1)} of the variance)`,
    truth: cols.labels,
  };
}
