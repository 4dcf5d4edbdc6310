/**
 * The page object of the exploration views (clustering form for every algorithm, Choose k,
 * Silhouette, the scatter's axes and zoom), over their test hooks, in words a person would use.
 * Like AppPage it needs only a Playwright `Page`, and waits on the app's own state.
 */
/// <reference lib="dom" />
import { expect, type Locator } from '@playwright/test';
import type { AppPage } from './app-page';

export interface SweepInput {
  algorithm?: string;
  kMin: number;
  kMax: number;
  randomState?: number;
}

export class ExplorePage {
  constructor(readonly app: AppPage) {}

  private id(testId: string): Locator {
    return this.app.id(testId);
  }

  async openView(view: 'clusters' | 'choose-k' | 'silhouette'): Promise<void> {
    await this.id(`view-tab-${view}`).click();
    await expect(this.id(`view-tab-${view}`)).toHaveAttribute('aria-selected', 'true');
    await expect(this.id(`view-${view}`)).toBeVisible();
  }

  // ── Clustering form ─────────────────────────────────────────────────────────────────────

  async chooseAlgorithm(name: string): Promise<void> {
    await this.id('algorithm-select').selectOption(name);
    await expect(this.id('algorithm-form')).toHaveAttribute('data-algorithm', name);
  }

  /** Fills parameters by scikit-learn name (`eps`, `min_samples`…); choices are selected. */
  async fillParams(params: Record<string, string | number>): Promise<void> {
    for (const [name, value] of Object.entries(params)) {
      const field = this.id(`param-${name.replaceAll('_', '-')}`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(String(value));
      else await field.fill(String(value));
    }
  }

  async run(): Promise<void> {
    await this.id('run-button').click();
  }

  /** A result of the selected run by its test hook name (`n-noise`, `bic`…). */
  async metric(name: string): Promise<number> {
    const el = this.id(`metric-${name}`);
    await expect(el).toHaveAttribute('data-value', /.+/);
    return Number(await el.getAttribute('data-value'));
  }

  /** The legend's entry for noise points (or unlabelled ones). */
  get noiseLegend(): Locator {
    return this.app.page.locator('[data-testid="legend-item"][data-key="other"]');
  }

  // ── Scatter ─────────────────────────────────────────────────────────────────────────────

  async showPca(): Promise<void> {
    await this.id('axes-pca').check({ force: true });
    await expect(this.id('scatter-canvas-x-label')).toContainText('PC1 (');
  }

  /** Zooms the scatter with the mouse wheel over its centre. */
  async zoomIn(steps = 3): Promise<void> {
    const box = (await this.app.scatter.boundingBox())!;
    await this.app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < steps; i++) await this.app.page.mouse.wheel(0, -200);
    await expect.poll(async () => Number(await this.app.scatter.getAttribute('data-zoom'))).toBeGreaterThan(1.2);
  }

  async zoom(): Promise<number> {
    return Number(await this.app.scatter.getAttribute('data-zoom'));
  }

  // ── Choose k ────────────────────────────────────────────────────────────────────────────

  async runSweep(s: SweepInput): Promise<void> {
    if (s.algorithm) await this.id('sweep-algorithm').selectOption(s.algorithm);
    await this.id('sweep-k-min').fill(String(s.kMin));
    await this.id('sweep-k-max').fill(String(s.kMax));
    if (s.randomState !== undefined) await this.id('sweep-seed').fill(String(s.randomState));
    const summary = this.id('sweep-summary');
    const before = (await summary.count()) > 0 ? await summary.getAttribute('data-analysis-id') : null;
    await this.id('sweep-run').click();
    await expect(summary).toHaveAttribute('data-analysis-id', before ? new RegExp(`^(?!${before}$).+`) : /.+/, { timeout: 60_000 });
  }

  chart(metric: string): Locator {
    return this.app.page.locator(`[data-testid="sweep-chart"][data-metric="${metric}"]`);
  }

  /** The k a chart marks as suggested, read off its marked point. */
  async suggestedK(metric: string): Promise<number> {
    const marked = this.chart(metric).locator('[data-testid="sweep-point"][data-suggested="true"]');
    await expect(marked).toHaveCount(1);
    return Number(await marked.getAttribute('data-k'));
  }

  /** Fits the sweep's model at k and waits until its run is shown. */
  async chooseK(k: number): Promise<string> {
    await this.app.page.locator(`[data-testid="k-button"][data-k="${k}"]`).click();
    const chosen = this.id('chosen-run');
    await expect(chosen).toHaveAttribute('data-k', String(k));
    await expect(chosen).toHaveAttribute('data-run-id', /.+/, { timeout: 60_000 });
    return (await chosen.getAttribute('data-run-id'))!;
  }

  // ── Silhouette ──────────────────────────────────────────────────────────────────────────

  get panels(): Locator {
    return this.id('silhouette-panel');
  }

  /** The diagram of a run, once drawn. */
  async readyPanel(runId: string): Promise<Locator> {
    const panel = this.app.page.locator(`[data-testid="silhouette-panel"][data-run-id="${runId}"]`);
    await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    return panel;
  }

  /** Sizes of a diagram's bands, by cluster label. */
  async bandSizes(panel: Locator): Promise<Record<number, number>> {
    const out: Record<number, number> = {};
    for (const b of await panel.getByTestId('silhouette-band').all()) out[Number(await b.getAttribute('data-cluster'))] = Number(await b.getAttribute('data-size'));
    return out;
  }

  async meanLine(panel: Locator): Promise<number> {
    return Number(await panel.getByTestId('silhouette-mean').getAttribute('data-value'));
  }

  async clickBand(panel: Locator, cluster: number): Promise<void> {
    await panel.locator(`[data-testid="silhouette-band"][data-cluster="${cluster}"]`).click();
    await expect(this.id('cluster-samples')).toHaveAttribute('data-cluster', String(cluster));
  }

  async compareKs(ks: number[], randomState = 42): Promise<void> {
    await this.id('silhouette-ks').fill(ks.join(', '));
    await this.id('silhouette-ks-seed').fill(String(randomState));
    await this.id('silhouette-run-ks').click();
  }
}
