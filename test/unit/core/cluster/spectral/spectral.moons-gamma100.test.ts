/**
 * SpectralClustering(nClusters 2, gamma 100, rs 42) on the reference moons, against scikit-learn
 * 1.2.1. One fit per file: the dense eigensolver takes seconds at 1,000 samples, and separate files
 * let the two gammas run in parallel.
 */
import { describe } from 'vitest';
import { describeMoonsParity } from './moons-parity';

describe('SpectralClustering on moons, gamma 100', () => {
  describeMoonsParity(100, 'spectral_moons_gamma100');
});
