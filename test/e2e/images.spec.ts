/**
 * Image datasets in Chromium against the browser host: the Olivetti folder chosen with the
 * folder picker (uploaded), previewed and imported with progress, its thumbnails shown; a folder
 * with four bad files reported; MNIST downloaded from a local server standing in for the public
 * mirror (CLUSTERSCOPE_DOWNLOAD_BASE) with a progress bar.
 */
import { test, expect } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppPage, closeAndStop, SHARED, screenshotPath, startHost, type RunningHost } from './support/fixtures';
import { ImagesPage } from './support/images-page';

const DATA = join(SHARED, 'data');
let host: RunningHost;
let server: Server;
let scratch: string;

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const file = join(DATA, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(DATA) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  // The host (a child process) inherits the environment: its downloads come from this server.
  process.env.CLUSTERSCOPE_DOWNLOAD_BASE = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  scratch = mkdtempSync(join(tmpdir(), 'cs-e2e-images-'));
});

test.afterAll(() => {
  delete process.env.CLUSTERSCOPE_DOWNLOAD_BASE;
  server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async ({ page }) => {
  await closeAndStop(page, host);
});

test('a folder of faces is uploaded, previewed and imported with progress; its thumbnails show', async ({ page }) => {
  const app = new AppPage(page);
  const images = new ImagesPage(page);
  await page.goto(host.url);
  await expect(app.datasets).toHaveCount(3);

  await test.step('choose the Olivetti folder: 400 images of 64×64, labels from labels.csv', async () => {
    await images.uploadFolder(join(DATA, 'faces/olivetti'));
    await expect(images.id('images-summary')).toContainText('400 images');
    await expect(images.id('images-summary')).toContainText('64×64');
    await expect(images.id('images-labels-csv')).toBeChecked();
    await expect(images.id('images-gray')).toBeChecked();
    await expect(images.id('images-name')).toHaveValue('olivetti');
    await page.screenshot({ path: screenshotPath('images-preview') });
  });

  await test.step('import it as a job with a progress bar, then see the report and the thumbnails', async () => {
    const seen = await images.importAndWait(90_000);
    expect(seen.length, `progress values seen: ${seen.join(', ')}`).toBeGreaterThan(0);
    await expect(images.report).toContainText('400 images');
    await expect(images.report).toContainText('40 classes of person');
    await expect(images.id('images-skipped')).toHaveCount(0);
    await expect(images.thumbnails).toHaveCount(24);
    await expect(images.thumbnails.first()).toHaveJSProperty('naturalWidth', 64);
    await page.screenshot({ path: screenshotPath('images-olivetti-report') });
    await images.close();
    await expect(app.datasets).toHaveCount(4);
    await expect(app.dataset('olivetti')).toHaveAttribute('aria-current', 'true');
  });
  expect(app.errors).toEqual([]);
});

test('the four kinds of bad file in a folder are reported and the rest imported', async ({ page }) => {
  const dir = join(scratch, 'mixed');
  mkdirSync(dir, { recursive: true });
  for (const n of ['p00_0', 'p01_0', 'p02_0']) copyFileSync(join(DATA, `faces/olivetti/${n}.png`), join(dir, `${n}.png`));
  const jpeg = readFileSync(join(DATA, 'images/photos/coffee.jpg'));
  writeFileSync(join(dir, 'truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  writeFileSync(join(dir, 'empty.png'), '');
  writeFileSync(join(dir, 'notes.png'), 'a text file named .png\n');
  const huge = readFileSync(join(DATA, 'faces/olivetti/p00_0.png'));
  huge.writeUInt32BE(40_000, 16);
  huge.writeUInt32BE(40_000, 20);
  writeFileSync(join(dir, 'huge.png'), huge);

  const app = new AppPage(page);
  const images = new ImagesPage(page);
  await page.goto(host.url);
  await expect(app.datasets).toHaveCount(3);
  await images.uploadFolder(dir);
  await expect(images.id('images-summary')).toContainText('7 images');
  await images.importAndWait();
  await expect(images.report).toContainText('3 images');
  const skipped = images.id('images-skipped');
  await expect(skipped).toContainText('4 files left out');
  await expect(skipped).toContainText('empty.png: the file is empty');
  await expect(skipped).toContainText('notes.png: not a PNG image: the file holds text');
  await expect(skipped).toContainText('huge.png: the image is 40000×40000, more than the 100,000,000 pixels allowed (refused before decoding)');
  await expect(skipped).toContainText('truncated.jpg: the JPEG data ends early');
  await page.screenshot({ path: screenshotPath('images-bad-files') });
});

test('MNIST is downloaded on first use with a progress bar and opens as 70,000 images', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  const images = new ImagesPage(page);
  await page.goto(host.url);
  await expect(app.datasets).toHaveCount(3);
  await images.openMenu();
  await expect(images.id('sample-mnist')).toContainText('downloads 11.1 MB');
  await images.recordProgress();
  await images.id('sample-mnist').click();
  await expect(images.progressBar).toBeVisible();
  await expect(images.id('images-progress-message')).toContainText(/downloading|thumbnails/);
  await page.screenshot({ path: screenshotPath('images-mnist-progress') });
  const seen = await images.waitForReport(270_000);
  expect(seen.length, `progress values seen: ${seen.join(', ')}`).toBeGreaterThan(2);
  expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true);
  await expect(images.report).toContainText('70,000 images');
  await expect(images.report).toContainText('10 classes of digit');
  await expect(images.thumbnails).toHaveCount(24);
  await page.screenshot({ path: screenshotPath('images-mnist-report') });
  await images.close();
  await expect(app.dataset('MNIST (70,000)')).toHaveAttribute('aria-current', 'true');
  await images.openMenu();
  await expect(images.id('sample-mnist')).toContainText('downloaded');
});
