/**
 * The shell around the views, in words: the command palette, the tour, preferences and theme,
 * dropping files on the window, keyboard shortcuts. Used with AppPage (app-page.ts).
 */
/// <reference lib="dom" />
import { expect, type Locator, type Page } from '@playwright/test';
import type { Preferences } from '../../../src/shared/prefs';
import type { LabelEntry } from '../../../src/shared/dto';

export class ShellPage {
  constructor(readonly page: Page) {}

  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  get palette(): Locator {
    return this.id('command-palette');
  }

  get paletteInput(): Locator {
    return this.id('palette-input');
  }

  get paletteItems(): Locator {
    return this.id('palette-item');
  }

  get tour(): Locator {
    return this.id('tour');
  }

  /** Opens the palette with its shortcut (Ctrl+K here: the tests run on Linux). */
  async openPalette(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await expect(this.palette).toBeVisible();
    await expect(this.paletteInput).toBeFocused();
  }

  /** Types `query` in the open palette and runs the best match with Enter, checking it is `command`. */
  async runFromPalette(query: string, command: string): Promise<void> {
    await this.paletteInput.fill(query);
    await expect(this.paletteItems.first()).toHaveAttribute('data-command', command);
    await this.page.keyboard.press('Enter');
    await expect(this.palette).toBeHidden();
  }

  /** Walks through the tour to its end, or skips it. */
  async dismissTour(how: 'skip' | 'finish' = 'skip'): Promise<void> {
    await expect(this.tour).toBeVisible();
    if (how === 'skip') await this.id('tour-skip').click();
    else {
      while (await this.tour.isVisible()) await this.id('tour-next').click();
    }
    await expect(this.tour).toBeHidden();
  }

  async prefs(): Promise<Preferences> {
    return this.page.evaluate(() => window.api.prefs.get());
  }

  /** Chooses a theme in Preferences (applied at once), then closes the dialog. */
  async chooseTheme(theme: Preferences['theme']): Promise<void> {
    await this.id('prefs-button').click();
    await expect(this.id('prefs-dialog')).toBeVisible();
    await this.page.locator(`label:has([data-testid="pref-theme-${theme}"])`).click();
    await expect.poll(async () => (await this.prefs()).theme).toBe(theme);
    await this.page.keyboard.press('Escape');
    await expect(this.id('prefs-dialog')).toBeHidden();
  }

  /** The page's background colour as computed (`rgb(r, g, b)`). */
  async background(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  }

  /**
   * Drops a file on the window as a person would: a `drop` event whose DataTransfer holds a File
   * with these bytes (after the dragover that makes the window accept it).
   */
  async dropFile(name: string, bytes: Uint8Array, type = ''): Promise<void> {
    await this.page.evaluate(
      ({ name, data, type }) => {
        const file = new File([new Uint8Array(data)], name, { type });
        const dt = new DataTransfer();
        dt.items.add(file);
        const target = document.querySelector('main') ?? document.body;
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name, data: Array.from(bytes), type },
    );
  }

  /** The hand labels of the selected dataset, as the backend has them. */
  async labels(): Promise<LabelEntry[]> {
    return this.page.evaluate(async () => {
      const id = document.querySelector('[data-testid="dataset-item"][aria-current="true"]')?.getAttribute('data-dataset-id');
      return id ? window.api.annotations.labels(id) : [];
    });
  }

  /** The id of the dataset shown. */
  async datasetId(): Promise<string> {
    const id = await this.page.locator('[data-testid="dataset-item"][aria-current="true"]').getAttribute('data-dataset-id');
    if (!id) throw new Error('no dataset is selected');
    return id;
  }

  /** The latest message of the status bar. */
  get status(): Locator {
    return this.id('status-error');
  }
}
