import { describe, expect, it } from 'vitest';
import { DBSCAN } from '../../../../../src/core/cluster/dbscan/dbscan';
import { benchMatrix } from '../../reference';

/**
 * The 100,000-point moons of bench_data (shuffled, so a prefix is a random subset). The expected
 * figures were measured with scikit-learn 1.2.1 (DBSCAN(eps=0.05, min_samples=5), Debian
 * python3-sklearn on this machine) on the same file; they are not in the reference JSON.
 */
const X = benchMatrix('moons100k_f64.bin', 100_000, 2);

describe('DBSCAN on 100,000 moons (eps 0.05, minSamples 5)', () => {
  it("finds scikit-learn's two moons, 99,965 core samples and the same 9 noise points", () => {
    const db = new DBSCAN({ eps: 0.05, minSamples: 5 }).fit(X);
    const labels = db.labels_!;
    const sizes = [0, 0];
    const noise: number[] = [];
    let weighted = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === -1) noise.push(i);
      else sizes[labels[i]]++;
      weighted += i * (labels[i] + 1);
    }
    expect(Math.max(...labels)).toBe(1);
    expect(db.coreSampleIndices_!.length).toBe(99_965);
    expect(noise).toEqual([3621, 7165, 10412, 22113, 23731, 27423, 58574, 62739, 92954]);
    expect(sizes).toEqual([49_997, 49_994]);
    // Σ i · (label + 1) over all points, from scikit-learn's labels: pins every label at once.
    expect(weighted).toBe(7_498_708_014);
  });

  it('gives identical results with the grid, the KD-tree and brute force on a 5,000-point prefix', () => {
    const prefix = { rows: 5000, cols: 2, data: X.data.subarray(0, 10_000) };
    const [grid, tree, brute] = (['grid', 'kd_tree', 'brute'] as const).map((algorithm) => new DBSCAN({ eps: 0.05, minSamples: 5, algorithm }).fit(prefix));
    expect(tree.labels_).toEqual(grid.labels_);
    expect(brute.labels_).toEqual(grid.labels_);
    expect(tree.coreSampleIndices_).toEqual(grid.coreSampleIndices_);
    expect(brute.coreSampleIndices_).toEqual(grid.coreSampleIndices_);
    // scikit-learn on the same prefix: 2 clusters, 22 noise points, 4,924 core samples.
    const labels = grid.labels_!;
    expect(Math.max(...labels)).toBe(1);
    expect(labels.filter((l) => l === -1).length).toBe(22);
    expect(grid.coreSampleIndices_!.length).toBe(4924);
  });
});
