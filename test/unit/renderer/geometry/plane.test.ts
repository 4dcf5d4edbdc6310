import { describe, expect, it } from 'vitest';
import { columnsPlane, isExactPlane, pcaPlane, toPlane, type ViewPlane } from '../../../../src/renderer/src/lib/geometry/plane';
import type { ProjectionResult } from '../../../../src/shared/analyses/explore';

describe('view planes', () => {
  it('of two columns put a point at its own coordinates, in the chosen order', () => {
    const plane = columnsPlane(2, 1, 0);
    expect(plane).toEqual({ origin: [0, 0], axes: [[0, 1], [1, 0]] });
    expect(Array.from(toPlane(plane, { rows: 2, cols: 2, data: Float64Array.from([1, 2, -3, 4]) }))).toEqual([2, 1, 4, -3]);
  });

  it('of the principal components project a point as the PCA transform does: (p − mean) · components', () => {
    const s = Math.SQRT1_2;
    const projection = {
      method: 'pca',
      x: new Float64Array(0),
      y: new Float64Array(0),
      explainedVarianceRatio: Float64Array.from([0.9, 0.1]),
      components: { rows: 2, cols: 3, data: Float64Array.from([s, s, 0, 0, 0, 1]) },
      mean: Float64Array.from([1, 1, 1]),
    } satisfies ProjectionResult;
    const plane = pcaPlane(projection);
    expect(plane.origin).toEqual([1, 1, 1]);
    const [u, v] = toPlane(plane, { rows: 1, cols: 3, data: Float64Array.from([2, 3, 5]) });
    expect(u).toBeCloseTo((1 + 2) * s, 12);
    expect(v).toBeCloseTo(4, 12);
  });

  it('are exact (centroids in the plane, Voronoi cells valid) only for a 2-D dataset’s own columns', () => {
    const vp = (kind: 'columns' | 'pca'): ViewPlane => ({ plane: columnsPlane(2, 0, 1), kind, x: new Float64Array(0), y: new Float64Array(0), xLabel: '', yLabel: '', truth: null });
    expect(isExactPlane(vp('columns'), 2)).toBe(true);
    expect(isExactPlane(vp('pca'), 4)).toBe(false);
    expect(isExactPlane(null, 2)).toBe(false);
  });
});
