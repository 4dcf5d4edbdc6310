/**
 * The anomaly review (issue 6) end to end, in Chromium against the browser host: on the chapter's
 * three blobs (reference gm3.csv, 1,250 samples) the Gaussian-mixture detector flags its 4 % (the
 * chapter's percentile: 50 red stars), the threshold slider moves the queue, five samples are
 * reviewed from the keyboard (confirm, dismiss, skip, an undo), and after a reload the decisions
 * are still there, in the queue and in the backend. Then the bundled digits: the PCA detector and
 * each flagged image beside its reconstruction. Screenshots go to test-results/screenshots.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '../../src/shared/dto';
import { AppPage, closeAndStop, ROOT, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';
import { AnomaliesPage } from './support/anomalies-page';

const REFERENCE = join(SHARED, 'reference');
const pcaRef = JSON.parse(readFileSync(join(REFERENCE, 'expected/pca_digits.json'), 'utf8'));
/** gm3.csv: the chapter's three blobs. */
const N = 1250;
/** np.percentile(scores, 100 − p) and scores above it: p % of 1,250 (1,797 for the digits). */
const flaggedAt = (percent: number, n: number): number => n - Math.floor(((100 - percent) / 100) * (n - 1)) - 1;

let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async ({ page }) => {
  await closeAndStop(page, host);
});

