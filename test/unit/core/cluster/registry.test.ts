import { describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES, fitClustering, scoreClustering, SILHOUETTE_SAMPLE_LIMIT } from '../../../../src/core/cluster/registry';
import { ALGORITHM_PARAMS, defaultParams } from '../../../../src/core/cluster/params';
import { KMeans, MiniBatchKMeans } from '../../../../src/core/cluster/kmeans';
import { DBSCAN } from '../../../../src/core/cluster/dbscan';
import { BayesianGaussianMixture, GaussianMixture } from '../../../../src/core/cluster/mixture';
import { AgglomerativeClustering } from '../../../../src/core/cluster/agglomerative';
import { SpectralClustering } from '../../../../src/core/cluster/spectral';
import { makeBlobs } from '../../../../src/core/datasets';
import { ParameterError } from '../../../../src/core/errors';
import { dataset, expected } from '../reference';

const construct: Record<string, () => { params: object }> = {
  kmeans: () => new KMeans(),
  'minibatch-kmeans': () => new MiniBatchKMeans(),
  dbscan: () => new DBSCAN(),
  gmm: () => new GaussianMixture(),
  bgmm: () => new BayesianGaussianMixture(),
  agglomerative: () => new AgglomerativeClustering(),
  spectral: () => new SpectralClustering(),
};

describe('algorithm registry and parameter table', () => {
  it('states scikit-learn defaults that the estimators really use', () => {
    for (const algo of ALGORITHM_NAMES) {
      const params = construct[algo]().params as Record<string, unknown>;
      for (const spec of ALGORITHM_PARAMS[algo]) {
        expect(Object.keys(params), `${algo}.${spec.name} is a parameter of the estimator`).toContain(spec.name);
        if (spec.default !== undefined) expect(params[spec.name], `${algo}.${spec.name} default`).toEqual(spec.default);
      }
    }
  });

  it('fits every algorithm through one call with its default parameters', () => {
    const { X } = makeBlobs({ nSamples: 120, centers: 3, randomState: 1 });
    for (const algo of ALGORITHM_NAMES) {
      const params: Record<string, unknown> = { ...defaultParams(algo) };
      if ('nClusters' in params) params.nClusters = 3;
      if ('nComponents' in params) params.nComponents = 3;
      if (algo === 'spectral') params.gamma = 0.1;
      if (algo === 'dbscan') params.eps = 1;
      const out = fitClustering(algo, params, X);
      expect(out.labels, algo).toHaveLength(120);
      expect(out.nClusters, algo).toBeGreaterThanOrEqual(1);
      expect(out.model, algo).toMatchObject({ estimator: expect.any(String) });
      // Seeded algorithms report the seed they drew, so the run can be repeated.
      if (ALGORITHM_PARAMS[algo].some((p) => p.name === 'randomState')) {
        expect(out.randomState, algo).toEqual(expect.any(Number));
        const again = fitClustering(algo, { ...params, randomState: out.randomState }, X);
        expect(Array.from(again.labels), `${algo} repeats with its recorded seed`).toEqual(Array.from(out.labels));
      } else {
        expect(out.randomState).toBeNull();
      }
    }
  });

  it('rejects an unknown algorithm and bad parameters with a ParameterError', () => {
    const { X } = makeBlobs({ nSamples: 20, centers: 2, randomState: 1 });
    expect(() => fitClustering('nope' as never, {}, X)).toThrow(ParameterError);
    expect(() => fitClustering('kmeans', { nClusters: 0 }, X)).toThrow(ParameterError);
    expect(() => fitClustering('dbscan', { eps: -1 }, X)).toThrow(ParameterError);
    expect(() => fitClustering('gmm', { covarianceType: 'round' }, X)).toThrow(ParameterError);
  });

  it('scores a clustering with the asked metrics, as scikit-learn does (blobs5, rel 1e-9)', () => {
    const ref = expected('kmeans_blobs5.json');
    const { X, y } = dataset('blobs5.csv');
    const labels = Int32Array.from(ref.kmeans_k5_random_state42_n_init10.labels_canonical as number[]);
    const s = scoreClustering(['silhouette', 'ari', 'nmi', 'calinski-harabasz', 'davies-bouldin'], X, labels, y);
    expect(Math.abs(s.silhouette - ref.kmeans_k5_random_state42_n_init10.silhouette_score)).toBeLessThan(1e-9);
    expect(Math.abs(s.ari - ref.kmeans_k5_random_state42_n_init10.ari_vs_truth)).toBeLessThan(1e-9);
    expect(s.nmi).toBeGreaterThan(0.9);
    expect(s.calinskiHarabasz).toBeGreaterThan(0);
    expect(s.daviesBouldin).toBeGreaterThan(0);
    expect(s.silhouetteSampleSize).toBeUndefined();
  });

  it('says when the silhouette is estimated on a sample, and leaves undefined metrics as NaN', () => {
    const { X } = makeBlobs({ nSamples: SILHOUETTE_SAMPLE_LIMIT + 50, nFeatures: 2, centers: 3, randomState: 3 });
    const labels = fitClustering('kmeans', { nClusters: 3, nInit: 1, randomState: 0 }, X).labels;
    const s = scoreClustering(['silhouette'], X, labels, null);
    expect(s.silhouetteSampleSize).toBe(SILHOUETTE_SAMPLE_LIMIT);
    expect(s.silhouette).toBeGreaterThan(0.5);
    const one = scoreClustering(['silhouette', 'ari'], X, new Int32Array(X.rows), null);
    expect(one.silhouette).toBeNaN();
    expect(one.ari).toBeUndefined();
  });
});
