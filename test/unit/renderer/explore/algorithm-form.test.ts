import { describe, expect, it } from 'vitest';
import { ALGORITHM_PARAMS, defaultParams } from '../../../../src/core/cluster/params';
import { ALGORITHM_NAMES } from '../../../../src/core/cluster/registry';
import { ALGORITHMS, defaultFields, helpText, kParam, paramTestId, validateFields } from '../../../../src/renderer/src/lib/algorithm-form';

describe('the clustering form generated from the parameter table', () => {
  it('offers every algorithm of the registry', () => {
    expect([...ALGORITHMS].sort()).toEqual([...ALGORITHM_NAMES].sort());
  });

  it.each(ALGORITHMS)('%s: the untouched form sends scikit-learn’s defaults and leaves None parameters out', (a) => {
    const { params, errors } = validateFields(a, defaultFields(a, null), 1000);
    expect(errors).toEqual({});
    expect(params).toEqual(defaultParams(a));
  });

  it('starts k at the number of classes of the label column', () => {
    expect(defaultFields('kmeans', 3).nClusters).toBe('3');
    expect(defaultFields('gmm', 10).nComponents).toBe('10');
    expect(defaultFields('kmeans', 1).nClusters).toBe('8');
    // The default seed of the Preferences pre-fills random_state where the algorithm has one.
    expect(defaultFields('kmeans', null).randomState).toBe('');
    expect(defaultFields('kmeans', null, 42).randomState).toBe('42');
    expect(defaultFields('dbscan', null, 42)).not.toHaveProperty('randomState');
    expect(kParam('dbscan')).toBeNull();
  });

  it('names each field’s test hook after its scikit-learn name', () => {
    expect(ALGORITHM_PARAMS.kmeans.map(paramTestId)).toEqual([
      'param-n-clusters',
      'param-init',
      'param-n-init',
      'param-max-iter',
      'param-tol',
      'param-algorithm',
      'param-random-state',
    ]);
  });

  it('says what is wrong with each field, by the table’s ranges', () => {
    const f = { ...defaultFields('kmeans', null), nClusters: '0', nInit: '2.5', tol: 'abc', randomState: '-1', maxIter: '' };
    expect(validateFields('kmeans', f, 150)).toEqual({
      params: null,
      errors: {
        nClusters: 'n_clusters must be at least 1',
        nInit: 'n_init must be a whole number',
        tol: 'tol must be a number, e.g. 0.0001',
        randomState: 'random_state must be at least 0',
        maxIter: 'max_iter must be a whole number',
      },
    });
    expect(validateFields('kmeans', { ...defaultFields('kmeans', null), nClusters: '151' }, 150).errors.nClusters).toBe('n_clusters cannot exceed the 150 samples');
    expect(validateFields('kmeans', { ...defaultFields('kmeans', null), randomState: String(2 ** 32) }, 150).errors.randomState).toBe('random_state must be at most 4,294,967,295');
    expect(validateFields('dbscan', { ...defaultFields('dbscan', null), eps: '-0.1' }, 150).errors.eps).toBe('eps cannot be negative');
    expect(validateFields('dbscan', { ...defaultFields('dbscan', null), algorithm: 'ball_tree' }, 150).errors.algorithm).toBe('algorithm must be one of auto, grid, kd_tree, brute');
  });

  it('sends typed values: numbers, names, flags, and the seed when one is given', () => {
    const f = { ...defaultFields('agglomerative', null), linkage: 'single', computeDistances: true };
    expect(validateFields('agglomerative', f, 100).params).toEqual({ nClusters: 2, linkage: 'single', computeDistances: true });
    expect(validateFields('kmeans', { ...defaultFields('kmeans', null), randomState: ' 42 ' }, 100).params?.randomState).toBe(42);
    expect(validateFields('bgmm', { ...defaultFields('bgmm', null), weightConcentrationPrior: '0.01' }, 100).params?.weightConcentrationPrior).toBe(0.01);
  });

  it('wants exactly one of n_clusters and distance_threshold for agglomerative clustering', () => {
    const base = defaultFields('agglomerative', null);
    expect(validateFields('agglomerative', { ...base, distanceThreshold: '3' }, 100).errors.distanceThreshold).toBe('leave n_clusters empty when distance_threshold is set');
    expect(validateFields('agglomerative', { ...base, nClusters: '' }, 100).errors.nClusters).toMatch(/set n_clusters, or leave it empty and set distance_threshold/);
    expect(validateFields('agglomerative', { ...base, nClusters: '', distanceThreshold: '3' }, 100).params).toMatchObject({ nClusters: null, distanceThreshold: 3 });
  });

  it('says in the help what an empty optional field means', () => {
    const initSize = ALGORITHM_PARAMS['minibatch-kmeans'].find((p) => p.name === 'initSize')!;
    expect(helpText('minibatch-kmeans', initSize)).toMatch(/Empty: None\.$/);
    const seed = ALGORITHM_PARAMS.kmeans.find((p) => p.name === 'randomState')!;
    expect(helpText('kmeans', seed)).toMatch(/Empty: fresh seed\.$/);
  });
});
