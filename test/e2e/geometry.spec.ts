/**
 * The geometry views end to end, in Chromium against the browser host, each reproducing the
 * chapter's figure on the chapter's data and checked by what the page contains: the Voronoi cells
 * of K-Means on the blobs, the Gaussian mixture's contours, its four covariance types and the
 * Bayesian weights on the three blobs, DBSCAN's noise on the moons for eps 0.05 and 0.2, the
 * K-Means step-through with two seeds, and the ladybug segmented into 10, 8, 6, 4 and 2 colours
 * (served by a local server standing in for GitHub), and a photo uploaded. Screenshots go to
 * test-results/screenshots.
 */
import { test, expect } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppPage, closeAndStop, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';
import { GeometryPage } from './support/geometry-page';

const REFERENCE = join(SHARED, 'reference');
const dbscanRef = JSON.parse(readFileSync(join(REFERENCE, 'expected/dbscan_moons.json'), 'utf8'));

let host: RunningHost;
let images: Server;

test.beforeAll(async () => {
  // The app's download base (a mirror laid out like ../shared/data) on a local server, standing
  // in for GitHub; the host inherits it from the environment.
  const ladybug = readFileSync(join(SHARED, 'data/images/ladybug.png'));
  images = createServer((req, res) => {
    if (req.url === '/images/ladybug.png') res.writeHead(200, { 'content-type': 'image/png' }).end(ladybug);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => images.listen(0, '127.0.0.1', ok));
  process.env.CLUSTERSCOPE_DOWNLOAD_BASE = `http://127.0.0.1:${(images.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  delete process.env.CLUSTERSCOPE_DOWNLOAD_BASE;
  await new Promise((ok) => images.close(ok));
});

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

test('decision boundaries: the Voronoi cells of K-Means on the blobs, exported, zoom restored; DBSCAN regions from a grid', async ({ page }) => {
  const app = new AppPage(page);
  const geo = new GeometryPage(app);
  await page.goto(host.url);
  // The first start's tour would cover the bottom of the screenshots.
  await page.getByTestId('tour-skip').click({ timeout: 10_000 }).catch(() => {});
  await app.expectScatter(2000, 5);

  await test.step('the sample K-Means run (k = 5) has exactly 5 Voronoi cells, with its centroids', async () => {
    await geo.openView('boundaries');
    await expect(geo.boundaries).toHaveAttribute('data-mode', 'voronoi');
    await expect(geo.boundaries).toHaveAttribute('data-cells', '5');
    await expect(geo.id('voronoi-cell')).toHaveCount(5);
    await expect(geo.id('centroid-mark')).toHaveCount(5);
    await expect(geo.id('boundaries-predictor')).toContainText('Voronoi');
    await page.screenshot({ path: screenshotPath('geometry-voronoi') });
  });

  await test.step('exports: SVG with the 5 cells, PNG, the run as CSV and JSON', async () => {
    const svg = await geo.download('export-svg');
    expect(svg.name).toMatch(/decision-boundaries\.svg$/);
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text.match(/data-testid="voronoi-cell"/g)).toHaveLength(5);
    expect(text).toContain('data:image/png;base64,');
    const png = await geo.download('export-png');
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.bytes.length).toBeGreaterThan(5000);
    const csv = (await geo.download('export-csv')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toBe('row,label');
    expect(csv).toHaveLength(2001);
    const json = JSON.parse((await geo.download('export-json')).bytes.toString('utf8'));
    expect(json).toMatchObject({ algorithm: 'kmeans', nClusters: 5, randomState: 42 });
    expect(json.labels).toHaveLength(2000);
    expect(json.centers).toHaveLength(5);
  });

  await test.step('zoom in; the zoom is saved with the project and restored after a reload', async () => {
    await geo.zoomBoundaries();
    await page.screenshot({ path: screenshotPath('geometry-voronoi-zoomed') });
    await page.reload();
    await expect(geo.boundaries).toHaveAttribute('data-zoomed', 'true');
    await expect(geo.boundaries).toHaveAttribute('data-mode', 'voronoi');
    await geo.id('reset-zoom').click();
    await expect(geo.boundaries).toHaveAttribute('data-zoomed', 'false');
    await expect(geo.boundaries).toHaveAttribute('data-cells', '5');
  });

  await test.step('Iris (4 features): K-Means regions on the plane of the first two principal components, from a grid', async () => {
    await app.selectDataset('Iris');
    await page.evaluate(async (id) => {
      await window.api.jobs.start({ kind: 'fit', datasetId: id, algorithm: 'kmeans', params: { nClusters: 3, randomState: 42 }, metrics: [] });
    }, (await app.dataset('Iris').getAttribute('data-dataset-id'))!);
    await expect(geo.boundaries).toHaveAttribute('data-mode', 'grid', { timeout: 30_000 });
    await expect(geo.boundaries).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(geo.boundaries).toHaveAttribute('data-regions', '3');
    await expect(geo.boundaries).toHaveAttribute('data-points', '150');
    await expect(geo.boundaries).toContainText('PC1');
    await expect(geo.id('centroid-mark')).toHaveCount(3);
    await page.screenshot({ path: screenshotPath('geometry-iris-pca-regions') });
  });

  await test.step('DBSCAN on the moons: the kNN regions predicted on a grid, anomalies left blank', async () => {
    await importReference(app, 'moons.csv', 'Moons');
    await geo.openView('dbscan');
    await geo.runDbscan(0.2);
    await expect(geo.dbscan).toHaveAttribute('data-clusters', '2');
    await geo.openView('boundaries');
    await expect(geo.boundaries).toHaveAttribute('data-mode', 'grid');
    await expect(geo.boundaries).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(geo.boundaries).toHaveAttribute('data-regions', '3');
    await expect(geo.id('boundaries-predictor')).toContainText('vote of the 50 nearest core samples');
    await page.screenshot({ path: screenshotPath('geometry-dbscan-regions') });
  });

  expect(app.errors).toEqual([]);
});

test('Gaussian mixture on the three blobs: contours at the chapter’s levels, four covariance types, Bayesian weights 10 → 3', async ({ page }) => {
  test.setTimeout(150_000);
  const app = new AppPage(page);
  const geo = new GeometryPage(app);
  await page.goto(host.url);
  // The first start's tour would cover the bottom of the screenshots.
  await page.getByTestId('tour-skip').click({ timeout: 10_000 }).catch(() => {});
  await expect(app.datasets).toHaveCount(3);
  await importReference(app, 'gm3.csv', 'Three blobs');
  await geo.openView('mixture');
  await expect(geo.id('mixture-empty')).toBeVisible();

  await test.step('GaussianMixture(n_components=3, n_init=10, random_state=42): 12 log-spaced levels, 7 of them cut the density, 3 weighted means', async () => {
    await geo.fitMixture('gmm', { nComponents: 3, covarianceType: 'full', nInit: 10, seed: 42 });
    await expect(geo.density).toHaveAttribute('data-levels', '12', { timeout: 60_000 });
    await expect(geo.density).toHaveAttribute('data-lines', '7');
    await expect(geo.density).toHaveAttribute('data-components', '3');
    // logspace(0, 2, 12): 1, 1.52, 2.31 … 28.5 lie under the grid's largest NLL (≈ 32.4) and bound a
    // region; the two below its smallest (≈ 1.6) fill the plot, the other seven are the lines.
    await expect(geo.density.getByTestId('density-level')).toHaveCount(9);
    await expect(geo.density.getByTestId('centroid-mark')).toHaveCount(3);
    await expect(geo.density.getByTestId('region')).toHaveCount(3);
    await expect(geo.id('mixture-weights')).toHaveAttribute('data-significant', '3');
  });

  await test.step('the four covariance types side by side, each with its BIC; full is the best', async () => {
    await geo.id('run-compare').click();
    const compare = geo.id('covariance-compare');
    await expect(compare).toHaveAttribute('data-panels', '4', { timeout: 90_000 });
    const panels = geo.id('covariance-panel');
    await expect(panels).toHaveCount(4);
    expect(await panels.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['full', 'tied', 'spherical', 'diag']);
    const bics = (await panels.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-bic'))))) as number[];
    // scikit-learn 1.2.1 (gmm_gm3.json): full 8189.7, tied 8588.7, spherical 8977.2, diag 8991.8 (seeded: within 2·n·2.5e-3).
    const ref = JSON.parse(readFileSync(join(REFERENCE, 'expected/gmm_gm3.json'), 'utf8'));
    ['full', 'tied', 'spherical', 'diag'].forEach((t, i) => expect(bics[i]).toBeLessThanOrEqual(ref[t].seed_independent_best_n_init50.bic + 2 * 1250 * 2.5e-3));
    expect(Math.min(...bics)).toBe(bics[0]);
    for (const p of await panels.all()) {
      await expect(p.getByTestId('covariance-density')).toHaveAttribute('data-levels', '12');
      await expect(p.getByTestId('panel-bic')).toHaveText(/^[\d,.]+$/);
    }
    await compare.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('geometry-mixture'), fullPage: true });
  });

  await test.step('BayesianGaussianMixture(n_components=10, n_init=10, random_state=42) keeps 3 components', async () => {
    await geo.fitMixture('bgmm', { nComponents: 10, nInit: 10, seed: 42 });
    const weights = geo.id('mixture-weights');
    await expect(weights).toHaveAttribute('data-components', '10', { timeout: 60_000 });
    await expect(weights).toHaveAttribute('data-significant', '3');
    await expect(geo.id('weight-bar')).toHaveCount(10);
    await page.screenshot({ path: screenshotPath('geometry-bgmm') });
  });

  expect(app.errors).toEqual([]);
});

test('DBSCAN on the moons: the chapter’s noise counts for eps 0.05 and 0.2, and eps chosen on the k-distance plot', async ({ page }) => {
  const app = new AppPage(page);
  const geo = new GeometryPage(app);
  await page.goto(host.url);
  // The first start's tour would cover the bottom of the screenshots.
  await page.getByTestId('tour-skip').click({ timeout: 10_000 }).catch(() => {});
  await expect(app.datasets).toHaveCount(3);
  await importReference(app, 'moons.csv', 'Moons');
  await geo.openView('dbscan');
  await expect(geo.id('kdistance-plot')).toHaveAttribute('data-k', '5');
  await expect(geo.id('kdistance-plot')).toHaveAttribute('data-n', '1000');

  for (const eps of [0.05, 0.2]) {
    await test.step(`eps = ${eps}: scikit-learn's clusters, noise and core samples`, async () => {
      const ref = dbscanRef[`eps${eps}_min_samples5`];
      await geo.runDbscan(eps);
      await expect(geo.id('dbscan-title')).toHaveText(`eps=${eps}, min_samples=5`);
      await expect(geo.dbscan).toHaveAttribute('data-noise', String(ref.n_noise));
      await expect(geo.dbscan).toHaveAttribute('data-clusters', String(ref.n_clusters));
      await expect(geo.dbscan).toHaveAttribute('data-core', String(ref.n_core));
      await expect(geo.id('dbscan-noise')).toHaveText(String(ref.n_noise));
      await page.screenshot({ path: screenshotPath(`geometry-dbscan-eps${eps}`) });
    });
  }

  await test.step('eps circles on demand', async () => {
    await geo.id('dbscan-circles').check();
    await expect(geo.dbscan).toHaveAttribute('data-circles', 'true');
  });

  await test.step('dragging the eps marker on the k-distance plot runs DBSCAN with that eps', async () => {
    const before = await geo.dbscan.getAttribute('data-run-id');
    await geo.dragEps(0.75);
    await expect(geo.dbscan).not.toHaveAttribute('data-run-id', before!);
    const eps = await geo.number(geo.id('kdistance-plot'), 'data-eps');
    expect(eps).toBeLessThan(0.2);
    await expect(geo.id('dbscan-title')).toHaveText(`eps=${eps}, min_samples=5`);
    const core = await geo.number(geo.id('kdistance-plot'), 'data-core');
    await expect(geo.dbscan).toHaveAttribute('data-core', String(core));
    await page.screenshot({ path: screenshotPath('geometry-dbscan-dragged') });
  });

  expect(app.errors).toEqual([]);
});