test('three blobs: the mixture flags 4 %, the slider moves the queue, five samples reviewed from the keyboard survive a reload', async ({ page }) => {
  const app = new AppPage(page);
  const an = new AnomaliesPage(app);
  await page.goto(host.url);
  await an.skipTour();
  await expect(app.datasets).toHaveCount(3);

  await app.openCsv(join(REFERENCE, 'datasets/gm3.csv'));
  await app.chooseLabel('y');
  await app.confirmImport('Three blobs');
  const datasetId = (await app.dataset('Three blobs').getAttribute('data-dataset-id'))!;

  await test.step('before a detector has run: an empty queue that says what to do', async () => {
    await an.open();
    await expect(an.tab('gmm')).toHaveAttribute('aria-selected', 'true');
    await expect(an.tab('gmm')).toContainText('not run');
    await expect(an.queue).toHaveAttribute('data-length', '0');
    await expect(an.queue).toContainText('Run a detector');
  });

  await test.step('GaussianMixture(n_components=3, n_init=10, random_state=42), 4 %: 50 of 1,250 flagged, red stars on the contours', async () => {
    await expect(an.field('nComponents')).toHaveValue('3');
    await expect(an.field('nInit')).toHaveValue('10');
    await expect(an.field('randomState')).toHaveValue('42');
    await expect(an.field('percentile')).toHaveValue('4');
    const flagged = await an.run('gmm');
    expect(flagged).toBe(flaggedAt(4, N));
    expect(flagged).toBe(50);
    await expect(an.tab('gmm')).toContainText('50 flagged');
    await expect(an.queue).toHaveAttribute('data-length', '50');
    await expect(an.entries).toHaveCount(50);
    await expect(an.threshold).toHaveAttribute('data-share', '4.00');
    await expect(an.threshold).toContainText('50 of 1,250 samples');
    await expect(an.scatter).toHaveAttribute('data-points', String(N));
    await expect(an.scatter).toHaveAttribute('data-flagged', '50');
    expect(Number(await an.scatter.getAttribute('data-contours'))).toBeGreaterThan(0);
    // The queue is the most anomalous first: the scores shown never rise down the list.
    const scores = await an.id('queue-entry').locator('.score').allTextContents();
    const values = scores.map((s) => Number(s.replace(/,/g, '')));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    // The first sample is under review, with its −log density above the threshold.
    await expect(an.id('sample-detail')).toHaveAttribute('data-row', (await an.entries.first().getAttribute('data-row'))!);
    await expect(an.id('score-gmm')).toContainText('▲');
    await expect(an.id('row-values')).toBeVisible();
  });

  await test.step('the threshold slider: 8 % queues 100, 2 % queues 25, Reset goes back to the 50', async () => {
    await an.flagShare(8);
    await expect(an.queue).toHaveAttribute('data-length', String(flaggedAt(8, N)));
    await expect(an.queue).toHaveAttribute('data-length', '100');
    await expect(an.scatter).toHaveAttribute('data-flagged', '100');
    await expect(an.tab('gmm')).toHaveAttribute('data-flagged', '100');
    await an.flagShare(2);
    await expect(an.queue).toHaveAttribute('data-length', '25');
    await expect(an.entries).toHaveCount(25);
    await an.resetThreshold();
    await expect(an.queue).toHaveAttribute('data-length', '50');
    await expect(an.threshold).toHaveAttribute('data-share', '4.00');
    await expect(an.queue).toHaveAttribute('data-cursor', '0');
  });

  const expected: Record<number, Decision> = {};
  await test.step('five samples reviewed from the keyboard: C, D, S, C, an undo, then D', async () => {
    await an.focusQueue();
    const first5 = await an.entries.evaluateAll((els) => els.slice(0, 5).map((e) => Number(e.getAttribute('data-row'))));
    for (const d of ['confirmed', 'dismissed', 'skipped', 'confirmed'] as const) expected[await an.decide(d)] = d;
    // A wrong key on the fifth: confirmed, then undone with Ctrl/Cmd+Z (the sample comes back under review).
    const fifth = await an.decide('confirmed');
    await page.keyboard.press('ControlOrMeta+z');
    await expect(an.entry(fifth)).toHaveAttribute('data-decision', '');
    await expect(an.queue).toHaveAttribute('data-current', String(fifth));
    expected[await an.decide('dismissed')] = 'dismissed';
    // The five are the first five of the queue, in order, each decided once.
    expect(Object.keys(expected).map(Number).sort((a, b) => a - b)).toEqual([...first5].sort((a, b) => a - b));
    await expect(an.id('queue-summary')).toHaveText('Density (Gaussian mixture) · 50 flagged · 5 decided');
    await expect(an.queue).toHaveAttribute('data-cursor', '5');
    expect(await an.shownDecisions()).toEqual(expected);
    // Saved as they were made.
    await expect.poll(() => an.savedDecisions(datasetId)).toEqual(expected);
    await page.screenshot({ path: screenshotPath('anomalies-blobs-review') });
  });

  await test.step('reload: the detector, its 50 flagged and the five decisions are still there', async () => {
    await page.reload();
    await expect(app.dataset('Three blobs')).toHaveAttribute('aria-current', 'true');
    await expect(an.view).toBeVisible();
    await expect(an.view).toHaveAttribute('data-loaded', 'true');
    await expect(an.tab('gmm')).toHaveAttribute('data-flagged', '50');
    await expect(an.queue).toHaveAttribute('data-length', '50');
    await expect(an.id('queue-summary')).toContainText('50 flagged · 5 decided');
    expect(await an.shownDecisions()).toEqual(expected);
    expect(await an.savedDecisions(datasetId)).toEqual(expected);
    for (const [row, d] of Object.entries(expected)) await expect(an.entry(Number(row))).toContainText(d[0].toUpperCase() + d.slice(1));
  });

  await test.step('another view and back: the decisions are still shown', async () => {
    await app.id('view-tab-clusters').click();
    await expect(an.view).toBeHidden();
    await an.open();
    expect(await an.shownDecisions()).toEqual(expected);
    await expect(an.id('queue-summary')).toContainText('50 flagged · 5 decided');
  });

  await test.step('run all three detectors: where they agree; the mixture’s queue and decisions unchanged', async () => {
    await an.id('run-all').click();
    for (const m of ['pca', 'dbscan'] as const) await expect(an.tab(m)).toHaveAttribute('data-flagged', /^\d+$/, { timeout: 60_000 });
    await expect(an.id('run-all')).toBeEnabled({ timeout: 60_000 });
    await expect(an.id('agreement')).toHaveAttribute('data-methods', 'gmm,pca,dbscan');
    // PCA keeps one of the two components (its 4 %: 50); DBSCAN (eps 0.5) flags its noise.
    await expect(an.tab('pca')).toHaveAttribute('data-flagged', '50');
    const noise = Number(await an.tab('dbscan').getAttribute('data-flagged'));
    expect(noise).toBeGreaterThan(0);
    expect(noise).toBeLessThan(N / 4);
    await expect(an.id('agree-gmm-gmm')).toHaveText('50');
    await expect(an.id('agree-dbscan-dbscan')).toHaveText(String(noise));
    const both = Number(await an.id('agree-gmm-dbscan').textContent());
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThanOrEqual(Math.min(50, noise));
    const all = Number(await an.id('agreement').getAttribute('data-all'));
    expect(all).toBeLessThanOrEqual(both);
    // The Venn regions with the mixture's bit (1) add up to its 50, those with DBSCAN's (4) to the noise.
    const venn = Object.fromEntries(
      await Promise.all([1, 2, 3, 4, 5, 6, 7].map(async (mask) => [mask, Number(await an.id(`venn-${mask}`).getAttribute('data-count'))] as const)),
    ) as Record<number, number>;
    expect(venn[1] + venn[3] + venn[5] + venn[7]).toBe(50);
    expect(venn[4] + venn[5] + venn[6] + venn[7]).toBe(noise);
    expect(venn[7]).toBe(all);
    // The seeded mixture flags the same 50; the decisions stay on their rows.
    await expect(an.tab('gmm')).toHaveAttribute('data-flagged', '50');
    expect(await an.shownDecisions()).toEqual(expected);
    await an.id('agreement').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('anomalies-blobs-agreement') });
  });

  expect(app.errors).toEqual([]);
});

