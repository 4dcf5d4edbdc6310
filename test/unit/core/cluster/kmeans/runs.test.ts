/**
 * The runs of a fit are independent: split across processes in any way (any subset, any order)
 * and adopted together, they give exactly what `fit` gives. The worker pool relies on it to run
 * n_init runs and sweep points in parallel with results that do not depend on the worker count.
 */
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../../../../src/core/cluster/kmeans';
import { sweepK, sweepPlan, sweepPoint, sweepResult } from '../../../../../src/core/cluster/sweep';
import { dataset } from '../../reference';

const blobs = dataset('blobs5.csv').X;
const digits = dataset('digits.csv').X;

describe('independent k-means runs', () => {
  for (const [name, X, algorithm] of [['blobs5', blobs, 'lloyd'], ['digits', digits, 'elkan']] as const) {
    it(`adopting runs computed in chunks and out of order gives fit's result exactly (${name}, ${algorithm})`, () => {
      const params = { nClusters: 7, nInit: 6, randomState: 3, algorithm };
      const serial = new KMeans(params).fit(X);
      const chunks = [[4, 5], [0], [2, 1, 3]];
      const runs = chunks.flatMap((c) => new KMeans(params).fitRuns(X, c));
      const adopted = new KMeans(params).adoptRuns(runs.reverse(), X.cols);
      expect(adopted.inertia_).toBe(serial.inertia_);
      expect(adopted.nIter_).toBe(serial.nIter_);
      expect(adopted.labels_).toEqual(serial.labels_);
      expect(adopted.clusterCenters_.data).toEqual(serial.clusterCenters_.data);
    });
  }

  it('rejects a run index outside 0..nInit−1', () => {
    expect(() => new KMeans({ nInit: 2, randomState: 0, nClusters: 3 }).fitRuns(blobs, [2])).toThrow(/run index 2/);
  });

  it("gives sweepK's result from points computed one at a time in any order", () => {
    const ks = [2, 3, 4, 5];
    const opts = { params: { nInit: 3 }, randomState: 11 };
    const serial = sweepK('kmeans', blobs, ks, opts);
    const plan = sweepPlan('kmeans', blobs, ks, opts);
    const points = plan.map((_, i) => i).reverse().map((i) => [i, sweepPoint('kmeans', blobs, plan[i].k, plan[i].covarianceType, 11, opts)] as const);
    const ordered = points.sort((a, b) => a[0] - b[0]).map((p) => p[1]);
    expect(sweepResult('kmeans', ks, ordered, 11)).toEqual(serial);
  });
});
