/**
 * The desktop shell in Chromium against the browser host: the tour of the first start (and never
 * again once dismissed), the command palette, dropping a CSV and a .npy on the window, recent
 * projects from the keyboard, the theme override, undo / redo of a label with the keys. One host
 * for the file: the first test sees its first start. Screenshots of the first run and of both
 * themes go to test-results/screenshots and, for review, to docs/screenshots.
 */
import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppPage, closeAndStop, ROOT, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';
import { ShellPage } from './support/shell-page';

let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async ({ browser }) => {
  // closeAndStop wants a page: the host is the file's, so close a fresh one.
  const page = await browser.newPage();
  await closeAndStop(page, host);
});

/** Saves a screenshot for the test report and a copy under docs/screenshots for review. */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  // No focus ring left over from the last click in the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const path = screenshotPath(name);
  await page.screenshot({ path });
  const docs = join(ROOT, 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  copyFileSync(path, join(docs, `${name}.png`));
}

async function openApp(page: Page): Promise<{ app: AppPage; shell: ShellPage }> {
  const app = new AppPage(page);
  const shell = new ShellPage(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(host.url);
  await expect(app.datasets.first()).toBeVisible();
  // An earlier test may have left the project on another view.
  const clusters = app.id('view-tab-clusters');
  if (await clusters.isVisible()) await clusters.click();
  return { app, shell };
}

test('the first start shows a tour of the views, and once dismissed it never comes back', async ({ page }) => {
  const { app, shell } = await openApp(page);
  await app.expectScatter(2000, 5);
  await expect(shell.tour).toBeVisible();
  await expect(shell.tour).toHaveAttribute('data-step', 'datasets');
  await expect(shell.id('tour-ring')).toBeVisible();
  await keepScreenshot(page, 'first-run');

  // Each step points at a real element: the ring is drawn around it.
  const seen: string[] = [];
  for (;;) {
    const step = (await shell.tour.getAttribute('data-step'))!;
    seen.push(step);
    // The ring follows its element within a frame or two (the strip's own height shifts the layout).
    const ringAround = (s: string): Promise<boolean> => page.evaluate((s) => {
      const ring = document.querySelector('[data-testid="tour-ring"]')!.getBoundingClientRect();
      const sel = { datasets: '[data-tour="datasets"]', 'run-form': '[data-testid="algorithm-form"]', scatter: '[data-testid="scatter-canvas"]', views: '[data-tour="view-tabs"]', palette: '[data-tour="palette"]' }[s]!;
      const el = document.querySelector(sel)!.getBoundingClientRect();
      // The ring keeps 2 px inside the window where the element touches its edge.
      const [l, t, r, b] = [Math.max(el.left, 2), Math.max(el.top, 2), Math.min(el.right, innerWidth - 2), Math.min(el.bottom, innerHeight - 2)];
      return ring.left <= l + 0.5 && ring.top <= t + 0.5 && ring.right >= r - 0.5 && ring.bottom >= b - 0.5;
    }, s);
    await expect.poll(() => ringAround(step), { message: `the ring surrounds the ${step} element` }).toBe(true);
    if ((await shell.id('tour-next').textContent())?.trim() === 'Done') break;
    await shell.id('tour-next').click();
    await expect(shell.tour).not.toHaveAttribute('data-step', step);
  }
  expect(seen[0]).toBe('datasets');
  expect(seen.at(-1)).toBe('palette');
  expect(seen.length).toBeGreaterThanOrEqual(4);
  await shell.id('tour-back').click();
  await expect(shell.tour).toHaveAttribute('data-step', seen.at(-2)!);
  await shell.id('tour-next').click();
  await shell.id('tour-next').click();
  await expect(shell.tour).toBeHidden();

  // Kept by the backend in the settings file (not in the page's storage).
  const settings = JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8')) as { preferences: { tourDismissed?: boolean } };
  expect(settings.preferences.tourDismissed).toBe(true);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await app.expectScatter(2000, 5);
  await expect(shell.tour).toHaveCount(0);

  // Help › Show the Tour brings it back on demand, with the keyboard in it; Escape ends it.
  await shell.openPalette();
  await shell.runFromPalette('show tour', 'help.tour');
  await expect(shell.tour).toBeVisible();
  await expect(shell.id('tour-next')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(shell.tour).toBeHidden();
  expect(app.errors).toEqual([]);
});

test('the command palette opens with Ctrl+K, finds commands fuzzily and runs them from the keyboard', async ({ page }) => {
  const { app, shell } = await openApp(page);
  await shell.openPalette();
  // Every shared command that can run now is listed, with its shortcut.
  const undo = shell.paletteItems.filter({ hasText: 'Undo' });
  await expect(undo.locator('kbd')).toHaveText('Ctrl+Z');
  await expect(shell.paletteItems.filter({ hasText: 'Go to Clusters' })).toHaveCount(1);

  // Fuzzy: letters in order, word starts first; the matched letters are highlighted.
  await shell.paletteInput.fill('abt');
  await expect(shell.paletteItems.first()).toHaveAttribute('data-command', 'help.about');
  await expect(shell.paletteItems.first().locator('mark')).toHaveText(['Ab', 't']);
  await shell.paletteInput.fill('zzzq');
  await expect(shell.paletteItems).toHaveCount(0);
  await expect(shell.palette).toContainText('No command matches');

  // Arrow keys and Enter: show another dataset.
  await shell.paletteInput.fill('dataset iris');
  await expect(shell.paletteItems.first()).toHaveText(/Show Dataset: Iris/);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(shell.palette).toBeHidden();
  await expect(app.dataset('Iris')).toHaveAttribute('aria-current', 'true');

  // An action with a dialog: About, with the versions and the data credits.
  await shell.openPalette();
  await shell.runFromPalette('about', 'help.about');
  await expect(shell.id('about-dialog')).toBeVisible();
  await expect(shell.id('about-credits')).toContainText('AT&T Laboratories Cambridge');
  await expect(shell.id('about-credits')).toContainText('UCI Machine Learning Repository');
  await expect(shell.id('about-credits')).toContainText('Y. LeCun, C. Cortes and C. J. C. Burges');
  await expect(shell.id('about-credits')).toContainText('A. Géron');
  await expect(shell.id('about-runtime')).toContainText(/Node\.js \d+/);
  await page.keyboard.press('Escape');
  await expect(shell.id('about-dialog')).toBeHidden();

  // A view by name, and a shortcut of the page: Ctrl+/ lists the shortcuts.
  await shell.openPalette();
  await shell.runFromPalette('go to choose', 'goto.choose-k');
  await expect(app.id('view-choose-k')).toBeVisible();
  await page.keyboard.press('Control+/');
  await expect(shell.id('shortcuts-dialog')).toBeVisible();
  await expect(shell.id('shortcuts-dialog')).toContainText('Command Palette');
  await page.keyboard.press('Escape');
  // Escape closes the palette without running anything.
  await shell.openPalette();
  await page.keyboard.press('Escape');
  await expect(shell.palette).toBeHidden();
  expect(app.errors).toEqual([]);
});

test('a CSV dropped on the window opens the import dialog with it; a .npy is imported at once', async ({ page }) => {
  const { app, shell } = await openApp(page);
  const before = await app.datasets.count();
  await shell.dropFile('iris.csv', readFileSync(join(SHARED, 'data/tables/iris.csv')), 'text/csv');
  await expect(app.id('import-dialog')).toBeVisible();
  await expect(app.id('csv-file-name')).toContainText('iris.csv');
  await expect(app.id('csv-label-select')).toBeVisible();
  for (const c of ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']) await expect(app.column(c)).toBeChecked();
  await app.chooseLabel('species');
  await app.confirmImport('Dropped iris');
  await expect(app.datasets).toHaveCount(before + 1);

  // make_fixtures.py: np.arange(12).reshape(3, 4) / 4 - 1 as <f8 in Fortran order.
  await shell.dropFile('fortran-f8.npy', readFileSync(join(ROOT, 'test/fixtures/files/npy/fortran-f8.npy')));
  await expect(app.dataset('fortran-f8')).toHaveAttribute('aria-current', 'true');
  await expect(shell.status).toContainText('fortran-f8.npy: <f8, shape (3, 4) → 3 samples × 4 features');
  await expect(app.datasets).toHaveCount(before + 2);

  // What the app cannot open is said, not ignored.
  await shell.dropFile('notes.docx', new TextEncoder().encode('not a table'));
  await expect(shell.status).toContainText('cannot open notes.docx');
  // A broken .npy gets the reader's reason.
  await shell.dropFile('broken.npy', new TextEncoder().encode('\x93NUMPY garbage'));
  await expect(shell.status).toContainText('Could not open broken.npy');
  await expect(app.datasets).toHaveCount(before + 2);
  expect(app.errors).toEqual([]);
});

test('recent projects open from the keyboard (Ctrl+O lists them in the browser host)', async ({ page }) => {
  const { app, shell } = await openApp(page);
  await app.saveAs('Shell recent');
  await page.keyboard.press('Control+N');
  await expect(app.id('badge-untitled')).toBeVisible();
  await expect(app.id('project-name')).not.toHaveText('Shell recent');

  await page.keyboard.press('Control+O');
  await expect(shell.palette).toBeVisible();
  const item = shell.paletteItems.filter({ hasText: 'Shell recent' });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Shell recent.clusterscope');
  await shell.paletteInput.fill('shell rec');
  await page.keyboard.press('Enter');
  await expect(app.id('project-name')).toHaveText('Shell recent');

  // And from the command list, as "Open Recent: …".
  await page.keyboard.press('Control+N');
  await expect(app.id('badge-untitled')).toBeVisible();
  await shell.openPalette();
  await shell.runFromPalette('open recent shell', 'project.openRecent');
  await expect(app.id('project-name')).toHaveText('Shell recent');
  expect(app.errors).toEqual([]);
});

test('the theme follows the system unless Light or Dark is chosen, at once and remembered', async ({ page }) => {
  const { app, shell } = await openApp(page);
  const LIGHT = 'rgb(247, 247, 248)';
  const DARK = 'rgb(22, 24, 28)';
  await app.selectDataset('Blobs (chapter 9)');
  await app.expectScatter(2000, 5);
  expect(await shell.background()).toBe(LIGHT);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => shell.background()).toBe(DARK);
  await page.emulateMedia({ colorScheme: 'light' });

  await shell.chooseTheme('dark');
  await expect.poll(() => shell.background()).toBe(DARK);
  await keepScreenshot(page, 'dark');
  // Remembered: a reload (the backend's preference) and the override beats the system's light.
  await page.reload();
  await app.expectScatter(2000, 5);
  await expect.poll(() => shell.background()).toBe(DARK);

  await page.emulateMedia({ colorScheme: 'dark' });
  await shell.chooseTheme('light');
  await expect.poll(() => shell.background()).toBe(LIGHT);
  await page.emulateMedia({ colorScheme: 'light' });
  await keepScreenshot(page, 'light');

  await shell.chooseTheme('system');
  expect((await shell.prefs()).theme).toBe('system');
  expect(app.errors).toEqual([]);
});

test('Ctrl+Z and Ctrl+Shift+Z undo and redo a label; in a text field they are the field’s own', async ({ page }) => {
  const { app, shell } = await openApp(page);
  await app.selectDataset('Iris');
  const id = await shell.datasetId();
  await page.evaluate((id) => window.api.annotations.setLabels(id, [{ row: 3, label: 'setosa?' }, { row: 7, label: 'setosa?' }]), id);
  expect(await shell.labels()).toHaveLength(2);

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Z');
  await expect.poll(() => shell.labels()).toEqual([]);
  await expect(shell.status).toContainText('Undid a labeling of 2 samples');
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(async () => (await shell.labels()).map((l) => [l.row, l.label])).toEqual([
    [3, 'setosa?'],
    [7, 'setosa?'],
  ]);

  // Typing in a field: Ctrl+Z undoes the typing, the labels stay.
  const field = app.id('param-n-clusters');
  await field.fill('3');
  await field.pressSequentially('7');
  await expect(field).toHaveValue('37');
  await page.keyboard.press('Control+Z');
  await expect(field).not.toHaveValue('37');
  expect(await shell.labels()).toHaveLength(2);
  expect(app.errors).toEqual([]);
});
