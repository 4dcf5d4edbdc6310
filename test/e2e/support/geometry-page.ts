/**
 * The page object of the geometry views (decision boundaries, Gaussian mixture, DBSCAN, K-Means
 * steps, image segmentation), over their test hooks, in words a person would use. Like AppPage
 * it needs only a Playwright `Page` and waits on the app's own state (data attributes).
 */
/// <reference lib="dom" />
import { expect, type Download, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { AppPage } from './app-page';

export type GeometryView = 'boundaries' | 'mixture' | 'dbscan' | 'steps' | 'segmentation';

export class GeometryPage {
  constructor(readonly app: AppPage) {}

  id(testId: string): Locator {
    return this.app.id(testId);
  }

  async openView(view: GeometryView | 'clusters'): Promise<void> {
    await this.id(`view-tab-${view}`).click();
    await expect(this.id(`view-tab-${view}`)).toHaveAttribute('aria-selected', 'true');
    await expect(this.id(`view-${view}`)).toBeVisible();
  }

  /** A numeric data attribute of an element, once it has one. */
  async number(el: Locator, attr: string): Promise<number> {
    await expect(el).toHaveAttribute(attr, /^-?[\d.e+-]+$/);
    return Number(await el.getAttribute(attr));
  }

  // ── Decision boundaries ──────────────────────────────────────────────────────────────────

  get boundaries(): Locator {
    return this.id('boundaries-plot');
  }

  /** Zooms the boundaries plot in with the mouse wheel over its centre. */
  async zoomBoundaries(steps = 3): Promise<void> {
    const box = (await this.boundaries.boundingBox())!;
    await this.app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < steps; i++) await this.app.page.mouse.wheel(0, -240);
    await expect(this.boundaries).toHaveAttribute('data-zoomed', 'true');
  }

  // ── Gaussian mixture ─────────────────────────────────────────────────────────────────────

  async fitMixture(kind: 'gmm' | 'bgmm', p: { nComponents: number; covarianceType?: string; nInit?: number; seed?: number }): Promise<void> {
    await this.id('mixture-n-components').fill(String(p.nComponents));
    await this.id('mixture-n-components').blur();
    if (p.covarianceType) await this.id('mixture-covariance').selectOption(p.covarianceType);
    if (p.nInit !== undefined) {
      await this.id('mixture-n-init').fill(String(p.nInit));
      await this.id('mixture-n-init').blur();
    }
    if (p.seed !== undefined) {
      await this.id('mixture-seed').fill(String(p.seed));
      await this.id('mixture-seed').blur();
    }
    await this.id(kind === 'gmm' ? 'run-gmm' : 'run-bgmm').click();
  }

  get density(): Locator {
    return this.id('mixture-density');
  }

  // ── DBSCAN ───────────────────────────────────────────────────────────────────────────────

  get dbscan(): Locator {
    return this.id('dbscan-plot');
  }

  async runDbscan(eps: number, minSamples = 5): Promise<void> {
    await this.id('dbscan-min-samples').fill(String(minSamples));
    await this.id('dbscan-min-samples').blur();
    await this.id('dbscan-eps').fill(String(eps));
    await this.id('dbscan-eps').blur();
    await this.id('run-dbscan').click();
  }

  /** Drags the eps marker of the k-distance plot to `fraction` of the plot's height from the top, and releases it. */
  async dragEps(fraction: number): Promise<void> {
    const plot = this.id('kdistance-plot');
    const marker = (await this.id('eps-marker').boundingBox())!;
    const box = (await plot.boundingBox())!;
    const page = this.app.page;
    await page.mouse.move(box.x + box.width / 2, marker.y + marker.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * fraction, { steps: 5 });
    await page.mouse.up();
  }

  // ── Steps ────────────────────────────────────────────────────────────────────────────────

  panels(): Locator {
    return this.id('steps-panel');
  }

  // ── Export ───────────────────────────────────────────────────────────────────────────────

  /** Clicks an export button and returns the downloaded file's name and bytes. */
  async download(button: string): Promise<{ name: string; bytes: Buffer }> {
    const [d] = await Promise.all([this.app.page.waitForEvent('download'), this.id(button).first().click()]);
    return { name: d.suggestedFilename(), bytes: readFileSync((await (d as Download).path())!) };
  }
}
