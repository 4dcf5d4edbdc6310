/**
 * The exploration views end to end, in Chromium against the browser host, on the chapter's data:
 * Choose k on blobs5 marks k = 4 by the elbow and the silhouette, a chosen k = 5 is fitted and
 * shown; its silhouette diagram has 5 bands (2,000 samples) and the chapter's mean; a band
 * emphasises its cluster on the scatter; k = 3…6 side by side; zoom; everything back after a
 * reload. Then every algorithm from the form: DBSCAN on moons with the reference's noise count,
 * and K-Means on digits seen through a PCA projection.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppPage, closeAndStop, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';
import { ExplorePage } from './support/explore-page';

const REFERENCE = join(SHARED, 'reference');
const expected = (name: string): any => JSON.parse(readFileSync(join(REFERENCE, 'expected', name), 'utf8'));

/** scikit-learn 1.2.1's silhouette score of the chapter's k = 5 K-Means on blobs5 (kmeans_blobs5.json). */
const BLOBS5_K5_SILHOUETTE: number = expected('kmeans_blobs5.json').kmeans_k5_random_state42_n_init10.silhouette_score;
const MOONS_EPS005 = expected('dbscan_moons.json')['eps0.05_min_samples5'];
const DIGITS_RATIOS: number[] = expected('pca_digits.json').X_digits_full_all_components_explained_variance_ratio;

let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async ({ page }) => {
  await closeAndStop(page, host);
});

async function importReference(app: AppPage, file: string, name: string): Promise<void> {
  await app.openCsv(join(REFERENCE, 'datasets', file));
  await app.chooseLabel('y');
  await app.confirmImport(name);
}

test('choose k, silhouettes side by side and a highlighted cluster on the chapter’s blobs, all restored after a reload', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  const ex = new ExplorePage(app);
  await page.goto(host.url);
  await expect(app.datasets).toHaveCount(3);
  await importReference(app, 'blobs5.csv', 'blobs5');
  await app.expectScatter(2000, 0);

  let sweepId: string | null = null;
  let k5: string;
  await test.step('the Choose-k dashboard marks k = 4 by the elbow and by the silhouette', async () => {
    await ex.openView('choose-k');
    await expect(app.id('sweep-empty')).toBeVisible();
    await ex.runSweep({ kMin: 1, kMax: 10, randomState: 42 });
    sweepId = await app.id('sweep-summary').getAttribute('data-analysis-id');
    expect(await ex.suggestedK('inertia')).toBe(4);
    expect(await ex.suggestedK('silhouette')).toBe(4);
    await expect(app.id('sweep-chart')).toHaveCount(4); // inertia, silhouette, CH, DB (no BIC/AIC for K-Means)
    await expect(ex.chart('inertia').getByTestId('sweep-point')).toHaveCount(10);
    await expect(ex.chart('silhouette').getByTestId('sweep-point')).toHaveCount(9); // undefined at k = 1
    await expect(app.id('sweep-sample-note')).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('explore-choose-k') });
  });

  await test.step('clicking k = 5 fits it and shows it', async () => {
    k5 = await ex.chooseK(5);
    await expect(app.id('chosen-scatter')).toHaveAttribute('data-clusters', '5');
    const sil = Number(await app.id('metric-silhouette').getAttribute('data-value'));
    expect(Math.abs(sil - BLOBS5_K5_SILHOUETTE)).toBeLessThan(0.01);
    await expect(app.page.locator(`[data-testid="sweep-chart"] .axis text.chosen`).first()).toHaveText('5');
    await page.screenshot({ path: screenshotPath('explore-choose-k-chosen') });
  });

  let panel = app.id('silhouette-panel');
  await test.step('its silhouette diagram: 5 bands of 2,000 samples, the mean at the chapter’s 0.655', async () => {
    await ex.openView('silhouette');
    panel = await ex.readyPanel(k5);
    await expect(panel.getByTestId('silhouette-band')).toHaveCount(5);
    const sizes = Object.values(await ex.bandSizes(panel));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(Math.abs((await ex.meanLine(panel)) - BLOBS5_K5_SILHOUETTE)).toBeLessThan(0.01);
    // The chapter's diagram has a few negative coefficients; they are counted and flagged.
    const negative = Number(await panel.getByTestId('silhouette-negative').getAttribute('data-count'));
    expect(negative).toBeGreaterThan(0);
    const flags = await panel.getByTestId('negative-flag').all();
    let flagged = 0;
    for (const f of flags) flagged += Number(await f.getAttribute('data-count'));
    expect(flagged).toBe(negative);
  });

  let emphasised = 0;
  await test.step('hovering shows a sample, clicking a band lists its samples and emphasises them on the scatter', async () => {
    const band = panel.locator('[data-testid="silhouette-band"][data-cluster="2"]');
    const box = (await band.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await expect(app.id('silhouette-tip')).toContainText('row');
    await expect(app.id('silhouette-tip')).toContainText('cluster 2');
    await ex.clickBand(panel, 2);
    emphasised = Number(await band.getAttribute('data-size'));
    await expect(app.id('cluster-samples')).toHaveAttribute('data-size', String(emphasised));
    await expect(app.id('cluster-sample').first()).toBeVisible();
    await page.screenshot({ path: screenshotPath('explore-silhouette-k5') });
    await ex.openView('clusters');
    await expect(app.id('scatter-selection')).toHaveAttribute('data-count', String(emphasised));
    await expect(app.id('scatter-selection')).toHaveAttribute('data-cluster', '2');
    await page.screenshot({ path: screenshotPath('explore-scatter-emphasis') });
  });

  await test.step('the chapter’s k = 3, 4, 5, 6 side by side', async () => {
    await ex.openView('silhouette');
    await ex.compareKs([3, 4, 5, 6]);
    await expect(ex.panels).toHaveCount(4, { timeout: 90_000 });
    for (const p of await ex.panels.all()) await expect(p).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
    expect(await Promise.all((await ex.panels.all()).map((p) => p.getAttribute('data-k')))).toEqual(['3', '4', '5', '6']);
    const k4 = ex.panels.nth(1);
    // Same partitions as the sweep's (same seed): k = 4 has the best mean, as the chapter says.
    const means = await Promise.all((await ex.panels.all()).map((p) => ex.meanLine(p)));
    expect(Math.max(...means)).toBe(await ex.meanLine(k4));
    await ex.clickBand(k4, 0);
    await page.screenshot({ path: screenshotPath('explore-silhouette-k3456') });
  });

  let zoom = 0;
  await test.step('pan and zoom the scatter', async () => {
    await ex.openView('clusters');
    // The Clusters scatter kept the k = 5 run: the side-by-side fits did not take it over.
    await expect(app.id('run-results')).toHaveAttribute('data-run-id', k5);
    await ex.zoomIn();
    zoom = await ex.zoom();
    await expect(app.id('zoom-reset')).toBeEnabled();
    await app.saveAs('Explore study');
  });

  await test.step('reload: the zoom, the emphasised cluster, the sweep and its chosen k, the diagrams come back', async () => {
    await page.reload();
    await app.openRecent('Explore study');
    await expect(app.dataset('blobs5')).toHaveAttribute('aria-current', 'true');
    await expect(app.id('view-silhouette').or(app.id('view-clusters'))).toBeVisible();
    await ex.openView('clusters');
    await expect.poll(() => ex.zoom()).toBeCloseTo(zoom, 2);
    await expect(app.id('scatter-selection')).toHaveAttribute('data-cluster', '0');
    await ex.openView('choose-k');
    await expect(app.id('sweep-summary')).toHaveAttribute('data-analysis-id', sweepId!);
    await expect(app.id('chosen-run')).toHaveAttribute('data-k', '5');
    await expect(app.id('chosen-run')).toHaveAttribute('data-run-id', k5);
    await ex.openView('silhouette');
    await expect(ex.panels).toHaveCount(4);
    for (const p of await ex.panels.all()) await expect(p).toHaveAttribute('data-state', 'ready');
    await expect(app.id('cluster-samples')).toHaveAttribute('data-cluster', '0');
    await page.screenshot({ path: screenshotPath('explore-restored') });
  });

  expect(app.errors).toEqual([]);
});

