/**
 * The page object of the Anomalies view (issue 6): the detectors, the threshold slider, the
 * scatter with its red stars and the review queue decided from the keyboard, over the view's test
 * hooks, in words a person would use. Like AppPage it needs only a Playwright `Page` (through
 * AppPage) and waits on the app's own state (data attributes), never on time.
 */
/// <reference lib="dom" />
import { expect, type Locator } from '@playwright/test';
import type { AppPage } from './app-page';
import type { Decision, DecisionEntry } from '../../../src/shared/dto';

export type DetectorMethod = 'gmm' | 'pca' | 'dbscan';

/** The keys of the review queue (ReviewQueue.svelte / logic.ts DECISION_KEYS). */
export const DECISION_KEY: Record<Decision, string> = { confirmed: 'c', dismissed: 'd', skipped: 's' };

export class AnomaliesPage {
  constructor(readonly app: AppPage) {}

  id(testId: string): Locator {
    return this.app.id(testId);
  }

  get view(): Locator {
    return this.id('anomalies-view');
  }

  get queue(): Locator {
    return this.id('review-queue');
  }

  get entries(): Locator {
    return this.id('queue-entry');
  }

  get scatter(): Locator {
    return this.id('anomaly-scatter');
  }

  get threshold(): Locator {
    return this.id('threshold-bar');
  }

  /** The first start's tour would cover the bottom of the view (and the screenshots). */
  async skipTour(): Promise<void> {
    await this.id('tour-skip').click({ timeout: 10_000 }).catch(() => {});
  }

  /** Opens the view from its tab and waits until the review (saved detectors, decisions) is loaded. */
  async open(): Promise<void> {
    await this.id('view-tab-anomalies').click();
    await expect(this.id('view-tab-anomalies')).toHaveAttribute('aria-selected', 'true');
    await expect(this.view).toBeVisible();
    await expect(this.view).toHaveAttribute('data-loaded', 'true');
  }

  tab(method: DetectorMethod): Locator {
    return this.id(`detector-tab-${method}`);
  }

  async selectDetector(method: DetectorMethod): Promise<void> {
    await this.tab(method).click();
    await expect(this.tab(method)).toHaveAttribute('aria-selected', 'true');
  }

  /** A field of the active detector's form, by its parameter name (nComponents, percentile…). */
  field(key: string): Locator {
    return this.id(`field-${key}`);
  }

  /** Runs the active detector and waits until its tab counts what it flags. */
  async run(method: DetectorMethod, timeout = 60_000): Promise<number> {
    await this.selectDetector(method);
    await this.id('run-detector').click();
    await expect(this.tab(method)).toHaveAttribute('data-flagged', /^\d+$/, { timeout });
    return Number(await this.tab(method).getAttribute('data-flagged'));
  }

  /** The length of the queue, once it shows one. */
  async queueLength(): Promise<number> {
    await expect(this.queue).toHaveAttribute('data-length', /^\d+$/);
    return Number(await this.queue.getAttribute('data-length'));
  }

  /** The row under review (null when the queue is empty). */
  async currentRow(): Promise<number | null> {
    const v = await this.queue.getAttribute('data-current');
    return v ? Number(v) : null;
  }

  /** Moves the threshold slider to flag `percent` % of the samples. */
  async flagShare(percent: number): Promise<void> {
    await this.id('threshold-slider').fill(String(percent));
    await expect(this.threshold).toHaveAttribute('data-share', percent.toFixed(2));
  }

  /** Back to the threshold the detector ran with. */
  async resetThreshold(): Promise<void> {
    await this.threshold.getByRole('button', { name: 'Reset' }).click();
  }

  /** Puts the keyboard focus on the queue's list, as a reviewer tabbing to it would. */
  async focusQueue(): Promise<void> {
    await this.id('queue-entries').focus();
    await expect(this.id('queue-entries')).toBeFocused();
  }

  /** The queue entry of a row. */
  entry(row: number): Locator {
    return this.queue.locator(`[data-testid="queue-entry"][data-row="${row}"]`);
  }

  /**
   * Decides the sample under review with its key and waits until the entry shows the decision
   * and the cursor has left it; returns the row decided.
   */
  async decide(decision: Decision): Promise<number> {
    const row = await this.currentRow();
    expect(row, 'a sample is under review').not.toBeNull();
    await this.app.page.keyboard.press(DECISION_KEY[decision]);
    await expect(this.entry(row!)).toHaveAttribute('data-decision', decision);
    await expect(this.queue).not.toHaveAttribute('data-current', String(row));
    return row!;
  }

  /** The decisions the backend holds for a dataset, by row. */
  async savedDecisions(datasetId: string): Promise<Record<number, Decision>> {
    const list: DecisionEntry[] = await this.app.page.evaluate((id) => window.api.annotations.decisions(id), datasetId);
    return Object.fromEntries(list.map((d) => [d.row, d.decision]));
  }

  /** The decision shown on each entry of the queue that has one, by row. */
  async shownDecisions(): Promise<Record<number, Decision>> {
    const pairs = await this.queue.locator('[data-testid="queue-entry"]:not([data-decision=""])').evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('data-row')), e.getAttribute('data-decision')] as const),
    );
    return Object.fromEntries(pairs) as Record<number, Decision>;
  }
}