test('digits: the PCA detector flags 4 %, each flagged image beside its reconstruction', async ({ page }) => {
  const app = new AppPage(page);
  const an = new AnomaliesPage(app);
  await page.goto(host.url);
  await an.skipTour();
  await app.selectDataset('Digits (8×8)');
  await an.open();
  await expect(an.view).toHaveAttribute('data-image', '8x8x1');

  const n = 1797;
  await an.selectDetector('pca');
  await expect(an.field('variance')).toHaveValue('0.99');
  const flagged = await an.run('pca');
  expect(flagged).toBe(flaggedAt(4, n));
  await expect(an.queue).toHaveAttribute('data-length', String(flagged));
  // 64 features: the scatter shows the first two principal components.
  await expect(an.scatter).toHaveAttribute('data-points', String(n));
  await expect(an.scatter).toContainText(`PC1 (${(100 * pcaRef.X_digits_full_all_components_explained_variance_ratio[0]).toFixed(1)} %)`);
  await expect(an.scatter).toContainText(`PC2 (${(100 * pcaRef.X_digits_full_all_components_explained_variance_ratio[1]).toFixed(1)} %)`);

  // The most anomalous digit beside its reconstruction from PCA(0.99): 41 components, as scikit-learn keeps.
  const row = (await an.currentRow())!;
  expect(row).toBe(Number(await an.entries.first().getAttribute('data-row')));
  await expect(an.id('reconstruction-image')).toBeVisible({ timeout: 30_000 });
  await expect(an.id('sample-detail')).toContainText(`PCA reconstruction · ${pcaRef['X_digits_full_var0.99'].n_components} components`);
  // The original is the CSV row drawn black (0) to white (16); the reconstruction is near it, not equal.
  const grey = (testId: string): Promise<number[]> =>
    an.id(testId).locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return Array.from({ length: d.length / 4 }, (_, i) => d[4 * i]);
    });
  const original = await grey('original-image');
  const values = readFileSync(join(ROOT, 'resources/samples/digits.csv'), 'utf8').split('\n')[row + 1].split(',').slice(0, 64).map(Number);
  expect(original).toHaveLength(64);
  original.forEach((g, i) => expect(Math.abs(g - (values[i] * 255) / 16)).toBeLessThanOrEqual(1));
  const reconstructed = await grey('reconstruction-image');
  const diff = reconstructed.reduce((s, g, i) => s + Math.abs(g - original[i]), 0) / 64;
  expect(diff).toBeGreaterThan(1);
  expect(diff).toBeLessThan(64);
  await page.screenshot({ path: screenshotPath('anomalies-digits-pca') });

  // Confirmed from the keyboard: the next digit comes up with its own pair of images.
  await an.focusQueue();
  expect(await an.decide('confirmed')).toBe(row);
  await expect(an.id('sample-detail')).toHaveAttribute('data-row', (await an.entries.nth(1).getAttribute('data-row'))!);
  await expect(an.id('original-image')).toBeVisible();
  await expect(an.id('reconstruction-image')).toBeVisible();
  const datasetId = (await app.dataset('Digits (8×8)').getAttribute('data-dataset-id'))!;
  await expect.poll(() => an.savedDecisions(datasetId)).toEqual({ [row]: 'confirmed' });

  expect(app.errors).toEqual([]);
});
