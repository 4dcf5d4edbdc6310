/**
 * `clusterscope represent`, `clusterscope simulate-labeling` and image folders as CLI input, as
 * people run them: a real process per call. On digits with the chapter's split, the simulated
 * workflow lands in the reference's ranges (shared/reference/expected/digits_semisupervised.json:
 * the random baseline exactly — the split and classifier are scikit-learn's — the clustering-
 * dependent accuracies within the seed_independent min..max over scikit-learn's seeds 0–9, give
 * or take one of the 450 test samples, the resolution of an accuracy).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../../src/main/backend/imagesets/png';

const ROOT = resolve(__dirname, '../../..');
const SHARED = resolve(ROOT, '../shared');
const DIGITS = join(SHARED, 'data/tables/digits.csv');
const REF = JSON.parse(readFileSync(join(SHARED, 'reference/expected/digits_semisupervised.json'), 'utf8'));
const SPLIT = JSON.parse(readFileSync(join(SHARED, 'reference/datasets/digits_split.json'), 'utf8')) as { train_idx: number[]; test_idx: number[] };
const ONE_TEST_SAMPLE = 1 / 450;

function cli(...args: string[]): { code: number; out: any; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli/index.ts'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let out: any = null;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    // Not JSON: a usage or data error, on stderr.
  }
  return { code: r.status ?? -1, out, stderr: r.stderr };
}

function expectInRange(value: number, range: { min: number; max: number }, what: string): void {
  expect(value, `${what} = ${value}, reference ${range.min}..${range.max}`).toBeGreaterThanOrEqual(range.min - ONE_TEST_SAMPLE - 1e-12);
  expect(value, `${what} = ${value}, reference ${range.min}..${range.max}`).toBeLessThanOrEqual(range.max + ONE_TEST_SAMPLE + 1e-12);
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-cli-images-'));
  // Two shapes, three images each, in sub-folders; and a file that is not an image.
  for (const [k, shape] of ['dark', 'light'].entries()) {
    mkdirSync(join(dir, 'shapes', shape), { recursive: true });
    for (let i = 0; i < 3; i++) {
      const px = Uint8Array.from({ length: 16 }, (_, j) => (k === 0 ? 10 + i + (j % 3) : 240 - i - (j % 3)));
      writeFileSync(join(dir, 'shapes', shape, `${shape}${i}.png`), encodePng(4, 4, 1, px));
    }
  }
  writeFileSync(join(dir, 'shapes', 'light', 'broken.png'), 'not an image');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clusterscope simulate-labeling', () => {
  it("plays the chapter's digits workflow: 0.83 random, about 0.92 with the representatives, about 0.94 propagated to the closest 20 %", () => {
    const r = cli('simulate-labeling', DIGITS, '--label-column', 'label', '--n-clusters', '50', '--percentile', '20', '--random-state', '42', '--json');
    expect(r.code, r.stderr).toBe(0);
    const o = r.out;
    const ranges = REF.seed_independent_over_kmeans_random_state_0_9;
    expect(o).toMatchObject({ nSamples: 1797, nTrain: 1347, nTest: 450, nClusters: 50, percentile: 20, split: { testSize: 0.25, randomState: 42 } });
    // scikit-learn's train_test_split(random_state=42), row for row.
    expect(o.testIndices).toEqual(SPLIT.test_idx);
    // The first 50 training rows and the classifier are the chapter's: its number exactly.
    expect(Math.abs(o.randomBaseline - REF.main_rs42.acc_50_first_instances)).toBeLessThanOrEqual(1e-12);
    expectInRange(o.representatives, ranges.acc_50_representatives, 'representatives');
    expectInRange(o.propagatedAll, ranges.acc_propagated, 'propagatedAll');
    expectInRange(o.propagatedPercentile, ranges.acc_propagated_20th_percentile, 'propagatedPercentile');
    expectInRange(o.propagatedLabelAccuracy, ranges.propagated_label_accuracy, 'propagatedLabelAccuracy');
    expectInRange(o.inertia, ranges.kmeans_inertia, 'inertia');
    // What clustering saves: 50 well-chosen labels beat 50 random ones.
    expect(o.representatives).toBeGreaterThan(o.randomBaseline + 0.05);
    expect(o.percentileLabelAccuracy).toBeGreaterThan(o.propagatedLabelAccuracy);
    expect(o.representativeIndices).toHaveLength(50);
    for (const i of o.representativeIndices) expect(SPLIT.train_idx).toContain(i);
  });

  it('takes an explicit split file and refuses bad ones, a missing ground truth and contradicting options', () => {
    const split = join(dir, 'split.json');
    writeFileSync(split, JSON.stringify({ train_idx: Array.from({ length: 100 }, (_, i) => i), test_idx: Array.from({ length: 50 }, (_, i) => 100 + i) }));
    const iris = join(SHARED, 'data/tables/iris.csv');
    const r = cli('simulate-labeling', iris, '--label-column', 'species', '--n-clusters', '6', '--n-init', '2', '--split', split, '--random-state', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ nTrain: 100, nTest: 50, split: { file: split } });
    expect(r.out.testIndices).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    writeFileSync(split, JSON.stringify({ train_idx: [0, 1, 1], test_idx: [2] }));
    expect(cli('simulate-labeling', iris, '--label-column', 'species', '--n-clusters', '2', '--split', split).stderr).toMatch(/row 1 is listed twice/);
    expect(cli('simulate-labeling', iris, '--n-clusters', '3').stderr).toMatch(/plays the labeler with the ground truth: give --label-column/);
    expect(cli('simulate-labeling', iris, '--label-column', 'species').stderr).toMatch(/give --n-clusters/);
    expect(cli('simulate-labeling', iris, '--label-column', 'species', '--n-clusters', '3', '--percentile', '0').stderr).toMatch(/--percentile must be in \(0, 100\]/);
    expect(cli('simulate-labeling', iris, '--label-column', 'species', '--n-clusters', '3', '--split', split, '--test-size', '0.3').code).toBe(2);
  });
});

describe('clusterscope represent', () => {
  it('gives the sample nearest each centroid of a table, reproducibly', () => {
    const args = ['represent', DIGITS, '--n-clusters', '10', '--n-init', '3', '--random-state', '0', '--label-column', 'label', '--json'];
    const a = cli(...args);
    expect(a.code, a.stderr).toBe(0);
    expect(a.out).toMatchObject({ nSamples: 1797, nFeatures: 64, nClusters: 10, params: { nClusters: 10, randomState: 0 } });
    expect(a.out.representatives).toHaveLength(10);
    expect(a.out.labels).toHaveLength(1797);
    // Each representative belongs to the cluster it represents, and no other sample of it is nearer its centroid.
    a.out.representatives.forEach((row: number, c: number) => expect(a.out.labels[row]).toBe(c));
    expect(a.out.representativeLabels).toHaveLength(10);
    expect(a.out.files).toBeUndefined();
    expect(cli(...args).out.representatives).toEqual(a.out.representatives);
  });

  it('reads a folder of images: files of the rows and the representatives, labels from the sub-folders, the bad file reported', () => {
    const r = cli('represent', join(dir, 'shapes'), '--n-clusters', '2', '--random-state', '0', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 file of shapes left out:\n {2}light\/broken\.png: not a PNG image: the file holds text/);
    expect(r.out.files).toEqual(['dark/dark0.png', 'dark/dark1.png', 'dark/dark2.png', 'light/light0.png', 'light/light1.png', 'light/light2.png']);
    expect(r.out.skipped).toEqual([{ file: 'light/broken.png', reason: 'not a PNG image: the file holds text' }]);
    expect(r.out.nFeatures).toBe(16);
    expect([...r.out.representativeLabels].sort()).toEqual(['dark', 'light']);
    expect(r.out.representativeFiles).toEqual(r.out.representatives.map((i: number) => r.out.files[i]));
  });
});

describe('image folders wherever a table is accepted', () => {
  it('fits K-Means on a folder with the sub-folder names as ground truth (ARI), the file of each row in the output', () => {
    const r = cli('fit', 'kmeans', join(dir, 'shapes'), '--n-clusters', '2', '--random-state', '0', '--label-column', 'folder', '--metrics', 'ari', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.files).toHaveLength(6);
    expect(r.out.ari).toBe(1);
  });

  it('imports a folder at a chosen size and colour into .npy, and checks the image options', () => {
    const out = join(dir, 'X.npy');
    const r = cli('import', join(dir, 'shapes'), '--out', out, '--image-size', '2x2', '--colour', 'rgb');
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ nSamples: 6, nFeatures: 12, dtype: 'float32' });
    expect(r.out.featureNames.slice(0, 3)).toEqual(['p0_r', 'p0_g', 'p0_b']);
    expect(cli('import', join(dir, 'shapes'), '--out', out, '--image-size', '0x2').stderr).toMatch(/--image-size expects WIDTHxHEIGHT/);
    expect(cli('fit', 'kmeans', DIGITS, '--n-clusters', '2', '--image-size', '8x8').stderr).toMatch(/apply to folders of images/);
    expect(cli('fit', 'kmeans', join(dir, 'shapes'), '--n-clusters', '2', '--label-column', 'person').stderr).toMatch(/has no labels\.csv: --label-column folder takes the sub-folder names/);
  });
});
