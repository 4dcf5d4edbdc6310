/**
 * Parity with scikit-learn 1.2.1 (shared/reference/expected): deterministic runs from fixed
 * initial centers must give the same n_iter and cluster sizes exactly and the same inertia and
 * centers within rel 1e-9 (scikit-learn centers X before iterating, so the last bits may differ);
 * seeded runs are compared through the seed-independent bounds.
 */
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../../../../src/core/cluster/kmeans';
import { fromRows } from '../../../../../src/core/math/matrix';
import { dataset, expectClose, expected } from '../../reference';
import { canonical, clusterSizes, expectCentersClose, initRows, rowsOf } from './helpers';

const REL = 1e-9;
const blobs = dataset('blobs5.csv').X;
const ref = expected('kmeans_blobs5.json');
const good = ref.kmeans_good_init;

describe('KMeans from the good initial centers on blobs5', () => {
  it('follows scikit-learn trajectory: inertia and centers after 1, 2 and 3 iterations', () => {
    for (const step of good.trajectory) {
      const km = new KMeans({ nClusters: 5, init: good.init, maxIter: step.max_iter }).fit(blobs);
      expect(km.nIter_).toBe(step.n_iter);
      expectClose(km.inertia_, step.inertia, REL);
      expectCentersClose(km.clusterCenters_, step.centers_in_init_order, REL);
    }
  });

  it('stops after 3 iterations with scikit-learn inertia, centers and labels (in init order)', () => {
    const km = new KMeans({ nClusters: 5, init: good.init }).fit(blobs);
    expect(km.nIter_).toBe(good.n_iter);
    expectClose(km.inertia_, good.inertia, REL);
    expectCentersClose(km.clusterCenters_, good.centers_in_init_order, REL);
    expect(Array.from(km.labels_)).toEqual(good.labels_in_init_order);
    expectClose(-km.score(blobs), good.inertia, REL);
  });

  it('gives the same labels, centers and n_iter with Elkan as with Lloyd', () => {
    const lloyd = new KMeans({ nClusters: 5, init: good.init }).fit(blobs);
    const elkan = new KMeans({ nClusters: 5, init: good.init, algorithm: 'elkan' }).fit(blobs);
    expect(elkan.nIter_).toBe(good.elkan.n_iter);
    expect(Array.from(elkan.labels_)).toEqual(Array.from(lloyd.labels_));
    expectClose(elkan.inertia_, good.elkan.inertia, REL);
    expectCentersClose(elkan.clusterCenters_, good.elkan.centers_in_init_order, REL);
  });

  it('stops on the first center shift within scikit-learn tol_abs = tol · mean(var(X))', () => {
    // blobs5 k=8 stops on the shift rule after 11 iterations (30 without tolerance).
    const c = expected('kmeans_fixed_init.json').cases.blobs5_k8;
    const shifts: number[] = [];
    new KMeans({ nClusters: 8, init: rowsOf(blobs, initRows(c.init_rows_key)) }).fit(blobs, undefined, {
      onIteration: (it) => shifts.push(it.centerShift),
    });
    expect(shifts.length).toBe(c.lloyd_default_tol.n_iter);
    expect(shifts[shifts.length - 1]).toBeLessThanOrEqual(c.tol_abs);
    for (const s of shifts.slice(0, -1)) expect(s).toBeGreaterThan(c.tol_abs);
  });
});

const fixed = expected('kmeans_fixed_init.json').cases;
const data = {
  blobs5: blobs,
  digits: dataset('digits.csv').X,
};

describe('KMeans from fixed initial rows (kmeans_fixed_init.json)', () => {
  for (const name of ['blobs5_k5', 'blobs5_k8', 'digits_k10', 'digits_k50']) {
    const c = fixed[name];
    const X = data[name.split('_')[0] as keyof typeof data];
    const rows = initRows(c.init_rows_key);
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      for (const tolCase of ['default_tol', 'tol0'] as const) {
        it(`${name} ${algorithm} ${tolCase}: n_iter and sizes exact, inertia and centers within rel 1e-9`, () => {
          const e = c[`${algorithm}_${tolCase}`];
          const km = new KMeans({ nClusters: rows.length, init: rowsOf(X, rows), algorithm, tol: tolCase === 'tol0' ? 0 : 1e-4 }).fit(X);
          expect(km.nIter_).toBe(e.n_iter);
          expect(clusterSizes(km.labels_, rows.length)).toEqual(e.cluster_sizes);
          expectClose(km.inertia_, e.inertia, REL);
          expectCentersClose(km.clusterCenters_, e.centers, REL);
        });
      }
    }
  }
});

describe('KMeans with k-means++ and a seed (seed-independent bounds)', () => {
  const best = ref.seed_independent.best;

  it('reaches the best-of-200 inertia within 0.1% for k=5, nInit=10, randomState=42', () => {
    const km = new KMeans({ nClusters: 5, nInit: 10, randomState: 42 }).fit(blobs);
    expect(km.inertia_).toBeLessThanOrEqual(best.k5.best_inertia_n_init200 * 1.001);
    expectCentersClose(fromRows(canonical(km.clusterCenters_).rows), best.k5.centers_canonical, 1e-6);
  });

  for (const k of [4, 5, 8] as const) {
    it(`reaches the best-of-200 inertia within 0.1% for k=${k} with seeds 0, 1 and 7 (Lloyd and Elkan)`, () => {
      const bound = best[`k${k}`].best_inertia_n_init200 * 1.001;
      for (const randomState of [0, 1, 7]) {
        for (const algorithm of ['lloyd', 'elkan'] as const) {
          const km = new KMeans({ nClusters: k, nInit: 10, randomState, algorithm }).fit(blobs);
          expect(km.inertia_).toBeLessThanOrEqual(bound);
        }
      }
    });
  }

  it('reaches the best inertia within 0.1% with random row initialization too (k=5, nInit=10)', () => {
    const km = new KMeans({ nClusters: 5, init: 'random', nInit: 10, randomState: 3 }).fit(blobs);
    expect(km.inertia_).toBeLessThanOrEqual(best.k5.best_inertia_n_init200 * 1.001);
  });
});

describe('KMeans predict and transform on new points', () => {
  const r = ref.kmeans_k5_random_state42_n_init10;
  const km = new KMeans({ nClusters: 5, init: good.init }).fit(blobs);
  const { toCanonical } = canonical(km.clusterCenters_);
  const Xnew = fromRows(r.X_new);

  it('predicts scikit-learn canonical labels for X_new', () => {
    expect(Array.from(km.predict(Xnew), (l) => toCanonical[l])).toEqual(r.predict_X_new_canonical);
  });

  it('transforms X_new to scikit-learn distances (canonical column order), within rel 1e-9', () => {
    const T = km.transform(Xnew);
    expect([T.rows, T.cols]).toEqual([4, 5]);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 5; j++) expectClose(T.data[i * 5 + j], r.transform_X_new_canonical[i][toCanonical[j]], REL);
    }
  });

  it('scores the training data as minus scikit-learn inertia', () => {
    expectClose(km.score(blobs), r.score, REL);
  });
});

describe('KMeans on iris (4 features: the blocked kernel)', () => {
  it('finds scikit-learn k=3 partition: inertia within rel 1e-9 and the same centers', () => {
    const ref = expected('iris.json').kmeans3_random_state42;
    const km = new KMeans({ nClusters: 3, randomState: 42 }).fit(dataset('iris.csv').X);
    expectClose(km.inertia_, ref.inertia, REL);
    expectCentersClose(fromRows(canonical(km.clusterCenters_).rows), ref.centers_canonical, REL);
  });
});
