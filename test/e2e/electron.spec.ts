/**
 * The desktop app through Playwright's Electron driver: it opens the bundled sample, clustered.
 * Runs only where the Electron binary exists; it cannot be downloaded on the development and
 * CI machines, and the test says so instead of failing.
 */
import { test, expect, _electron } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppPage, ROOT } from './support/fixtures';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = electronBinary();

test.skip(binary === null, 'Electron binary absent (it cannot be downloaded on this machine)');

test('the desktop app opens the sample project with its K-Means run', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'clusterscope-electron-'));
  const electronApp = await _electron.launch({
    executablePath: binary!,
    args: [join(ROOT, 'out/main/index.js'), `--user-data-dir=${userData}`],
    cwd: ROOT,
  });
  try {
    const page = await electronApp.firstWindow();
    const app = new AppPage(page);
    await expect(app.datasets).toHaveCount(3);
    await app.expectScatter(2000, 5);
    expect(await app.metric('inertia')).toBeGreaterThan(0);
    expect(await page.evaluate(async () => (await window.api.app.info()).host)).toBe('electron');
    expect(app.errors).toEqual([]);
  } finally {
    await electronApp.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
