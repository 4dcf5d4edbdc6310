/**
 * The page object of image datasets: the Images menu, a folder uploaded and imported, a sample
 * opened, the progress and the report with its thumbnails.
 */
/// <reference lib="dom" />
import { expect, type Locator, type Page } from '@playwright/test';

export class ImagesPage {
  constructor(readonly page: Page) {}

  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  get dialog(): Locator {
    return this.id('images-dialog');
  }

  get progressBar(): Locator {
    return this.id('images-progress-bar');
  }

  get report(): Locator {
    return this.id('images-report');
  }

  get thumbnails(): Locator {
    return this.id('images-thumbnails').locator('img');
  }

  async openMenu(): Promise<void> {
    await this.id('images-menu').click();
    await expect(this.id('sample-olivetti')).toBeVisible();
  }

  /** Chooses a folder in the dialog (the browser uploads it) and waits for its preview. */
  async uploadFolder(dir: string): Promise<void> {
    await this.openMenu();
    await this.id('images-open-folder').click();
    await expect(this.dialog).toBeVisible();
    await this.id('images-folder-input').setInputFiles(dir);
    await expect(this.id('images-summary')).toBeVisible({ timeout: 60_000 });
  }

  /**
   * Records every value the images progress bar shows from now on (a MutationObserver in the
   * page), so that a fast job's progress is not missed between two looks.
   */
  async recordProgress(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __imagesProgress: number[] };
      w.__imagesProgress = [];
      const look = (): void => {
        const bar = document.querySelector('[data-testid="images-progress-bar"]');
        const v = bar?.getAttribute('aria-valuenow');
        if (v != null && Number(v) !== w.__imagesProgress.at(-1)) w.__imagesProgress.push(Number(v));
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
      look();
    });
  }

  /** The progress values recorded since `recordProgress`. */
  async progressSeen(): Promise<number[]> {
    return this.page.evaluate(() => (window as unknown as { __imagesProgress: number[] }).__imagesProgress);
  }

  /** Starts the import and waits for the report; returns the progress values the bar showed. */
  async importAndWait(timeout = 60_000): Promise<number[]> {
    await this.recordProgress();
    await this.id('images-import').click();
    return this.waitForReport(timeout);
  }

  async openSample(id: 'olivetti' | 'mnist' | 'digits'): Promise<void> {
    await this.openMenu();
    await this.recordProgress();
    await this.id(`sample-${id}`).click();
    await expect(this.dialog).toBeVisible();
  }

  /** Waits for the report (failing at once on an error shown instead); returns the progress values seen. */
  async waitForReport(timeout: number): Promise<number[]> {
    await expect(this.report.or(this.id('images-error'))).toBeVisible({ timeout });
    if (await this.id('images-error').isVisible()) throw new Error(`the import failed: ${await this.id('images-error').textContent()}`);
    return this.progressSeen();
  }

  async close(): Promise<void> {
    await this.id('images-close').click();
    await expect(this.dialog).toBeHidden();
  }
}
