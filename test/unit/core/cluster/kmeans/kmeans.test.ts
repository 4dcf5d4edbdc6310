/** KMeans behaviour: conformance, hooks, float32 input, edge cases and properties of the kernels. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KMeans, kmeansSteps, type KMeansIteration } from '../../../../../src/core/cluster/kmeans';
import { DataError, NotFittedError, ParameterError } from '../../../../../src/core/errors';
import { fromRows, matrix, takeRows, type Matrix } from '../../../../../src/core/math/matrix';
import { describeConformance } from '../../conformance';
import { dataset, expectClose, expected } from '../../reference';
import { clusterSizes } from './helpers';

const blobs = dataset('blobs5.csv').X;
const good = expected('kmeans_blobs5.json').kmeans_good_init;
const small = takeRows(blobs, Array.from({ length: 300 }, (_, i) => i));

describeConformance('KMeans', {
  make: () => new KMeans({ nClusters: 4, nInit: 3, randomState: 0 }),
  X: small,
  fingerprint: (e) => ({ labels: Array.from(e.labels_), centers: Array.from(e.clusterCenters_.data), inertia: e.inertia_, nIter: e.nIter_ }),
  fromJSON: (j) => KMeans.fromJSON(j),
  badParams: [
    () => new KMeans({ nClusters: 0 }),
    () => new KMeans({ nClusters: 2.5 }),
    () => new KMeans({ nInit: 0 }),
    () => new KMeans({ maxIter: 0 }),
    () => new KMeans({ tol: -1 }),
    () => new KMeans({ algorithm: 'full' as never }),
    () => new KMeans({ init: 'kmeans' as never }),
    () => new KMeans({ nClusters: 2, init: [[0, 0]] }),
    () => new KMeans({ nClusters: 2, init: [[0, 0], [1]] }),
    () => new KMeans({ nClusters: 1, init: [[0, NaN]] }),
    () => new KMeans({ randomState: -1 }),
  ],
});

/** Brute-force nearest center by direct differences, for checking the kernels. */
function bruteNearest(X: Matrix, C: Matrix): { labels: number[]; dist: number[][] } {
  const labels: number[] = [], dist: number[][] = [];
  for (let i = 0; i < X.rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < C.rows; j++) {
      let s = 0;
      for (let t = 0; t < X.cols; t++) s += (X.data[i * X.cols + t] - C.data[j * C.cols + t]) ** 2;
      row.push(s);
    }
    dist.push(row);
    labels.push(row.indexOf(Math.min(...row)));
  }
  return { labels, dist };
}

