/**
 * The page object of the Labeling view: cluster for labeling, type labels in the grid from the
 * keyboard, propagate, evaluate, and read what the view shows — over its data-testid hooks, with
 * waits on the app's own state.
 */
/// <reference lib="dom" />
import { expect, type Locator, type Page } from '@playwright/test';

export interface ClusterForLabeling {
  nClusters: number;
  randomState?: number;
  pca?: boolean;
  holdout?: boolean;
}

export class LabelingPage {
  constructor(readonly page: Page) {}

  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  get view(): Locator {
    return this.id('labeling-view');
  }

  /** The tiles of the grid shown (representatives or the samples proposed next). */
  get tiles(): Locator {
    return this.view.getByTestId('label-tile');
  }

  get labels(): Locator {
    return this.id('labels-panel');
  }

  async open(): Promise<void> {
    await this.id('view-tab-labeling').click();
    await expect(this.view).toBeVisible();
  }

  async tab(name: 'label' | 'gallery' | 'evaluate' | 'features'): Promise<void> {
    await this.id(`labeling-tab-${name}`).click();
    await expect(this.id(`labeling-tab-${name}`)).toHaveAttribute('aria-selected', 'true');
  }

  /** Fits K-Means for labeling and waits for the grid of its representatives. */
  async cluster(p: ClusterForLabeling): Promise<void> {
    await this.id('labeling-k').fill(String(p.nClusters));
    if (p.randomState !== undefined) await this.id('labeling-seed').fill(String(p.randomState));
    if (p.pca !== undefined) await this.id('labeling-pca').setChecked(p.pca);
    if (p.holdout !== undefined) await this.id('labeling-holdout').setChecked(p.holdout);
    await this.id('labeling-cluster').click();
    await expect(this.id('representative-grid')).toHaveAttribute('data-count', String(p.nClusters), { timeout: 120_000 });
  }

  /** Counts shown in the labels panel. */
  async counts(): Promise<{ hand: number; propagated: number }> {
    return {
      hand: Number(await this.labels.getAttribute('data-hand')),
      propagated: Number(await this.labels.getAttribute('data-propagated')),
    };
  }

  async expectCounts(hand: number, propagated: number): Promise<void> {
    await expect(this.labels).toHaveAttribute('data-hand', String(hand));
    await expect(this.labels).toHaveAttribute('data-propagated', String(propagated));
  }

  /**
   * Types a label for every tile of the grid with the keyboard only: the first field is focused
   * once, then each label is typed and Enter saves it and moves to the next field.
   */
  async typeAll(labelOf: (file: string) => string): Promise<void> {
    const n = await this.tiles.count();
    await this.tiles.first().getByTestId('label-input').focus();
    for (let i = 0; i < n; i++) {
      const tile = this.tiles.nth(i);
      await expect(tile.getByTestId('label-input')).toBeFocused();
      const file = (await tile.getAttribute('data-file'))!;
      await this.page.keyboard.type(labelOf(file));
      await this.page.keyboard.press('Enter');
      await expect(tile).toHaveAttribute('data-source', 'hand');
    }
  }

  async propagate(mode: 'cluster' | number): Promise<number> {
    if (mode === 'cluster') await this.id('propagate-cluster').check();
    else {
      await this.id('propagate-percentile').check();
      await this.id('percentile-input').fill(String(mode));
      await this.id('percentile-input').press('Enter');
    }
    const reach = Number(await this.id('propagation-preview').getAttribute('data-reach'));
    await this.id('propagate-button').click();
    await expect(this.id('propagation-preview')).toHaveAttribute('data-changes', '0');
    return reach;
  }

  /** Trains and evaluates; resolves with the new round's number. */
  async evaluate(): Promise<number> {
    await this.tab('evaluate');
    const result = this.id('evaluation-result');
    const before = (await result.count()) > 0 ? Number(await result.getAttribute('data-round')) : 0;
    await this.id('evaluate-button').click();
    await expect(this.id('evaluation-result')).toHaveAttribute('data-round', String(before + 1), { timeout: 120_000 });
    return before + 1;
  }

  async accuracy(which: 'labels' | 'hand' | 'random' | 'supervised'): Promise<number> {
    const el = this.id(`accuracy-${which}`);
    await expect(el).toHaveAttribute('data-value', /\d/);
    return Number(await el.getAttribute('data-value'));
  }
}
