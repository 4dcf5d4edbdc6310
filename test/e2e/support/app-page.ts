/**
 * The page object: what a person does in Clusterscope, in words, over the stable test hooks
 * (data-testid). It only needs a Playwright `Page`, so the same layer drives the browser host
 * and the Electron window. Waits are on the app's own state (DOM attributes, events), never sleeps.
 */
/// <reference lib="dom" />
import { expect, type Locator, type Page } from '@playwright/test';
import type { ClientApi } from '../../../src/shared/api';

declare global {
  interface Window {
    api: ClientApi;
  }
}

export interface KMeansInput {
  nClusters?: number;
  randomState?: number | '';
  nInit?: number;
  maxIter?: number;
}

export class AppPage {
  /** Console errors and uncaught page errors, collected from the start. */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
  }

  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  get scatter(): Locator {
    return this.id('scatter-canvas');
  }

  get datasets(): Locator {
    return this.id('dataset-item');
  }

  /** The dataset item with exactly this name. */
  dataset(name: string): Locator {
    return this.page.locator(`[data-testid="dataset-item"][data-dataset-name="${name}"]`);
  }

  async selectDataset(name: string): Promise<void> {
    await this.dataset(name).click();
    await expect(this.dataset(name)).toHaveAttribute('aria-current', 'true');
  }

  /** Waits until the scatter shows `points` points coloured by `clusters` clusters. */
  async expectScatter(points: number, clusters: number): Promise<void> {
    await expect(this.scatter).toHaveAttribute('data-points', String(points));
    await expect(this.scatter).toHaveAttribute('data-clusters', String(clusters));
  }

  async metric(name: 'inertia' | 'silhouette' | 'ari' | 'n-iter' | 'seed' | 'duration'): Promise<number> {
    const el = this.id(`metric-${name}`);
    await expect(el).toHaveAttribute('data-value', /.+/);
    return Number(await el.getAttribute('data-value'));
  }

  /** Uploads a CSV in the import dialog and waits for its preview. */
  async openCsv(file: string): Promise<void> {
    await this.id('open-csv').click();
    await expect(this.id('import-dialog')).toBeVisible();
    await this.id('csv-file-input').setInputFiles(file);
    await expect(this.id('csv-label-select')).toBeVisible();
  }

  /** The feature checkbox of a column of the preview, by its name. */
  column(name: string): Locator {
    return this.page.locator(`input[data-column-name="${name}"]`);
  }

  async chooseLabel(name: string | null): Promise<void> {
    const select = this.id('csv-label-select');
    if (name === null) return void (await select.selectOption(''));
    const index = (await this.column(name).getAttribute('data-testid'))!.replace('csv-column-', '');
    await select.selectOption(index);
  }

  /** Imports what the dialog shows and waits until the new dataset is selected. */
  async confirmImport(name: string): Promise<void> {
    await this.id('csv-name').fill(name);
    await this.id('import-confirm').click();
    await expect(this.id('import-dialog')).toBeHidden();
    await expect(this.dataset(name)).toHaveAttribute('aria-current', 'true');
  }

  /** Fills the clustering form's K-Means fields (choosing K-Means in the picker first). */
  async fillKMeans(p: KMeansInput): Promise<void> {
    await this.id('algorithm-select').selectOption('kmeans');
    if (p.nClusters !== undefined) await this.id('param-n-clusters').fill(String(p.nClusters));
    if (p.randomState !== undefined) await this.id('param-random-state').fill(String(p.randomState));
    if (p.nInit !== undefined) await this.id('param-n-init').fill(String(p.nInit));
    if (p.maxIter !== undefined) await this.id('param-max-iter').fill(String(p.maxIter));
  }

  /**
   * Records, from inside the page, whether the job's progress bar was ever shown and the job
   * events that arrived, so a job that finishes within a frame is still seen to have run as one.
   */
  async recordJob(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __job: { barSeen: boolean; progress: number[]; states: string[] } };
      w.__job = { barSeen: false, progress: [], states: [] };
      const look = (): void => {
        if (document.querySelector('[data-testid="job-progress"]')) w.__job.barSeen = true;
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
      window.api.on('job:progress', (p) => w.__job.progress.push(p.progress));
      for (const e of ['job:started', 'job:done', 'job:failed', 'job:cancelled'] as const) window.api.on(e, (j) => w.__job.states.push(j.state));
    });
  }

  async recordedJob(): Promise<{ barSeen: boolean; progress: number[]; states: string[] }> {
    return this.page.evaluate(() => (window as unknown as { __job: { barSeen: boolean; progress: number[]; states: string[] } }).__job);
  }

  async runKMeans(p: KMeansInput): Promise<void> {
    await this.fillKMeans(p);
    await this.id('run-button').click();
  }

  async saveAs(name: string): Promise<void> {
    await this.id('saveas-button').click();
    await expect(this.id('saveas-input')).toBeFocused();
    await this.id('saveas-input').fill(name);
    await this.id('saveas-input').press('Enter');
    await expect(this.id('saveas-dialog')).toBeHidden();
    await expect(this.id('project-name')).toHaveText(name);
  }

  async openRecent(name: string): Promise<void> {
    await this.id('recent-button').click();
    await this.id('recent-item').filter({ hasText: name }).click();
    await expect(this.id('project-name')).toHaveText(name);
  }
}