describe('KMeans', () => {
  it('reports every iteration of every run through onIteration, and progress up to 1', () => {
    const its: KMeansIteration[] = [];
    const progress: number[] = [];
    const km = new KMeans({ nClusters: 5, nInit: 3, randomState: 1 }).fit(blobs, undefined, {
      onIteration: (it) => its.push(it),
      onProgress: (f) => progress.push(f),
    });
    expect(new Set(its.map((i) => i.run))).toEqual(new Set([0, 1, 2]));
    for (const it of its) {
      expect(it.labels.length).toBe(blobs.rows);
      expect([it.centers.rows, it.centers.cols]).toEqual([5, 2]);
      expect(it.inertia).toBeGreaterThan(0);
    }
    // The hook gets copies: the last centers of the best run are the fitted ones.
    expect(its.some((it) => Array.from(it.centers.data).join() === Array.from(km.clusterCenters_.data).join())).toBe(true);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
  });

  it('reports per-iteration inertia against the centers the points were assigned to', () => {
    const its: KMeansIteration[] = [];
    new KMeans({ nClusters: 5, init: good.init }).fit(blobs, undefined, { onIteration: (it) => its.push(it) });
    // Iteration 2 assigns against iteration 1's centers, whose inertia (with relabelling) is trajectory[0].
    expect(its[1].inertia).toBeLessThanOrEqual(good.trajectory[0].inertia * (1 + 1e-12));
    expect(its.map((i) => i.iteration)).toEqual([1, 2, 3]);
  });

  it('fits float32 data to exactly the float64 result of the same values, close to scikit-learn', () => {
    const f32 = matrix(blobs.rows, blobs.cols, Float32Array.from(blobs.data));
    const same = matrix(blobs.rows, blobs.cols, Float64Array.from(f32.data));
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const a = new KMeans({ nClusters: 5, init: good.init, algorithm }).fit(f32);
      const b = new KMeans({ nClusters: 5, init: good.init, algorithm }).fit(same);
      expect(a.clusterCenters_.data).toBeInstanceOf(Float64Array);
      expect(Array.from(a.labels_)).toEqual(Array.from(b.labels_));
      expect(Array.from(a.clusterCenters_.data)).toEqual(Array.from(b.clusterCenters_.data));
      expect(a.nIter_).toBe(good.n_iter);
      // Rounding the data to float32 moves the inertia by ~1e-7 relative.
      expectClose(a.inertia_, good.inertia, 1e-6);
    }
  });

  it('labels high-dimensional data (blocked expanded kernel) exactly as brute force does', () => {
    const digits = dataset('digits.csv').X;
    const km = new KMeans({ nClusters: 10, nInit: 1, randomState: 0 }).fit(digits);
    const brute = bruteNearest(digits, km.clusterCenters_);
    expect(Array.from(km.predict(digits))).toEqual(brute.labels);
    expect(Array.from(km.labels_)).toEqual(brute.labels);
    const T = km.transform(digits);
    for (let i = 0; i < 50; i++) for (let j = 0; j < 10; j++) expectClose(T.data[i * 10 + j] ** 2, brute.dist[i][j], 1e-9, 1e-9);
  });

  it('relocates an empty cluster to the point farthest from its center, as scikit-learn', () => {
    const init = [...good.init.slice(0, 4), [100, 100]];
    const its: KMeansIteration[] = [];
    const km = new KMeans({ nClusters: 5, init }).fit(blobs, undefined, { onIteration: (it) => its.push(it) });
    // No point is nearest to (100, 100): after iteration 1 that center sits on the point farthest
    // from the center it was assigned to.
    const brute = bruteNearest(blobs, fromRows(init));
    let far = 0;
    brute.labels.forEach((l, i) => {
      if (brute.dist[i][l] > brute.dist[far][brute.labels[far]]) far = i;
    });
    expect(Array.from(its[0].centers.data.subarray(8, 10))).toEqual([blobs.data[2 * far], blobs.data[2 * far + 1]]);
    expect(clusterSizes(km.labels_, 5).every((s) => s > 0)).toBe(true);
    // scikit-learn 1.2.1 on the same init: 7 iterations, the best k=5 partition.
    expect(km.nIter_).toBe(7);
    expectClose(km.inertia_, good.inertia, 1e-9);
  });

  it('runs Elkan with a single cluster (as Lloyd) and puts the center on the mean', () => {
    const km = new KMeans({ nClusters: 1, algorithm: 'elkan', nInit: 1, randomState: 0 }).fit(blobs);
    const mean = [0, 0];
    for (let i = 0; i < blobs.rows; i++) for (let t = 0; t < 2; t++) mean[t] += blobs.data[2 * i + t] / blobs.rows;
    expectClose(km.clusterCenters_.data[0], mean[0], 1e-12);
    expectClose(km.clusterCenters_.data[1], mean[1], 1e-12);
  });

  it('keeps the best of nInit runs by inertia', () => {
    const single = [0, 1, 2, 3, 4].map((s) => new KMeans({ nClusters: 8, nInit: 1, init: 'random', randomState: s }).fit(blobs).inertia_);
    const multi = new KMeans({ nClusters: 8, nInit: 5, init: 'random', randomState: 0 }).fit(blobs).inertia_;
    // Each run of the multi-run fit draws from one stream, so compare with the spread, not equality.
    expect(multi).toBeLessThanOrEqual(Math.max(...single));
    expect(new KMeans({ nClusters: 8, nInit: 1, init: 'random', randomState: 0 }).fit(blobs).inertia_).toBe(single[0]);
  });

  it('rejects unfitted use, mismatched features, too few samples and NaN', () => {
    expect(() => new KMeans().predict(blobs)).toThrow(NotFittedError);
    const km = new KMeans({ nClusters: 2, nInit: 1, randomState: 0 }).fit(small);
    expect(() => km.predict(fromRows([[1, 2, 3]]))).toThrow(DataError);
    expect(() => new KMeans({ nClusters: 5 }).fit(fromRows([[1, 2]]))).toThrow(DataError);
    expect(() => new KMeans({ nClusters: 1 }).fit(fromRows([[1, NaN]]))).toThrow(DataError);
    expect(() => new KMeans({ nClusters: 2, init: [[0, 0, 0], [1, 1, 1]] }).fit(small)).toThrow(ParameterError);
  });

  it('fitPredict returns the training labels', () => {
    const km = new KMeans({ nClusters: 5, init: good.init });
    expect(Array.from(km.fitPredict(blobs))).toEqual(good.labels_in_init_order);
  });
});

