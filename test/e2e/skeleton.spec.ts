/**
 * The walking skeleton end to end, in Chromium against the browser host: the sample project on
 * first start, a CSV opened by upload, K-Means run as a job, the scatter and the numbers, save
 * as, reload, reopen from the recent list, and the same run exactly as it was.
 */
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { AppPage, closeAndStop, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';

/** scikit-learn 1.2.1, KMeans(n_clusters=3, random_state=42) on iris (reference/expected/iris.json). */
const IRIS_K3_INERTIA = 78.851441426146;

let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async ({ page }) => {
  await closeAndStop(page, host);
});

test('a newcomer sees the sample clustered, clusters a CSV, saves it and reopens the same run', async ({ page }) => {
  const app = new AppPage(page);
  await page.goto(host.url);

  await test.step('first start shows the sample project with its K-Means run on the blobs', async () => {
    await expect(app.id('project-name')).toBeVisible();
    await expect(app.id('badge-untitled')).toBeVisible();
    await expect(app.datasets).toHaveCount(3);
    await expect(app.dataset('Blobs (chapter 9)')).toHaveAttribute('aria-current', 'true');
    await app.expectScatter(2000, 5);
    await expect(app.id('centroid')).toHaveCount(5);
    await expect(app.id('legend-item')).toHaveCount(5);
    const inertia = await app.metric('inertia');
    expect(inertia).toBeGreaterThan(0);
    await expect(app.id('metric-inertia')).toHaveText(/^\s*[\d,.]+\s*$/);
    expect(await app.metric('seed')).toBe(42);
    await page.screenshot({ path: screenshotPath('main-sample') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(22, 24, 28)');
    await page.screenshot({ path: screenshotPath('main-sample-dark') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('open iris by upload, choose its columns and label, import', async () => {
    await app.openCsv(join(SHARED, 'data/tables/iris.csv'));
    expect.soft(await app.id('csv-preview-row').count(), 'the preview shows the first rows').toBeGreaterThan(0);
    await expect(app.column('species')).toBeDisabled();
    for (const c of ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']) await expect(app.column(c)).toBeChecked();
    await app.chooseLabel('species');
    await page.screenshot({ path: screenshotPath('import-dialog') });
    await app.confirmImport('My iris');
    await expect(app.datasets).toHaveCount(4);
    await app.expectScatter(150, 0);
    await expect(app.id('param-n-clusters')).toHaveValue('3');
  });

  await test.step('run K-Means (k = 3, seed 42) and see the progress, the scatter and the numbers', async () => {
    await app.recordJob();
    await app.runKMeans({ nClusters: 3, randomState: 42 });
    await app.expectScatter(150, 3);
    const job = await app.recordedJob();
    expect(job.barSeen).toBe(true);
    expect(job.states).toEqual(['queued', 'done']);
    expect(job.progress.at(-1)).toBe(1);
    const inertia = await app.metric('inertia');
    expect(Math.abs(inertia - IRIS_K3_INERTIA) / IRIS_K3_INERTIA).toBeLessThan(1e-6);
    expect(await app.metric('seed')).toBe(42);
    expect(await app.metric('n-iter')).toBeGreaterThanOrEqual(1);
    const sil = await app.metric('silhouette');
    expect(sil).toBeGreaterThan(0.5);
    expect(sil).toBeLessThan(0.6);
    const ari = await app.metric('ari');
    expect(ari).toBeGreaterThan(0.6);
    await expect(app.id('centroid')).toHaveCount(3);
    await expect(app.id('run-item')).toHaveCount(1);
  });

  let runId: string | null;
  let inertia: number;
  await test.step('choose other columns, then save the project under a name', async () => {
    await app.id('x-select').selectOption({ label: 'petal_length' });
    await app.id('y-select').selectOption({ label: 'petal_width' });
    await expect(app.scatter).toHaveAttribute('data-points', '150');
    runId = await app.id('run-results').getAttribute('data-run-id');
    inertia = await app.metric('inertia');
    await app.saveAs('Iris study');
    await expect(app.id('badge-untitled')).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('iris-run') });
  });

  await test.step('reload, reopen from the recent list: the same run, numbers and columns', async () => {
    await page.reload();
    await app.openRecent('Iris study');
    await expect(app.dataset('My iris')).toHaveAttribute('aria-current', 'true');
    await expect(app.id('run-results')).toHaveAttribute('data-run-id', runId!);
    expect(await app.metric('inertia')).toBe(inertia);
    await expect(app.id('x-select')).toHaveValue('2');
    await expect(app.id('y-select')).toHaveValue('3');
    await app.expectScatter(150, 3);
    await expect(app.id('centroid')).toHaveCount(3);
  });

  expect(app.errors).toEqual([]);
});

test('the form and the importer say what is wrong instead of failing silently', async ({ page }, testInfo) => {
  const app = new AppPage(page);
  await page.goto(host.url);
  await expect(app.datasets).toHaveCount(3);
  await app.selectDataset('Iris');

  await app.fillKMeans({ nClusters: 0, randomState: -1 });
  await app.id('param-tol').fill('abc');
  await app.id('run-button').click();
  await expect(app.id('field-error-nClusters')).toHaveText(/n_clusters must be at least 1/);
  await expect(app.id('field-error-randomState')).toHaveText(/random_state must be at least 0/);
  await expect(app.id('field-error-tol')).toHaveText(/tol must be a number/);
  await app.fillKMeans({ nClusters: 151, randomState: '' });
  await app.id('param-tol').press('Enter');
  await expect(app.id('field-error-nClusters')).toHaveText(/cannot exceed the 150 samples/);

  // A table whose only numeric column breaks on one line: the column is refused with the reason.
  const bad = testInfo.outputPath('bad.csv');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(bad, 'a,b\n1,x\n2,y\n3,z\n');
  await app.openCsv(bad);
  await app.chooseLabel(null);
  await expect(app.id('csv-column-reason-1')).toContainText('not numeric');
  await expect(app.id('csv-column-reason-1')).toContainText('line');
  const ragged = testInfo.outputPath('ragged.csv');
  writeFileSync(ragged, 'a,b\n1,2\n3\n4,5\n');
  await app.id('csv-file-input').setInputFiles(ragged);
  await expect(app.id('import-error').or(app.id('csv-label-select'))).toBeVisible();
  if (await app.id('import-error').isVisible()) await expect(app.id('import-error')).not.toBeEmpty();
  else {
    await app.id('import-confirm').click();
    await expect(app.id('import-error')).toBeVisible();
    await expect(app.id('import-error')).not.toBeEmpty();
  }
  await page.keyboard.press('Escape');
  await expect(app.id('import-dialog')).toBeHidden();

  // A new project says what to do next; saving it under a taken name says why it cannot.
  await app.saveAs('Taken');
  await app.id('new-project').click();
  await expect(app.id('empty-state')).toContainText('no data yet');
  await expect(app.id('badge-untitled')).toBeVisible();
  await app.id('saveas-button').click();
  await app.id('saveas-input').fill('Taken');
  await app.id('saveas-confirm').click();
  await expect(app.id('saveas-error')).toContainText('already exists');
  await expect(app.id('saveas-dialog')).toBeVisible();

  expect(app.errors).toEqual([]);
});
