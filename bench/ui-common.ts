/**
 * What the UI benchmarks (ui-latency.ts, ui-longtasks.ts) share: the seeded blobs they import,
 * and the few page steps they take the same way, over the app's test hooks.
 */
import type { Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';

/** How long any one step may wait: the large imports and fits take a while on a loaded machine. */
export const UI_TIMEOUT = 300_000;

/** Five Gaussian blobs in 2-D, seeded (an LCG and Box–Muller), as a CSV. */
export function blobsCsv(path: string, n: number): void {
  let s = 7;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const normal = (): number => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  const centres = [[0.2, 2.3], [-1.5, 2.3], [-2.8, 1.8], [-2.8, 2.8], [-2.8, 1.3]];
  const spread = [0.4, 0.3, 0.1, 0.1, 0.1];
  const lines = ['x0,x1'];
  for (let i = 0; i < n; i++) {
    const c = i % 5;
    lines.push(`${(centres[c][0] + spread[c] * normal()).toFixed(6)},${(centres[c][1] + spread[c] * normal()).toFixed(6)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

export const byId = (page: Page, id: string): ReturnType<Page['getByTestId']> => page.getByTestId(id);

/** Imports a CSV through the import dialog and waits until its dataset is selected. */
export async function importCsv(page: Page, file: string, name: string): Promise<void> {
  await byId(page, 'open-csv').click();
  await byId(page, 'csv-file-input').setInputFiles(file);
  await byId(page, 'csv-label-select').waitFor();
  await byId(page, 'csv-name').fill(name);
  await byId(page, 'import-confirm').click();
  await page.locator(`[data-testid="dataset-item"][data-dataset-name="${name}"][aria-current="true"]`).waitFor({ timeout: UI_TIMEOUT });
}