test('K-Means step by step: two seeds side by side, iterations advance, the inertia never rises', async ({ page }) => {
  const app = new AppPage(page);
  const geo = new GeometryPage(app);
  await page.goto(host.url);
  // The first start's tour would cover the bottom of the screenshots.
  await page.getByTestId('tour-skip').click({ timeout: 10_000 }).catch(() => {});
  await app.expectScatter(2000, 5);
  await geo.openView('steps');
  await expect(geo.id('steps-empty')).toBeVisible();
  await geo.id('steps-run').click();
  await expect(geo.panels()).toHaveCount(2);
  expect(await geo.panels().evaluateAll((els) => els.map((e) => e.getAttribute('data-seed')))).toEqual(['11', '19']);

  const inertias: number[][] = [[], []];
  const record = async (): Promise<void> => {
    for (let p = 0; p < 2; p++) inertias[p].push(await geo.number(geo.panels().nth(p), 'data-inertia'));
  };
  await expect(geo.panels().first()).toHaveAttribute('data-phase', 'assign');
  await expect(geo.panels().first()).toHaveAttribute('data-iteration', '1');
  await expect(geo.panels().first()).toHaveAttribute('data-cells', '5');
  await record();
  await page.screenshot({ path: screenshotPath('geometry-steps-first') });
  const last = await geo.number(geo.id('steps-position'), 'data-last');
  for (let s = 1; s <= Math.min(last, 8); s++) {
    await geo.id('steps-next').click();
    await expect(geo.id('steps-panels')).toHaveAttribute('data-step', String(s));
    await record();
  }
  await expect(geo.panels().first()).toHaveAttribute('data-iteration', /^[2-9]|\d\d+$/);
  for (const series of inertias) for (let i = 1; i < series.length; i++) expect(series[i]).toBeLessThanOrEqual(series[i - 1] * (1 + 1e-9));
  expect(inertias[0].at(-1)!).toBeLessThan(inertias[0][0]);

  await geo.id('steps-play').click();
  await expect(geo.id('steps-panels')).toHaveAttribute('data-step', String(last), { timeout: 60_000 });
  for (const p of await geo.panels().all()) await expect(p).toHaveAttribute('data-last', 'true');
  await page.screenshot({ path: screenshotPath('geometry-steps-last') });
  const finals = await geo.id('steps-final').allTextContents();
  expect(finals).toHaveLength(2);

  await test.step('the step shown is saved with the project', async () => {
    await geo.id('steps-back').click();
    await expect(geo.id('steps-panels')).toHaveAttribute('data-step', String(last - 1));
    await page.reload();
    await expect(geo.id('steps-panels')).toHaveAttribute('data-step', String(last - 1));
  });
  expect(app.errors).toEqual([]);
});

