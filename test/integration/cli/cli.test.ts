/**
 * The command line as people run it: a real process per call, its JSON on stdout, its exit
 * codes, on the reference datasets (numbers to the reference README's tolerances).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const REF = resolve(ROOT, '../shared/reference');
const DATA = join(REF, 'datasets');
const expected = (f: string) => JSON.parse(readFileSync(join(REF, 'expected', f), 'utf8'));

function cli(...args: string[]): { code: number; out: any; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli/index.ts'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let out: any = null;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    // Not JSON (help text, or nothing on failure).
  }
  return { code: r.status ?? -1, out, stdout: r.stdout, stderr: r.stderr };
}

describe('clusterscope CLI', () => {
  it('fits K-Means with the chapter settings and reports the asked metrics (inertia within 0.1 % of the best known)', () => {
    const ref = expected('kmeans_blobs5.json');
    const r = cli('fit', 'kmeans', join(DATA, 'blobs5.csv'), '--n-clusters', '5', '--n-init', '10', '--random-state', '42', '--label-column', 'y', '--metrics', 'silhouette,ari', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ nSamples: 2000, nFeatures: 2, nClusters: 5, params: { nClusters: 5, nInit: 10, randomState: 42 } });
    expect(r.out.labels).toHaveLength(2000);
    expect(r.out.centers).toHaveLength(5);
    expect(r.out.inertia).toBeLessThanOrEqual(ref.seed_independent.best.k5.best_inertia_n_init200 * 1.001);
    expect(r.out.nIter).toBeGreaterThanOrEqual(1);
    // The partition is the best known one, so its silhouette and ARI are the reference's (rel 1e-9).
    expect(Math.abs(r.out.silhouette - ref.seed_independent.best.k5.silhouette_score)).toBeLessThan(1e-9);
    expect(Math.abs(r.out.ari - ref.seed_independent.best.k5.ari_vs_truth)).toBeLessThan(1e-9);
  });

  it('fits DBSCAN exactly as scikit-learn: every label and core sample', () => {
    const ref = expected('dbscan_moons.json');
    const key = 'eps0.05_min_samples5';
    const r = cli('fit', 'dbscan', join(DATA, 'moons.csv'), '--eps', '0.05', '--min-samples', '5', '--label-column', 'y');
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.labels).toEqual(ref[key].labels);
    expect(r.out.coreSampleIndices).toEqual(ref[key].core_sample_indices);
    expect(r.out.nNoise).toBe(ref[key].n_noise);
  });

  it('fits Gaussian and Bayesian mixtures with what they learned', () => {
    const ref = expected('gmm_gm3.json');
    const g = cli('fit', 'gmm', join(DATA, 'gm3.csv'), '--n-components', '3', '--n-init', '10', '--random-state', '42', '--label-column', 'y');
    expect(g.code, g.stderr).toBe(0);
    expect(g.out).toMatchObject({ converged: true, nParameters: 17, covarianceType: 'full' });
    // Seeded: the mean log-likelihood within 1e-3 of the best known (reference README).
    expect(g.out.score).toBeGreaterThanOrEqual(ref.full.seed_independent_best_n_init50.score - 1e-3);
    expect(g.out.weights).toHaveLength(3);
    expect(g.out.means).toHaveLength(3);
    expect(g.out.covariances[0]).toHaveLength(2);
    expect(Math.abs(g.out.bic - ref.full.seed_independent_best_n_init50.bic)).toBeLessThan(2.5);
    // The chapter: BayesianGaussianMixture(10, n_init=10) keeps 3 components, the others near 0.
    const b = cli('fit', 'bgmm', join(DATA, 'gm3.csv'), '--n-components', '10', '--n-init', '10', '--random-state', '42', '--label-column', 'y');
    expect(b.code, b.stderr).toBe(0);
    const heavy = (b.out.weights as number[]).filter((w) => w > 0.01);
    expect(heavy).toHaveLength(3);
  });

  it('fits agglomerative clustering with the merge tree of the reference example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-cli-'));
    try {
      const file = join(dir, 'line.csv');
      writeFileSync(file, 'x\n0\n2\n5\n8.5\n');
      const r = cli('fit', 'agglomerative', file, '--n-clusters', '2', '--linkage', 'complete', '--compute-distances');
      expect(r.code, r.stderr).toBe(0);
      expect(r.out.children).toEqual([
        [0, 1],
        [2, 3],
        [4, 5],
      ]);
      expect(r.out.distances).toEqual([2, 3.5, 8.5]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sweeps k for mixtures per covariance type and suggests k = 3 by BIC', () => {
    const r = cli('sweep', 'gmm', join(DATA, 'gm3.csv'), '--k', '2..4', '--covariance-type', 'full,diag', '--label-column', 'y', '--random-state', '42', '--n-init', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.points).toHaveLength(6);
    expect(r.out.points[0]).toMatchObject({ k: 2, covarianceType: 'full', bic: expect.any(Number), aic: expect.any(Number), silhouette: expect.any(Number) });
    expect(r.out.best.bic).toMatchObject({ k: 3 });
  });

  it('scores a given labelling with the exact silhouette', () => {
    const ref = expected('kmeans_blobs5.json');
    const r = cli('silhouette', join(DATA, 'blobs5.csv'), '--label-column', 'y', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(Math.abs(r.out.score - ref.seed_independent.silhouette_score_of_ground_truth_labels)).toBeLessThan(1e-9);
    expect(r.out.samples).toHaveLength(2000);
  });

  it('runs PCA by variance ratio as scikit-learn counts components (digits: 29 for 0.95, 41 for 0.99)', () => {
    const ref = expected('pca_digits.json');
    const r95 = cli('pca', join(DATA, 'digits.csv'), '--label-column', 'y', '--variance', '0.95');
    expect(r95.code, r95.stderr).toBe(0);
    expect(r95.out.nComponents).toBe(29);
    const r99 = cli('pca', join(DATA, 'digits.csv'), '--label-column', 'y', '--variance', '0.99');
    expect(r99.out.nComponents).toBe(41);
    const want = ref['X_digits_full_var0.99'].explained_variance_ratio as number[];
    expect(r99.out.explainedVarianceRatio).toHaveLength(want.length);
    want.forEach((w, i) => expect(Math.abs(r99.out.explainedVarianceRatio[i] - w) / w).toBeLessThan(1e-9));
    expect(r99.out.cumulativeExplainedVarianceRatio.at(-1)).toBeGreaterThanOrEqual(0.99);
  });

  it('imports a CSV to .npy and fits the .npy to the same result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-cli-'));
    try {
      const X = join(dir, 'X.npy'), y = join(dir, 'y.npy');
      const imp = cli('import', join(DATA, 'iris.csv'), '--label-column', 'y', '--out', X, '--labels-out', y);
      expect(imp.code, imp.stderr).toBe(0);
      expect(imp.out).toMatchObject({ nSamples: 150, nFeatures: 4, dtype: 'float64' });
      const fromCsv = cli('fit', 'kmeans', join(DATA, 'iris.csv'), '--label-column', 'y', '--n-clusters', '3', '--random-state', '7', '--metrics', 'ari');
      const fromNpy = cli('fit', 'kmeans', X, '--labels', y, '--n-clusters', '3', '--random-state', '7', '--metrics', 'ari');
      expect(fromNpy.code, fromNpy.stderr).toBe(0);
      expect(fromNpy.out.labels).toEqual(fromCsv.out.labels);
      expect(fromNpy.out.inertia).toBe(fromCsv.out.inertia);
      expect(fromNpy.out.ari).toBe(fromCsv.out.ari);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents every option in --help and rejects mistakes with exit code 2 and a useful message', () => {
    const help = cli('fit', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--n-clusters', '--n-init', '--max-iter', '--tol', '--init', '--algorithm', '--random-state', '--batch-size', '--eps', '--min-samples', '--n-components', '--covariance-type', '--weight-concentration-prior', '--linkage', '--gamma', '--affinity', '--label-column', '--metrics', '--json']) {
      expect(help.stdout).toContain(flag);
    }
    expect(cli('--help').stdout).toMatch(/Commands:[\s\S]*fit[\s\S]*sweep[\s\S]*silhouette[\s\S]*pca[\s\S]*import/);
    const typo = cli('fit', 'kmeans', join(DATA, 'iris.csv'), '--n-cluster', '3');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown option --n-cluster \(did you mean --n-clusters\?\)/);
    const wrongAlgo = cli('fit', 'kmeans', join(DATA, 'iris.csv'), '--eps', '0.3');
    expect(wrongAlgo.code).toBe(2);
    expect(wrongAlgo.stderr).toMatch(/--eps does not apply to kmeans/);
    const noTruth = cli('fit', 'kmeans', join(DATA, 'iris.csv'), '--metrics', 'ari');
    expect(noTruth.code).toBe(2);
  });

  it('reports bad data and bad parameters with exit code 1, naming the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-cli-'));
    try {
      const ragged = join(dir, 'ragged.csv');
      writeFileSync(ragged, 'a,b\n1,2\n3\n');
      const r = cli('fit', 'kmeans', ragged, '--n-clusters', '2');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ragged\.csv.*line 3/);
      const truncated = join(dir, 't.npy');
      writeFileSync(truncated, readFileSync(join(DATA, 'iris.csv')).subarray(0, 10));
      expect(cli('fit', 'kmeans', truncated).code).toBe(1);
      const bad = cli('fit', 'kmeans', join(DATA, 'iris.csv'), '--n-clusters', '0');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/nClusters/);
      expect(cli('fit', 'kmeans', join(dir, 'missing.csv')).stderr).toMatch(/no such file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the installed `clusterscope` command once built', () => {
    const built = join(ROOT, 'out/main/cli.js');
    if (!existsSync(built)) {
      console.warn('skipped: out/main/cli.js is not built (npm test builds it first)');
      return;
    }
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/clusterscope.mjs'), 'fit', 'kmeans', join(DATA, 'iris.csv'), '--label-column', 'y', '--n-clusters', '3', '--random-state', '0', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ nSamples: 150, nFeatures: 4, nClusters: 3 });
    const v = spawnSync(process.execPath, [join(ROOT, 'bin/clusterscope.mjs'), '--version'], { encoding: 'utf8' });
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