describe('kmeansSteps', () => {
  it('alternates assign and update and ends on exactly what KMeans returns', () => {
    for (const [init, tol, maxIter] of [
      [good.init, 1e-4, 300],
      [good.init, 0, 300],
      [good.init, 1e-4, 2],
    ] as const) {
      const gen = kmeansSteps(blobs, init as number[][], { tol, maxIter });
      const steps = [];
      let r = gen.next();
      while (!r.done) {
        steps.push(r.value);
        r = gen.next();
      }
      const km = new KMeans({ nClusters: 5, init: init as number[][], tol, maxIter }).fit(blobs);
      expect(r.value.nIter).toBe(km.nIter_);
      expect(Array.from(r.value.labels)).toEqual(Array.from(km.labels_));
      expect(Array.from(r.value.centers.data)).toEqual(Array.from(km.clusterCenters_.data));
      expect(r.value.inertia).toBe(km.inertia_);
      const last = steps[steps.length - 1];
      expect(last.done).toBe(true);
      expect(steps.filter((s) => s.done).length).toBe(1);
      expect(last.inertia).toBe(km.inertia_);
      for (let i = 0; i + 1 < 2 * km.nIter_; i += 2) {
        expect([steps[i].phase, steps[i + 1].phase]).toEqual(['assign', 'update']);
        expect(steps[i].iteration).toBe(steps[i + 1].iteration);
      }
      // Lloyd never increases the inertia, phase after phase (up to rounding).
      for (let i = 1; i < steps.length; i++) expect(steps[i].inertia).toBeLessThanOrEqual(steps[i - 1].inertia * (1 + 1e-12));
    }
  });

  it('follows scikit-learn trajectory: the update inertias match after relabelling', () => {
    const steps = [...kmeansSteps(blobs, good.init)];
    const updates = steps.filter((s) => s.phase === 'update');
    expect(updates.length).toBe(good.n_iter);
    // After iteration i's update, the next assignment's inertia is scikit-learn's max_iter=i inertia.
    const assigns = steps.filter((s) => s.phase === 'assign');
    for (let i = 0; i < good.trajectory.length - 1; i++) expectClose(assigns[i + 1].inertia, good.trajectory[i].inertia, 1e-9);
  });
});

describe('KMeans properties', () => {
  /** Small datasets: integers on a coarse grid, jittered per point so that no two points or distances tie. */
  const dataArb = fc
    .record({ n: fc.integer({ min: 3, max: 40 }), d: fc.constantFrom(1, 2, 3, 9, 12), seed: fc.integer({ min: 0, max: 1000 }) })
    .chain(({ n, d, seed }) =>
      fc.record({
        n: fc.constant(n),
        d: fc.constant(d),
        seed: fc.constant(seed),
        values: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: n * d, maxLength: n * d }),
        k: fc.integer({ min: 1, max: Math.min(n, 6) }),
        perm: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: n, maxLength: n },
        ),
      }),
    );

  const jittered = (n: number, d: number, values: number[]): Matrix<Float64Array> =>
    matrix(n, d, Float64Array.from(values, (v, q) => v + 1e-3 * Math.sin(q * 7.13 + 0.5)));

  it('gives the same partition, inertia and iterations for any order of the rows, from explicit centers', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom('lloyd' as const, 'elkan' as const), ({ n, d, values, k, perm }, algorithm) => {
        const X = jittered(n, d, values);
        const init = Array.from({ length: k }, (_, j) => Array.from(X.data.subarray(j * d, (j + 1) * d)));
        const P = takeRows(X, perm);
        const a = new KMeans({ nClusters: k, init, algorithm }).fit(X);
        const b = new KMeans({ nClusters: k, init, algorithm }).fit(P);
        // Sums in another order round differently: equal up to rounding, not bit for bit.
        expectClose(b.inertia_, a.inertia_, 1e-12, 1e-12);
        expect(b.nIter_).toBe(a.nIter_);
        expect(Array.from(perm, (i) => a.labels_[i])).toEqual(Array.from(b.labels_));
      }),
      { numRuns: 60 },
    );
  });

  it('never produces NaN with duplicate points and k = n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(1, 2, 10),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('k-means++' as const, 'random' as const),
        fc.constantFrom('lloyd' as const, 'elkan' as const),
        fc.integer({ min: 0, max: 99 }),
        (n, d, distinct, init, algorithm, seed) => {
          const X = matrix(n, d);
          for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) X.data[i * d + t] = (i % distinct) + t;
          const km = new KMeans({ nClusters: n, init, algorithm, nInit: 2, randomState: seed }).fit(X);
          expect(km.clusterCenters_.data.every(Number.isFinite)).toBe(true);
          expect(Number.isFinite(km.inertia_)).toBe(true);
          expect(km.inertia_).toBeGreaterThanOrEqual(0);
          expect(km.labels_.every((l) => l >= 0 && l < n)).toBe(true);
          expect(km.transform(X).data.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('transforms to non-negative distances whose row minimum is the predicted center', () => {
    fc.assert(
      fc.property(dataArb, ({ n, d, values, k, seed }) => {
        const X = matrix(n, d, Float64Array.from(values, (v) => v * 0.37 + 1000));
        const km = new KMeans({ nClusters: k, nInit: 1, randomState: seed }).fit(X);
        const T = km.transform(X);
        const labels = km.predict(X);
        for (let i = 0; i < n; i++) {
          const row = Array.from(T.data.subarray(i * k, (i + 1) * k));
          expect(row.every((v) => v >= 0)).toBe(true);
          // Ties aside, the nearest center by distance is the predicted one.
          expect(row[labels[i]]).toBeLessThanOrEqual(Math.min(...row) * (1 + 1e-9) + 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });
});
