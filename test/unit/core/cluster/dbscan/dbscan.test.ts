import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DBSCAN, type DBSCANAlgorithm } from '../../../../../src/core/cluster/dbscan/dbscan';
import { DataError, ParameterError } from '../../../../../src/core/errors';
import { fromRows, type Matrix, takeRows } from '../../../../../src/core/math/matrix';
import { describeConformance } from '../../conformance';
import { dataset, expected } from '../../reference';

const moons = dataset('moons.csv').X;
const ref = expected('dbscan_moons.json');
const ALGORITHMS: DBSCANAlgorithm[] = ['grid', 'kd_tree', 'brute'];

/**
 * scikit-learn 1.2's DBSCAN written out plainly, as the oracle for property tests: every
 * neighbourhood by brute force (distance ≤ eps, the point itself included), then the
 * depth-first walk of `_dbscan_inner.pyx`.
 */
function naiveDbscan(X: Matrix, eps: number, minSamples: number): { labels: number[]; core: number[] } {
  const n = X.rows, d = X.cols;
  const hoods: number[][] = [];
  for (let i = 0; i < n; i++) {
    const h: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = X.data[i * d + k] - X.data[j * d + k];
        s += t * t;
      }
      if (s <= eps * eps) h.push(j);
    }
    hoods.push(h);
  }
  const isCore = hoods.map((h) => h.length >= minSamples);
  const labels = new Array<number>(n).fill(-1);
  let label = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1 || !isCore[start]) continue;
    const stack: number[] = [];
    let i = start;
    while (true) {
      if (labels[i] === -1) {
        labels[i] = label;
        if (isCore[i]) for (const v of hoods[i]) if (labels[v] === -1) stack.push(v);
      }
      if (stack.length === 0) break;
      i = stack.pop()!;
    }
    label++;
  }
  return { labels, core: isCore.flatMap((c, i) => (c ? [i] : [])) };
}

/** Points on a lattice of step 0.5 (duplicates, distances exactly eps) or scattered, 1–`maxDim` features. */
function pointsArb(maxDim: number, minDim = 1): fc.Arbitrary<Matrix> {
  return fc
    .record({ d: fc.integer({ min: minDim, max: maxDim }), n: fc.integer({ min: 1, max: 70 }), lattice: fc.boolean() })
    .chain(({ d, n, lattice }) => {
      const value = lattice ? fc.integer({ min: -4, max: 4 }).map((v) => v * 0.5) : fc.double({ min: -3, max: 3, noNaN: true });
      return fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: n, maxLength: n });
    })
    .map(fromRows);
}

const epsArb = fc.constantFrom(0.1, 0.5, 0.7071067811865476, 1, 1.5, 2);

describe('DBSCAN on the book moons', () => {
  for (const key of ['eps0.05_min_samples5', 'eps0.2_min_samples5']) {
    const r = ref[key];
    const eps = key.startsWith('eps0.05') ? 0.05 : 0.2;
    for (const algorithm of ALGORITHMS) {
      it(`matches scikit-learn's labels and core samples exactly at eps=${eps} (${algorithm})`, () => {
        const db = new DBSCAN({ eps, minSamples: 5, algorithm }).fit(moons);
        expect(Array.from(db.labels_!)).toEqual(r.labels);
        expect(Array.from(db.coreSampleIndices_!)).toEqual(r.core_sample_indices);
        const labels = db.labels_!;
        const nClusters = Math.max(...labels) + 1;
        expect(nClusters).toBe(r.n_clusters);
        expect(labels.filter((l) => l === -1).length).toBe(r.n_noise);
        expect(Array.from({ length: nClusters }, (_, c) => labels.filter((l) => l === c).length)).toEqual(r.cluster_sizes);
      });
    }
  }

  it('gives point 665, within eps of two clusters, to the one that expands to it first', () => {
    const r = ref['eps0.05_min_samples5'];
    expect(r.ambiguous_border_points).toEqual([665]);
    const db = new DBSCAN({ eps: 0.05, minSamples: 5 }).fit(moons);
    const labels = db.labels_!, core = new Set(db.coreSampleIndices_!);
    expect(core.has(665)).toBe(false);
    const reaching = new Set<number>();
    for (const c of core) {
      const dx = moons.data[2 * c] - moons.data[2 * 665], dy = moons.data[2 * c + 1] - moons.data[2 * 665 + 1];
      if (dx * dx + dy * dy <= 0.05 * 0.05) reaching.add(labels[c]);
    }
    expect(reaching.size).toBe(2);
    expect(labels[665]).toBe(Math.min(...reaching));
    expect(labels[665]).toBe(r.labels[665]);
  });

  it('keeps the core samples rows in components_ and returns labels from fitPredict', () => {
    const db = new DBSCAN({ eps: 0.05 });
    const labels = db.fitPredict(moons);
    expect(labels).toBe(db.labels_);
    expect(Array.from(labels.subarray(0, 10))).toEqual(ref['eps0.05_min_samples5'].labels_first10);
    expect(db.components_).toEqual(takeRows(moons, db.coreSampleIndices_!));
    const f32: Matrix = { rows: moons.rows, cols: 2, data: Float32Array.from(moons.data) };
    expect(new DBSCAN({ eps: 0.05 }).fit(f32).components_!.data).toBeInstanceOf(Float32Array);
  });

  it('reports progress rising to 1 on every path', () => {
    for (const algorithm of ALGORITHMS) {
      const seen: number[] = [];
      new DBSCAN({ eps: 0.2, algorithm }).fit(moons, null, { onProgress: (f) => seen.push(f) });
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]))).toBe(true);
      expect(seen[seen.length - 1]).toBe(1);
    }
  });
});

