/**
 * The entry point of every e2e spec: the browser host (after the ESM shim), the page object,
 * and where screenshots go.
 */
import './esm-globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHARED, startHost, type RunningHost } from './host';

export { ROOT, SHARED, startHost, type RunningHost };
export { AppPage } from './app-page';

/** Screenshots for people to look at; test-results/ is not committed. */
export function screenshotPath(name: string): string {
  const dir = join(ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
