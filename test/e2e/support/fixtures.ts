/** The entry point of every e2e spec: the browser host, the page object, and where screenshots go. */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { ROOT, SHARED, startHost, type RunningHost } from './host';

export { ROOT, SHARED, startHost, type RunningHost };
export { AppPage } from './app-page';

/**
 * Closes the browser context (its pooled keep-alive connections too), then stops the host. A
 * host that has not exited after 15 s is killed, and the test log says so: a slow shutdown
 * must not turn into a test timeout, nor go unnoticed.
 */
export async function closeAndStop(page: Page, host: RunningHost): Promise<void> {
  await page.context().close();
  const timer = setTimeout(() => {
    console.warn(`the browser host (pid ${host.proc.pid}) did not exit 15 s after SIGTERM; killing it`);
    host.proc.kill('SIGKILL');
  }, 15_000);
  try {
    await host.stop();
  } finally {
    clearTimeout(timer);
  }
}

/** Screenshots for people to look at; test-results/ is not committed. */
export function screenshotPath(name: string): string {
  const dir = join(ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
