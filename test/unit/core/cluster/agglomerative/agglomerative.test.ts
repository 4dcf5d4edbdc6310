import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgglomerativeClustering, type Linkage } from '../../../../../src/core/cluster/agglomerative';
import { DataError, ParameterError } from '../../../../../src/core/errors';
import { fromRows, matrix, takeRows } from '../../../../../src/core/math/matrix';
import { describeConformance } from '../../conformance';
import { dataset, expectClose, expected } from '../../reference';

const LINKAGES: Linkage[] = ['ward', 'complete', 'average', 'single'];
const ref = expected('agglomerative_spectral.json');
/**
 * children_/distances_/labels_ from scikit-learn 1.2.1 (see its meta) for the first 200 blobs5 rows,
 * for [0, 2, 5, 8.5] cut differently, and for a tie-heavy integer grid.
 */
const blobs200 = JSON.parse(
  readFileSync(resolve(__dirname, '../../../../fixtures/reference-extra/agglomerative_blobs200.json'), 'utf8'),
);
const small = fromRows([[0], [2], [5], [8.5]]);
// Tolerance: the same floating-point operations in the same order as scipy/scikit-learn, so the
// heights agree to the last bit in practice; 1e-12 relative leaves room only for that.
const REL = 1e-12;

function pairs(children: Int32Array): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < children.length; i += 2) out.push([children[i], children[i + 1]]);
  return out;
}

function expectDistances(actual: Float64Array | null, wanted: number[]): void {
  expect(actual).not.toBeNull();
  expect(actual!.length).toBe(wanted.length);
  wanted.forEach((w, i) => expectClose(actual![i], w, REL, 0));
}

describe('AgglomerativeClustering on the reference points [0, 2, 5, 8.5]', () => {
  for (const linkage of LINKAGES) {
    const r = ref[`agglomerative_${linkage}_0_2_5_8.5`];

    it(`builds scikit-learn's ${linkage} tree: children_ and distances_`, () => {
      const a = new AgglomerativeClustering({ linkage, computeDistances: true }).fit(small);
      expect(pairs(a.children_)).toEqual(r.children);
      expectDistances(a.distances_, r.distances);
      expect(a.nLeaves_).toBe(4);
      expect(a.nConnectedComponents_).toBe(1);
    });

    it(`labels the ${linkage} cut as scikit-learn does for nClusters 2 and 3`, () => {
      expect(Array.from(new AgglomerativeClustering({ linkage }).fit(small).labels_)).toEqual(r.labels);
      const three = new AgglomerativeClustering({ linkage, nClusters: 3 }).fit(small);
      expect(Array.from(three.labels_)).toEqual(blobs200[linkage].small_k3_labels);
      expect(three.nClusters_).toBe(3);
    });

    it(`cuts the ${linkage} tree at distanceThreshold 3, counting merges at or above it`, () => {
      const a = new AgglomerativeClustering({ linkage, nClusters: null, distanceThreshold: 3 }).fit(small);
      expect(a.nClusters_).toBe(blobs200[linkage].small_threshold3_n_clusters);
      expect(Array.from(a.labels_)).toEqual(blobs200[linkage].small_threshold3_labels);
      expectDistances(a.distances_, r.distances);
    });
  }

  it('keeps distances_ only when asked for or when a threshold is used', () => {
    expect(new AgglomerativeClustering().fit(small).distances_).toBeNull();
    expect(new AgglomerativeClustering({ computeDistances: true }).fit(small).distances_).not.toBeNull();
  });
});

describe('AgglomerativeClustering on the first 200 blobs5 points (scikit-learn fixture)', () => {
  const X = takeRows(dataset('blobs5.csv').X, Array.from({ length: 200 }, (_, i) => i));

  for (const linkage of LINKAGES) {
    const r = blobs200[linkage];

    it(`reproduces scikit-learn's ${linkage} children_, distances_ and 5-cluster labels`, () => {
      const a = new AgglomerativeClustering({ linkage, nClusters: 5, computeDistances: true }).fit(X);
      expect(pairs(a.children_)).toEqual(r.children);
      expectDistances(a.distances_, r.distances);
      expect(Array.from(a.labels_)).toEqual(r.labels_k5);
    });

    it(`reproduces scikit-learn's ${linkage} cut at a threshold equal to a merge height`, () => {
      const a = new AgglomerativeClustering({ linkage, nClusters: null, distanceThreshold: r.threshold }).fit(X);
      expect(a.nClusters_).toBe(r.threshold_n_clusters);
      expect(Array.from(a.labels_)).toEqual(r.threshold_labels);
    });
  }
});