test('image segmentation: the ladybug downloaded (from a local server) and segmented into 10, 8, 6, 4 and 2 colours', async ({ page }) => {
  test.setTimeout(240_000);
  const app = new AppPage(page);
  const geo = new GeometryPage(app);
  await page.goto(host.url);
  // The first start's tour would cover the bottom of the screenshots.
  await page.getByTestId('tour-skip').click({ timeout: 10_000 }).catch(() => {});
  await expect(app.datasets).toHaveCount(3);
  await geo.openView('segmentation');
  await expect(geo.id('segmentation-intro')).toBeVisible();
  await geo.id('download-ladybug').click();
  await expect(app.dataset('ladybug (800×533)')).toHaveAttribute('aria-current', 'true', { timeout: 60_000 });
  await expect(geo.id('original-image')).toBeVisible();
  await expect(geo.id('segment-ks')).toHaveValue('10, 8, 6, 4, 2');
  await geo.id('segment-run').click();
  const grid = geo.id('segmentation-grid');
  await expect(grid).toHaveAttribute('data-images', '5', { timeout: 200_000 });
  const segmented = geo.id('segmented-image');
  await expect(segmented).toHaveCount(5);
  expect(await segmented.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-k'))))).toEqual([10, 8, 6, 4, 2]);
  const inertia = (await segmented.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-inertia'))))) as number[];
  for (let i = 1; i < 5; i++) expect(inertia[i]).toBeGreaterThan(inertia[i - 1]);
  expect(await geo.id('palette').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-colors'))))).toEqual([10, 8, 6, 4, 2]);
  // The images are painted: the 2-colour one holds exactly its two palette colours.
  const colours = await segmented.last().locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  expect(colours).toBe(2);
  await page.screenshot({ path: screenshotPath('geometry-segmentation'), fullPage: true });

  await test.step('a photo of one’s own, uploaded, becomes an image dataset too', async () => {
    await geo.id('image-file-input').setInputFiles(join(SHARED, 'data/images/photos/coffee.jpg'));
    await expect(app.dataset('coffee (600×400)')).toHaveAttribute('aria-current', 'true', { timeout: 30_000 });
    await expect(geo.id('original-image')).toBeVisible();
    await expect(geo.id('segmentation-grid')).toHaveAttribute('data-images', '0');
  });
  expect(app.errors).toEqual([]);
});
