/**
 * Fixed-init parity on blobs100k (100,000 × 2, k=8) for Lloyd and Elkan: in a file of its own
 * because the tol=0 runs take 79 iterations over 100,000 points.
 */
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../../../../src/core/cluster/kmeans';
import { benchMatrix, expectClose, expected } from '../../reference';
import { clusterSizes, expectCentersClose, initRows, rowsOf } from './helpers';

const X = benchMatrix('blobs100k_f64.bin', 100_000, 2);
const c = expected('kmeans_fixed_init.json').cases.blobs100k_k8;

describe('KMeans on blobs100k from fixed initial rows', () => {
  for (const algorithm of ['lloyd', 'elkan'] as const) {
    for (const tolCase of ['default_tol', 'tol0'] as const) {
      it(`${algorithm} ${tolCase}: n_iter and sizes exact, inertia and centers within rel 1e-9`, () => {
        const e = c[`${algorithm}_${tolCase}`];
        const km = new KMeans({ nClusters: 8, init: rowsOf(X, initRows(c.init_rows_key)), algorithm, tol: tolCase === 'tol0' ? 0 : 1e-4 }).fit(X);
        expect(km.nIter_).toBe(e.n_iter);
        expect(clusterSizes(km.labels_, 8)).toEqual(e.cluster_sizes);
        expectClose(km.inertia_, e.inertia, 1e-9);
        expectCentersClose(km.clusterCenters_, e.centers, 1e-9);
      });
    }
  }
});