test('every algorithm from the form: DBSCAN noise on the moons, K-Means on digits through a PCA projection', async ({ page }) => {
  const app = new AppPage(page);
  const ex = new ExplorePage(app);
  await page.goto(host.url);
  await expect(app.datasets).toHaveCount(3);

  await test.step('DBSCAN’s parameters are checked with scikit-learn’s names', async () => {
    await importReference(app, 'moons.csv', 'moons');
    await ex.chooseAlgorithm('dbscan');
    await expect(app.id('param-eps')).toHaveValue('0.5');
    await expect(app.id('param-min-samples')).toHaveValue('5');
    await ex.fillParams({ eps: -1, min_samples: 0 });
    await ex.run();
    await expect(app.id('field-error-eps')).toHaveText('eps cannot be negative');
    await expect(app.id('field-error-minSamples')).toHaveText('min_samples must be at least 1');
  });

  await test.step('DBSCAN(eps=0.05) on the moons: scikit-learn’s clusters and noise, noise drawn apart and counted', async () => {
    await ex.fillParams({ eps: 0.05, min_samples: 5, algorithm: 'auto' });
    await ex.run();
    await app.expectScatter(1000, MOONS_EPS005.n_clusters);
    expect(await ex.metric('n-noise')).toBe(MOONS_EPS005.n_noise);
    expect(await ex.metric('n-core-samples')).toBe(MOONS_EPS005.n_core);
    await expect(ex.noiseLegend).toHaveAttribute('data-count', String(MOONS_EPS005.n_noise));
    await expect(ex.noiseLegend).toContainText('Noise');
    await expect(app.id('centroid')).toHaveCount(0);
    await expect(app.id('run-item').first()).toContainText('DBSCAN · k=7');
    await page.screenshot({ path: screenshotPath('explore-dbscan-moons') });
  });

  await test.step('a Gaussian mixture reports what it learned', async () => {
    await ex.chooseAlgorithm('gmm');
    await ex.fillParams({ n_components: 2, random_state: 42, covariance_type: 'full' });
    await ex.run();
    await app.expectScatter(1000, 2);
    expect(await ex.metric('bic')).toBeGreaterThan(0);
    expect(await ex.metric('converged')).toBe(1);
    await expect(app.id('centroid')).toHaveCount(2);
  });

  await test.step('digits (64 columns) on PC1 / PC2, K-Means centroids projected the same way', async () => {
    await app.selectDataset('Digits (8×8)');
    await ex.showPca();
    const pct = (r: number): string => (r * 100).toFixed(1);
    await expect(app.id('scatter-canvas-x-label')).toHaveText(`PC1 (${pct(DIGITS_RATIOS[0])} %) · PCA projection`);
    await expect(app.id('scatter-canvas-y-label')).toHaveText(`PC2 (${pct(DIGITS_RATIOS[1])} %) · PCA projection`);
    await expect(app.id('x-select')).toBeDisabled();
    await app.runKMeans({ nClusters: 10, randomState: 0, nInit: 1 });
    await app.expectScatter(1797, 10);
    await expect(app.id('centroid')).toHaveCount(10);
    await page.screenshot({ path: screenshotPath('explore-digits-pca') });
  });

  expect(app.errors).toEqual([]);
});
