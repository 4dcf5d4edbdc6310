/**
 * `clusterscope anomalies` as people run it: a real process per call, on the reference datasets,
 * checked against scikit-learn 1.2.1's numbers (tolerances of the reference README: seeded
 * mixtures within 1e-3, at most 2 flagged points different; DBSCAN noise exactly).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const SHARED = resolve(ROOT, '../shared');
const DATA = join(SHARED, 'reference/datasets');
const expected = (f: string) => JSON.parse(readFileSync(join(SHARED, 'reference/expected', f), 'utf8'));

function cli(...args: string[]): { code: number; out: any; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli/index.ts'), 'anomalies', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let out: any = null;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    // Not JSON: a usage or data error, on stderr.
  }
  return { code: r.status ?? -1, out, stderr: r.stderr };
}

/** The checks every result must pass: one score per sample, indices = the samples above the threshold, most anomalous first. */
function expectConsistent(out: any, nSamples: number): void {
  expect(out.scores).toHaveLength(nSamples);
  const above = out.scores.flatMap((s: number, i: number) => (s > out.threshold ? [i] : []));
  expect([...out.indices].sort((a: number, b: number) => a - b)).toEqual(above);
  for (let r = 1; r < out.indices.length; r++) expect(out.scores[out.indices[r - 1]]).toBeGreaterThanOrEqual(out.scores[out.indices[r]]);
  expect(out.nFlagged).toBe(out.indices.length);
}

describe('clusterscope anomalies', () => {
  it("flags the chapter's 4 % least likely points of gm3 (seeded: within the reference tolerance)", () => {
    const ref = expected('gmm_gm3.json').full;
    const r = cli(join(DATA, 'gm3.csv'), '--method', 'gmm', '--n-components', '3', '--n-init', '10', '--random-state', '42', '--label-column', 'y', '--json');
    expect(r.code, r.stderr).toBe(0);
    expectConsistent(r.out, 1250);
    expect(r.out).toMatchObject({ method: 'gmm', nFeatures: 2, thresholdSource: 'default', params: { nComponents: 3, nInit: 10, randomState: 42 } });
    expect(r.out.summary).toMatchObject({ converged: true, covarianceType: 'full' });
    // score = −log density: the threshold is minus the chapter's density threshold.
    expect(Math.abs(-r.out.threshold - ref.density_threshold_pct4)).toBeLessThan(1e-3 * Math.abs(ref.density_threshold_pct4));
    const want = new Set<number>(ref.anomaly_indices_pct4);
    const got = new Set<number>(r.out.indices);
    const differ = [...got].filter((i) => !want.has(i)).length + [...want].filter((i) => !got.has(i)).length;
    expect(differ).toBeLessThanOrEqual(2);
  });

  it("flags exactly scikit-learn's DBSCAN noise on the moons, the most isolated first", () => {
    const ref = expected('dbscan_moons.json')['eps0.05_min_samples5'];
    const r = cli(join(DATA, 'moons.csv'), '--method', 'dbscan', '--eps', '0.05', '--min-samples', '5', '--label-column', 'y');
    expect(r.code, r.stderr).toBe(0);
    expectConsistent(r.out, 1000);
    expect(r.out.threshold).toBe(0.05);
    const noise = (ref.labels as number[]).flatMap((l, i) => (l === -1 ? [i] : []));
    expect([...r.out.indices].sort((a: number, b: number) => a - b)).toEqual(noise);
    expect(r.out.summary).toMatchObject({ nNoise: ref.n_noise, nCore: ref.core_sample_indices.length });
  });

  it("ranks digits by PCA reconstruction error with scikit-learn's component count, at a chosen percentile", () => {
    const pcaRef = expected('pca_digits.json')['X_digits_full_var0.95'];
    const r = cli(join(DATA, 'digits.csv'), '--method', 'pca', '--variance', '0.95', '--percentile', '2', '--label-column', 'y');
    expect(r.code, r.stderr).toBe(0);
    expectConsistent(r.out, 1797);
    expect(r.out.summary.pcaComponents).toBe(pcaRef.n_components);
    // numpy's 98th percentile of 1,797 scores: floor(1796 · 0.02) + 1 = 36 samples above it.
    expect(r.out.indices).toHaveLength(36);
    expect(r.out.thresholdSource).toBe('percentile');
    expect(r.out.files).toBeUndefined();
  });

  it('refuses bad usage (exit 2) and bad parameters (exit 1) with the reason', () => {
    const gm3 = join(DATA, 'gm3.csv');
    const noMethod = cli(gm3);
    expect(noMethod.code).toBe(2);
    expect(noMethod.stderr).toMatch(/needs --method/);
    const stray = cli(gm3, '--method', 'pca', '--eps', '0.3');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--eps does not apply to --method pca/);
    const both = cli(gm3, '--method', 'gmm', '--percentile', '4', '--threshold', '5');
    expect(both.code).toBe(2);
    const bad = cli(gm3, '--method', 'gmm', '--percentile', '140', '--label-column', 'y');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/percentile must be in \[0, 100\], got 140/);
  });
});