describe('AgglomerativeClustering on 40 integer grid points full of ties and duplicates (scikit-learn fixture)', () => {
  const ties = blobs200.ties;
  const X = fromRows(ties.X);

  for (const linkage of LINKAGES) {
    it(`breaks ${linkage} ties as scikit-learn does: same children_, distances_ and labels`, () => {
      const a = new AgglomerativeClustering({ linkage, nClusters: 4, computeDistances: true }).fit(X);
      expect(pairs(a.children_)).toEqual(ties[linkage].children);
      expectDistances(a.distances_, ties[linkage].distances);
      expect(Array.from(a.labels_)).toEqual(ties[linkage].labels_k4);
    });
  }
});

describe('AgglomerativeClustering edge cases', () => {
  it('handles duplicate points (zero heights, no NaN) and nClusters equal to the number of samples', () => {
    const X = fromRows([[1, 1], [1, 1], [1, 1], [4, 5], [4, 5]]);
    for (const linkage of LINKAGES) {
      const a = new AgglomerativeClustering({ linkage, nClusters: 5, computeDistances: true }).fit(X);
      expect(a.distances_!.every((d) => Number.isFinite(d))).toBe(true);
      expect(Array.from(a.distances_!.subarray(0, 3))).toEqual([0, 0, 0]);
      expect(new Set(a.labels_).size).toBe(5);
      const two = new AgglomerativeClustering({ linkage, nClusters: 2 }).fit(X);
      expect(two.labels_[0]).toBe(two.labels_[2]);
      expect(two.labels_[3]).toBe(two.labels_[4]);
      expect(two.labels_[0]).not.toBe(two.labels_[3]);
    }
  });

  it('puts everything in one cluster when the threshold is above every merge', () => {
    const a = new AgglomerativeClustering({ nClusters: null, distanceThreshold: 100 }).fit(small);
    expect(a.nClusters_).toBe(1);
    expect(Array.from(a.labels_)).toEqual([0, 0, 0, 0]);
  });

  it('reads float32 input the same as float64', () => {
    const X32 = matrix(4, 1, Float32Array.from([0, 2, 5, 8.5]));
    const a = new AgglomerativeClustering({ linkage: 'average', computeDistances: true }).fit(X32);
    expect(Array.from(a.distances_!)).toEqual(ref['agglomerative_average_0_2_5_8.5'].distances);
  });

  it('reports progress up to 1', () => {
    const seen: number[] = [];
    new AgglomerativeClustering().fit(small, null, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
  });

  it('refuses both or neither of nClusters and distanceThreshold', () => {
    expect(() => new AgglomerativeClustering({ distanceThreshold: 1 }).fit(small)).toThrow(/exactly one of nClusters/);
    expect(() => new AgglomerativeClustering({ nClusters: null }).fit(small)).toThrow(ParameterError);
  });

  it('refuses more clusters than samples and fewer than two samples', () => {
    expect(() => new AgglomerativeClustering({ nClusters: 5 }).fit(small)).toThrow(/at most the number of samples \(4\)/);
    expect(() => new AgglomerativeClustering().fit(fromRows([[1]]))).toThrow(DataError);
  });

  it('refuses more than 10,000 samples for the pairwise linkages, saying why', () => {
    const X = matrix(10_001, 1);
    for (const linkage of ['ward', 'complete', 'average'] as const) {
      expect(() => new AgglomerativeClustering({ linkage }).fit(X)).toThrow(/at most 10000 samples; use single linkage/);
    }
  });
});

describeConformance('AgglomerativeClustering', {
  make: () => new AgglomerativeClustering({ nClusters: 3, linkage: 'average', computeDistances: true }),
  X: takeRows(dataset('blobs5.csv').X, Array.from({ length: 60 }, (_, i) => i * 7)),
  fingerprint: (e) => ({ labels: Array.from(e.labels_), children: Array.from(e.children_), distances: Array.from(e.distances_!) }),
  fromJSON: (j) => AgglomerativeClustering.fromJSON(j),
  badParams: [
    () => new AgglomerativeClustering({ nClusters: 0 }),
    () => new AgglomerativeClustering({ nClusters: 2.5 }),
    () => new AgglomerativeClustering({ linkage: 'centroid' as Linkage }),
    () => new AgglomerativeClustering({ nClusters: null, distanceThreshold: -1 }),
    () => new AgglomerativeClustering({ nClusters: null, distanceThreshold: 1, computeFullTree: false }),
    () => new AgglomerativeClustering({ computeFullTree: 'yes' as unknown as boolean }),
    () => new AgglomerativeClustering({ computeDistances: 1 as unknown as boolean }),
  ],
});
