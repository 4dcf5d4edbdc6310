/** The moons parity check shared by the per-gamma test files. */
import { expect, it } from 'vitest';
import { rbfAffinity, SpectralClustering } from '../../../../../src/core/cluster/spectral';
import { adjustedRandScore, normalizedMutualInfoScore } from '../../../../../src/core/metrics';
import { dataset, expectClose, expected } from '../../reference';
import { samePartition } from './partition';

export function describeMoonsParity(gamma: number, key: string): void {
  const r = expected('agglomerative_spectral.json')[key];
  const { X, y } = dataset('moons.csv');

  // scikit-learn's labels depend on NumPy's stream only through the k-means seeding and ARPACK's
  // start vector; the partition is a property of the (deterministic) embedding. So it must be the
  // reference's exactly, up to renaming the two clusters. ARI and NMI vs the truth are functions of
  // the contingency table alone, so with the same partition they equal the reference values
  // (1.0 / 1.0 for gamma 100, 0.2952 / 0.2255 for gamma 1) up to the metrics' own rounding:
  // 1e-9 relative, the README's tolerance for deterministic numbers.
  it(`finds scikit-learn's partition (same ARI/NMI vs truth) and keeps its RBF affinity`, () => {
    const s = new SpectralClustering({ nClusters: 2, gamma, randomState: 42 }).fit(X);
    expect(samePartition(s.labels_, r.labels)).toBe(true);
    expectClose(adjustedRandScore(y!, s.labels_), r.ari_vs_truth, 1e-9);
    expectClose(normalizedMutualInfoScore(y!, s.labels_), r.nmi_vs_truth, 1e-9);
    const sizes = [0, 0];
    for (const l of s.labels_) sizes[l]++;
    expect(sizes.sort((a, b) => a - b)).toEqual(r.cluster_sizes_sorted);
    expect(s.affinityMatrix_!.rows).toBe(1000);
    expect(s.affinityMatrix_!.data).toEqual(rbfAffinity(X, gamma));
  });
}
