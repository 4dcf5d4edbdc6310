/**
 * The labeling workflow end to end in Chromium against the browser host, on the Olivetti faces
 * folder (uploaded, with labels.csv as the ground truth): cluster with PCA and a held-out quarter,
 * type the representatives' labels from the keyboard (the person ids of labels.csv play the
 * person), propagate, see the accuracy next to the random baseline, undo / redo a label, save as,
 * reopen, and find hand and propagated labels intact. Screenshots of the grid and the gallery
 * are kept in test-results/screenshots/.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppPage, closeAndStop, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';
import { ImagesPage } from './support/images-page';
import { LabelingPage } from './support/labeling-page';

const FOLDER = join(SHARED, 'data/faces/olivetti');
const PERSON = new Map(
  readFileSync(join(FOLDER, 'labels.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',') as [string, string]),
);
const K = 40;

let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async ({ page }) => {
  await closeAndStop(page, host);
});

test('faces: cluster, label the representatives from the keyboard, propagate, evaluate, save, reopen', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  const images = new ImagesPage(page);
  const lab = new LabelingPage(page);
  await page.goto(host.url);

  await test.step('open the Olivetti folder (upload) with its labels.csv', async () => {
    // The first start's tour would cover the screenshots.
    await page.getByTestId('tour-skip').click({ timeout: 10_000 }).catch(() => {});
    await images.uploadFolder(FOLDER);
    await images.importAndWait(120_000);
    await images.close();
    await expect(app.dataset('olivetti')).toHaveAttribute('aria-current', 'true');
  });

  await test.step('cluster for labeling: PCA (99 % of the variance) and 25 % held out', async () => {
    await lab.open();
    await expect(lab.id('labeling-pca')).toBeChecked();
    await expect(lab.id('labeling-holdout')).toBeChecked();
    await lab.cluster({ nClusters: K, randomState: 42 });
    await expect(lab.id('labeling-run-line')).toContainText('PCA to');
    await expect(lab.id('labeling-run-line')).toContainText('100 samples held out');
    // Every representative is pictured by its thumbnail.
    await expect(lab.tiles.first().locator('img')).toHaveJSProperty('naturalWidth', 64);
    await expect(lab.tiles.nth(K - 1).locator('img')).toBeVisible();
  });

  await test.step('type every representative’s label with the keyboard; each is saved as it is typed', async () => {
    await lab.typeAll((file) => PERSON.get(file)!);
    await lab.expectCounts(K, 0);
    await expect(lab.id('grid-progress')).toHaveText(`${K} of ${K} labeled`);
    await page.screenshot({ path: screenshotPath('labeling-grid') });
  });

  await test.step('the suggestion completes a label in use with →, while Enter keeps what was typed', async () => {
    const input = lab.tiles.first().getByTestId('label-input');
    const saved = (await lab.tiles.first().getAttribute('data-label'))!;
    await input.focus();
    await page.keyboard.press('Backspace');
    await page.keyboard.type(saved.slice(0, 1));
    const suggestion = lab.tiles.first().getByTestId('label-suggestion');
    if (saved.length > 1) {
      await expect(suggestion).toBeVisible();
      await page.keyboard.press('ArrowRight');
      await expect(input).toHaveValue(/.+/);
    }
    await page.keyboard.press('Escape');
    await expect(input).toHaveValue(saved);
  });

  await test.step('undo and redo a label from the keyboard', async () => {
    const tile = lab.tiles.nth(1);
    const input = tile.getByTestId('label-input');
    const saved = (await tile.getAttribute('data-label'))!;
    await input.focus();
    await page.keyboard.type('intruder');
    await page.keyboard.press('Enter');
    await expect(tile).toHaveAttribute('data-label', 'intruder');
    await input.focus();
    await page.keyboard.press('ControlOrMeta+z');
    await expect(tile).toHaveAttribute('data-label', saved);
    await expect(lab.id('redo-button')).toBeEnabled();
    await page.keyboard.press('ControlOrMeta+Shift+z');
    await expect(tile).toHaveAttribute('data-label', 'intruder');
    await lab.id('undo-button').click();
    await expect(tile).toHaveAttribute('data-label', saved);
    await lab.expectCounts(K, 0);
  });

  let propagated = 0;
  await test.step('propagate to whole clusters, as one undoable action, shown on the gallery', async () => {
    propagated = await lab.propagate('cluster');
    expect(propagated).toBeGreaterThan(200);
    await lab.expectCounts(K, propagated);
    await lab.tab('gallery');
    await expect(lab.id('gallery-grid').getByTestId('gallery-tile').first()).toBeVisible();
    await expect(lab.id('gallery-grid').locator('[data-source="propagated"]').first()).toBeVisible();
    await page.screenshot({ path: screenshotPath('labeling-gallery') });
  });

  let accuracy = 0;
  await test.step('evaluate: a classifier on these labels beats as many random true labels', async () => {
    await lab.evaluate();
    accuracy = await lab.accuracy('labels');
    const random = await lab.accuracy('random');
    expect(accuracy).toBeGreaterThan(random);
    expect(await lab.accuracy('supervised')).toBeGreaterThan(0.8);
    await expect(lab.id('label-accuracy')).toContainText('hand 100.0 %');
  });

  await test.step('active learning: label two of the least confident samples, retrain, a second round is drawn', async () => {
    await lab.id('label-next').click();
    await expect(lab.id('next-grid')).toHaveAttribute('data-count', '10');
    const tiles = lab.id('next-grid').getByTestId('label-tile');
    await tiles.first().getByTestId('label-input').focus();
    for (const i of [0, 1]) {
      const file = (await tiles.nth(i).getAttribute('data-file'))!;
      await page.keyboard.type(PERSON.get(file)!);
      await page.keyboard.press('Enter');
      await expect(tiles.nth(i)).toHaveAttribute('data-source', 'hand');
    }
    await expect(lab.labels).toHaveAttribute('data-hand', String(K + 2));
    await lab.evaluate();
    await expect(lab.id('rounds-chart').locator('[data-series="labels"]')).toHaveCount(2);
    await page.screenshot({ path: screenshotPath('labeling-evaluation') });
  });

  await test.step('save as, reopen: hand and propagated labels intact, and the evaluation', async () => {
    const counts = await lab.counts();
    accuracy = await lab.accuracy('labels');
    await app.saveAs('Faces labeled');
    await page.reload();
    await app.openRecent('Faces labeled');
    await expect(app.dataset('olivetti')).toHaveAttribute('aria-current', 'true');
    await lab.open();
    await lab.expectCounts(counts.hand, counts.propagated);
    await lab.tab('label');
    await lab.id('show-representatives').click();
    await expect(lab.tiles).toHaveCount(K);
    await expect(lab.view.locator('[data-testid="label-tile"][data-source="hand"]')).toHaveCount(K);
    for (const i of [0, 7, K - 1]) {
      const tile = lab.tiles.nth(i);
      expect(await tile.getAttribute('data-label')).toBe(PERSON.get((await tile.getAttribute('data-file'))!));
    }
    await lab.tab('evaluate');
    expect(await lab.accuracy('labels')).toBe(accuracy);
  });

  expect(app.errors).toEqual([]);
});