describe('DBSCAN properties', () => {
  it('equals the plain scikit-learn algorithm on every path, 1–6 features', () => {
    fc.assert(
      fc.property(pointsArb(6), epsArb, fc.integer({ min: 1, max: 6 }), (X, eps, minSamples) => {
        const want = naiveDbscan(X, eps, minSamples);
        const got = ALGORITHMS.filter((a) => a !== 'grid' || X.cols <= 3).map((algorithm) => {
          const db = new DBSCAN({ eps, minSamples, algorithm, leafSize: 2 }).fit(X);
          return { algorithm, labels: Array.from(db.labels_!), core: Array.from(db.coreSampleIndices_!) };
        });
        expect(got).toEqual(got.map(({ algorithm }) => ({ algorithm, ...want })));
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('gives the same core points and clusters, up to renumbering, for any row order', () => {
    fc.assert(
      fc.property(pointsArb(3), epsArb, fc.integer({ min: 1, max: 5 }), fc.integer(), (X, eps, minSamples, seed) => {
        const n = X.rows;
        const perm = Array.from({ length: n }, (_, i) => i);
        let s = seed >>> 0;
        for (let i = n - 1; i > 0; i--) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const j = s % (i + 1);
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const a = new DBSCAN({ eps, minSamples }).fit(X);
        const b = new DBSCAN({ eps, minSamples }).fit(takeRows(X, perm));
        const coreA = new Set(a.coreSampleIndices_!), coreB = new Set(Array.from(b.coreSampleIndices_!, (i) => perm[i]));
        expect(coreB).toEqual(coreA);
        // Core points: a renumbering in both directions; noise stays noise (border points may
        // legitimately change cluster with the order).
        const map = new Map<number, number>(), inverse = new Map<number, number>();
        let consistent = true;
        for (let i = 0; i < n; i++) {
          const la = a.labels_![perm[i]], lb = b.labels_![i];
          if ((lb === -1) !== (la === -1)) consistent = false;
          if (!coreA.has(perm[i])) continue;
          if (!map.has(lb)) map.set(lb, la);
          if (!inverse.has(la)) inverse.set(la, lb);
          if (map.get(lb) !== la || inverse.get(la) !== lb) consistent = false;
        }
        expect(consistent).toBe(true);
      }),
      { numRuns: 150, seed: 5 },
    );
  });

  it('handles duplicate points, all noise and a single cluster', () => {
    const same = fromRows(Array.from({ length: 12 }, () => [0.3, -7]));
    expect(Array.from(new DBSCAN({ eps: 1e-9, minSamples: 12 }).fit(same).labels_!)).toEqual(new Array(12).fill(0));
    expect(Array.from(new DBSCAN({ eps: 1e-9, minSamples: 13 }).fit(same).labels_!)).toEqual(new Array(12).fill(-1));
    const noise = new DBSCAN({ eps: 1e-4, minSamples: 2 }).fit(moons);
    expect(noise.labels_!.every((l) => l === -1)).toBe(true);
    expect(noise.coreSampleIndices_!.length).toBe(0);
    expect(noise.components_!.rows).toBe(0);
    const one = new DBSCAN({ eps: 100, minSamples: 1000 }).fit(moons);
    expect(one.labels_!.every((l) => l === 0)).toBe(true);
    expect(new DBSCAN({ eps: 0.5, minSamples: 1 }).fit(fromRows([[1, 2]])).labels_).toEqual(Int32Array.from([0]));
  });

  it('falls back from the grid when eps is tiny against the data extent, with the same answer', () => {
    const X = fromRows([[0, 0], [1e-12, 0], [2e-12, 0], [1e9, 1e9]]);
    const grid = new DBSCAN({ eps: 1.5e-12, minSamples: 2 }).fit(X);
    const tree = new DBSCAN({ eps: 1.5e-12, minSamples: 2, algorithm: 'kd_tree' }).fit(X);
    expect(Array.from(grid.labels_!)).toEqual([0, 0, 0, -1]);
    expect(grid.labels_).toEqual(tree.labels_);
  });

  it('rejects a grid for more than 3 features and bad input', () => {
    const X4 = fromRows([[0, 0, 0, 0]]);
    expect(() => new DBSCAN({ algorithm: 'grid' }).fit(X4)).toThrow(ParameterError);
    expect(() => new DBSCAN().fit(fromRows([[0, NaN]]))).toThrow(DataError);
  });
});

describeConformance('DBSCAN', {
  make: () => new DBSCAN({ eps: 0.2 }),
  X: moons,
  fingerprint: (e) => ({ labels: Array.from(e.labels_!), core: Array.from(e.coreSampleIndices_!), components: Array.from(e.components_!.data) }),
  fromJSON: (j) => DBSCAN.fromJSON(j),
  badParams: [
    () => new DBSCAN({ eps: 0 }),
    () => new DBSCAN({ eps: -1 }),
    () => new DBSCAN({ eps: Infinity }),
    () => new DBSCAN({ minSamples: 0 }),
    () => new DBSCAN({ minSamples: 2.5 }),
    () => new DBSCAN({ metric: 'cosine' as never }),
    () => new DBSCAN({ algorithm: 'ball_tree' as never }),
    () => new DBSCAN({ leafSize: 0 }),
  ],
});
