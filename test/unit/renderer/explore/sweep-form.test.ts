import { describe, expect, it } from 'vitest';
import { defaultSweepFields, fitForK, parseKList, validateSweep } from '../../../../src/renderer/src/lib/explore/sweep-form';

describe('the Choose-k form', () => {
  it('sweeps k = 1…10 with the chapter’s seed by default', () => {
    expect(validateSweep(defaultSweepFields(2000), 2000)).toEqual({ params: { algorithm: 'kmeans', ks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], randomState: 42 }, errors: {} });
    expect(defaultSweepFields(5).kMax).toBe('4');
  });

  it('says what is wrong with the range, the covariance types and the seed', () => {
    const f = defaultSweepFields(100);
    expect(validateSweep({ ...f, kMin: '0' }, 100).errors).toEqual({ kMin: 'the smallest k must be at least 1' });
    expect(validateSweep({ ...f, kMin: '5', kMax: '3' }, 100).errors).toEqual({ kMax: 'the largest k must be at least the smallest' });
    expect(validateSweep({ ...f, kMax: '101' }, 100).errors).toEqual({ kMax: 'the largest k cannot exceed the 100 samples' });
    expect(validateSweep({ ...f, kMin: '1', kMax: '60' }, 100).errors).toEqual({ kMax: 'at most 50 values of k in one sweep' });
    expect(validateSweep({ ...f, kMax: 'x' }, 100).errors).toEqual({ kMax: 'the largest k must be a whole number' });
    expect(validateSweep({ ...f, algorithm: 'gmm', covarianceTypes: [] }, 100).errors).toEqual({ covarianceTypes: 'choose at least one covariance type' });
    expect(validateSweep({ ...f, randomState: '-3' }, 100).errors).toEqual({ randomState: 'random_state must be in 0..4294967295' });
  });

  it('sends the covariance types of a mixture in a fixed order, and no seed when the field is empty', () => {
    const f = { ...defaultSweepFields(100), algorithm: 'gmm' as const, covarianceTypes: ['spherical', 'full'], randomState: '' };
    expect(validateSweep(f, 100).params).toEqual({ algorithm: 'gmm', ks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], covarianceTypes: ['full', 'spherical'] });
  });

  it('fits the sweep’s model again for a chosen k: same parameters and seed, the chosen curve’s covariance type', () => {
    expect(fitForK({ algorithm: 'kmeans', params: { nInit: 3 }, randomState: 7 }, 5, null)).toEqual({ algorithm: 'kmeans', params: { nInit: 3, nClusters: 5, randomState: 7 } });
    expect(fitForK({ algorithm: 'gmm', randomState: 1 }, 3, 'tied')).toEqual({ algorithm: 'gmm', params: { nComponents: 3, randomState: 1, covarianceType: 'tied' } });
    expect(fitForK({ algorithm: 'agglomerative', params: { distanceThreshold: 2, linkage: 'ward' }, randomState: 1 }, 4, null)).toEqual({
      algorithm: 'agglomerative',
      params: { linkage: 'ward', nClusters: 4 },
    });
  });

  it('reads a short list of k to compare side by side', () => {
    expect(parseKList('6, 3 4;5', 100, 4)).toEqual({ ks: [3, 4, 5, 6], error: null });
    expect(parseKList('3 3', 100, 4)).toEqual({ ks: [3], error: null });
    expect(parseKList('1, 3', 100, 4).error).toBe('a silhouette needs k ≥ 2');
    expect(parseKList('2,3,4,5,6', 100, 4).error).toBe('at most 4 values of k side by side');
    expect(parseKList('100', 100, 4).error).toBe('k must be at most 99 (the samples − 1)');
    expect(parseKList('three', 100, 4).error).toBe("'three' is not a whole number");
    expect(parseKList(' ', 100, 4).error).toMatch(/list the values of k/);
  });
});
