/**
 * Responsiveness (issue 9): no operation blocks the window for more than 100 ms. Walks through
 * what a person does, in Chromium (Playwright, Debian's browser) against the built browser host,
 * and collects every long task of the page (the browser reports tasks of 50 ms and more through
 * `PerformanceObserver({ type: 'longtask' })`, registered before the app's first script):
 * the sample project on first start; every view tab; a 100,000-row CSV imported and K-Means run
 * on it while the tabs are switched; every tab again with that run; pan and zoom of the
 * 100,000-point scatter; a Choose-k sweep on the blobs; the command palette typed in; the
 * Olivetti folder uploaded and imported, and the Labeling view clustering it.
 *
 *   npm run build && npx tsx bench/ui-longtasks.ts [--points 100000] [--budget 100] [--profile]
 *
 * With --profile, V8's sampling profiler runs in the page for the whole walk, and every task over
 * the budget is explained by where its samples fell: the functions with the most self time, and
 * the app's own functions with the most time inclusive, each with its source module (the bundle
 * is not minified and names each module in a comment). It slows the page down a little.
 *
 * Operations are contiguous spans of the page's clock: a long task belongs to the operation
 * during which it started (work an operation leaves behind, such as a paint after the state it
 * waited for, counts against it). Prints one JSON object: per operation the number of long tasks,
 * the longest and the total (ms); overall the longest task and whether every one stayed within
 * the budget. Exits with 1 if one did not.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, SHARED, startHost } from '../test/e2e/support/host';
import { blobsCsv, byId, importCsv, UI_TIMEOUT } from './ui-common';

const { values: args } = parseArgs({
  options: { points: { type: 'string', default: '100000' }, budget: { type: 'string', default: '100' }, profile: { type: 'boolean', default: false } },
});
const POINTS = Number(args.points);
const BUDGET_MS = Number(args.budget);
const TIMEOUT = UI_TIMEOUT;
const OLIVETTI = join(SHARED, 'data/faces/olivetti');
const SAMPLE = 'Blobs (chapter 9)';

/** The tabs in their order (views/registry.ts), by id and title. */
const TABS: readonly [string, string][] = [
  ['clusters', 'Clusters'],
  ['choose-k', 'Choose k'],
  ['silhouette', 'Silhouette'],
  ['boundaries', 'Boundaries'],
  ['mixture', 'Mixture'],
  ['dbscan', 'DBSCAN'],
  ['steps', 'K-Means steps'],
  ['segmentation', 'Segmentation'],
  ['anomalies', 'Anomalies'],
  ['labeling', 'Labeling'],
];


interface LongTask {
  start: number;
  duration: number;
}

interface Span {
  name: string;
  start: number;
}

/** Installed before any script of the app: every long task of the page, from navigation on. */
function observeLongTasks(): void {
  const w = window as unknown as { __longTasks: LongTask[]; __longTaskObserver: PerformanceObserver };
  w.__longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ type: 'longtask', buffered: true });
  w.__longTaskObserver = observer;
}


/**
 * Until the page has nothing to do: two frames, then an idle period of 40 ms or more (no frame
 * or task pending). Bounded, so that a page that never goes idle still moves on.
 */
async function settle(page: Page): Promise<void> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  await page.evaluate(async () => {
    await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    const until = performance.now() + 5000;
    for (;;) {
      const left = await new Promise<number>((done) => requestIdleCallback((d) => done(d.timeRemaining()), { timeout: 1000 }));
      if (left >= 40 || performance.now() > until) return;
    }
  });
}

class Walk {
  readonly spans: Span[] = [];
  constructor(readonly page: Page) {}

  /** Runs one operation and marks its span on the page's clock. */
  async op(name: string, body: () => Promise<void>): Promise<void> {
    const start = await this.page.evaluate(() => performance.now());
    // The first operation starts at navigation: the app's start-up belongs to it.
    this.spans.push({ name, start: this.spans.length === 0 ? 0 : start });
    await body();
    await settle(this.page);
  }

  /** The operation during which a task started. */
  ownerOf(task: LongTask): string {
    let owner = this.spans[0];
    for (const s of this.spans) if (s.start <= task.start) owner = s;
    return owner.name;
  }

  async tab(id: string): Promise<void> {
    await byId(this.page, `view-tab-${id}`).click();
    await this.page.locator(`[data-testid="view-tab-${id}"][aria-selected="true"]`).waitFor();
    await byId(this.page, `view-${id}`).waitFor();
  }
}


async function selectDataset(page: Page, name: string): Promise<void> {
  await page.locator(`[data-testid="dataset-item"][data-dataset-name="${name}"]`).click();
  await page.locator(`[data-testid="dataset-item"][data-dataset-name="${name}"][aria-current="true"]`).waitFor();
}

const scatterShows = (page: Page, points: number, clusters: number): Promise<unknown> =>
  page.locator(`[data-testid="scatter-canvas"][data-points="${points}"][data-clusters="${clusters}"]`).waitFor({ timeout: TIMEOUT });

const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

async function walk(w: Walk, url: string, dir: string): Promise<void> {
  const page = w.page;
  await w.op('start with the sample project', async () => {
    await page.goto(url);
    await page.locator(`[data-testid="dataset-item"][data-dataset-name="${SAMPLE}"][aria-current="true"]`).waitFor({ timeout: 60_000 });
    await scatterShows(page, 2000, 5);
    // The first start's tour would cover the views.
    await byId(page, 'tour-skip').click({ timeout: 10_000 }).catch(() => {});
  });

  for (const [id, title] of TABS) await w.op(`tab ${title} (sample)`, () => w.tab(id));
  await w.op('tab Clusters (sample, back)', () => w.tab('clusters'));

  const csv = join(dir, `blobs${POINTS}.csv`);
  blobsCsv(csv, POINTS);
  const big = `blobs ${POINTS}`;
  await w.op(`import a ${POINTS}-row CSV`, async () => {
    await importCsv(page, csv, big);
    await page.locator(`[data-testid="scatter-canvas"][data-points="${POINTS}"]`).waitFor({ timeout: TIMEOUT });
  });

  const before = await byId(page, 'run-item').count();
  await w.op(`K-Means on ${POINTS} rows: start`, async () => {
    await byId(page, 'algorithm-select').selectOption('kmeans');
    await byId(page, 'param-n-clusters').fill('5');
    await byId(page, 'param-n-init').fill('10');
    await byId(page, 'param-random-state').fill('0');
    await byId(page, 'run-button').click();
  });
  for (const [id, title] of TABS.slice(1)) await w.op(`tab ${title} (K-Means running)`, () => w.tab(id));
  await w.op(`K-Means on ${POINTS} rows: back to Clusters, result shown`, async () => {
    await w.tab('clusters');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="run-item"]').length > n, before, { timeout: TIMEOUT });
    await scatterShows(page, POINTS, 5);
  });
  for (const [id, title] of TABS.slice(1)) await w.op(`tab ${title} (${POINTS} rows, K-Means run)`, () => w.tab(id));
  await w.op(`tab Clusters (${POINTS} rows, back)`, async () => {
    await w.tab('clusters');
    await scatterShows(page, POINTS, 5);
  });

  const canvas = byId(page, 'scatter-canvas');
  const box = (await canvas.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await w.op(`zoom the ${POINTS}-point scatter with the wheel`, async () => {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 15; i++) await page.mouse.wheel(0, -120);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="scatter-canvas"]')?.getAttribute('data-zoom')) > 2);
  });
  await w.op(`pan the ${POINTS}-point scatter (drag)`, async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 200, cy + 120, { steps: 30 });
    await page.mouse.move(cx - 150, cy - 80, { steps: 30 });
    await page.mouse.up();
  });
  await w.op(`zoom the ${POINTS}-point scatter back out`, async () => {
    for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 120);
  });

  await w.op('select the sample blobs', () => selectDataset(page, SAMPLE));
  await w.op('Choose k: sweep k = 2…10 on the blobs', async () => {
    await w.tab('choose-k');
    const summary = byId(page, 'sweep-summary');
    const prev = (await summary.count()) > 0 ? await summary.getAttribute('data-analysis-id') : null;
    await byId(page, 'sweep-k-min').fill('2');
    await byId(page, 'sweep-k-max').fill('10');
    await byId(page, 'sweep-seed').fill('42');
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      (p) => {
        const id = document.querySelector('[data-testid="sweep-summary"]')?.getAttribute('data-analysis-id');
        return !!id && id !== p;
      },
      prev,
      { timeout: TIMEOUT },
    );
  });

  await w.op('command palette: open and type', async () => {
    await page.keyboard.press('Control+K');
    await byId(page, 'palette-input').waitFor();
    await page.keyboard.type('silhouette', { delay: 60 });
    await byId(page, 'palette-item').first().waitFor();
    await page.keyboard.press('Escape');
    await byId(page, 'command-palette').waitFor({ state: 'hidden' });
  });

  await w.op('Olivetti: upload the folder (preview)', async () => {
    await byId(page, 'images-menu').click();
    await byId(page, 'images-open-folder').click();
    await byId(page, 'images-dialog').waitFor();
    await byId(page, 'images-folder-input').setInputFiles(OLIVETTI);
    await byId(page, 'images-summary').waitFor({ timeout: 60_000 });
  });
  await w.op('Olivetti: import (job) and report', async () => {
    await byId(page, 'images-import').click();
    await byId(page, 'images-report').or(byId(page, 'images-error')).waitFor({ timeout: TIMEOUT });
    if (await byId(page, 'images-error').isVisible()) throw new Error(`the import failed: ${await byId(page, 'images-error').textContent()}`);
    await byId(page, 'images-close').click();
    await byId(page, 'images-dialog').waitFor({ state: 'hidden' });
    await page.locator('[data-testid="dataset-item"][data-dataset-name="olivetti"][aria-current="true"]').waitFor();
  });
  await w.op('Labeling: open on Olivetti', async () => {
    await w.tab('labeling');
    await byId(page, 'labeling-view').waitFor();
  });
  await w.op('Labeling: cluster Olivetti (k = 40) and show the grid', async () => {
    await byId(page, 'labeling-k').fill('40');
    await byId(page, 'labeling-seed').fill('42');
    await byId(page, 'labeling-cluster').click();
    await page.locator('[data-testid="representative-grid"][data-count="40"]').waitFor({ timeout: TIMEOUT });
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a long task's time went, from the samples of the CPU profile that fell within it. */
interface Explained {
  operation: string;
  startMs: number;
  durationMs: number;
  selfMs: string[];
  appInclusiveMs: string[];
}

/** The source module of a line of the renderer bundle (the comment `// src/...` above it). */
function moduleOf(url: string, line: number, cache: Map<string, string[]>): string {
  if (!url.includes('/assets/')) return url || 'native';
  const file = basename(new URL(url).pathname);
  let lines = cache.get(file);
  if (!lines) {
    try {
      lines = readFileSync(join(ROOT, 'out/renderer/assets', file), 'utf8').split('\n');
    } catch {
      lines = [];
    }
    cache.set(file, lines);
  }
  for (let i = Math.min(line, lines.length - 1); i >= 0; i--) {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(lines[i]);
    if (m) return m[1].replace(/^src\/renderer\/src\//, '');
  }
  return file;
}

/**
 * Explains each task over the budget with the profile's samples. `offset` maps the profile's
 * clock (µs) to the page's `performance.now()` (ms): pageMs = profileUs / 1000 - offset.
 */
function explain(profile: CpuProfile, offset: number, tasks: LongTask[], ownerOf: (t: LongTask) => string): Explained[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cache = new Map<string, string[]>();
  const label = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} [${moduleOf(n.callFrame.url, n.callFrame.lineNumber, cache)}]`;
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d) / 1000 - offset);
  const top = (m: Map<string, number>, interval: number): string[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${round(v * interval)} ${k}`);
  return tasks.map((task) => {
    const self = new Map<string, number>();
    const inclusive = new Map<string, number>();
    let count = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      if (times[i] < task.start || times[i] > task.start + task.duration) continue;
      count++;
      const leaf = byId.get(profile.samples[i])!;
      self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
      const seen = new Set<string>();
      for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
        const n = byId.get(id)!;
        if (!n.callFrame.url.includes('/assets/')) continue;
        const k = label(n);
        if (k.includes('node_modules/') || seen.has(k)) continue;
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
      }
    }
    // Each sample stands for the task's duration divided among the samples that fell in it.
    const interval = count ? task.duration / count : 0;
    return { operation: ownerOf(task), startMs: round(task.start), durationMs: round(task.duration), selfMs: top(self, interval), appInclusiveMs: top(inclusive, interval) };
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-ui-longtasks-'));
  const host = await startHost();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const loaded = loadavg()[0];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(observeLongTasks);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = args.profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    const w = new Walk(page);
    await walk(w, host.url, dir);
    let profiled: { profile: CpuProfile; offset: number } | null = null;
    if (cdp) {
      // An anchor between the two clocks: a function of known name that spins for 30 ms from a
      // known performance.now(); its first sample gives the offset.
      const anchor = (await page.evaluate('(function __cpuAnchor() { const t = performance.now(); while (performance.now() - t < 30); return t; })()')) as number;
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const ids = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '__cpuAnchor').map((n) => n.id));
      let t = profile.startTime;
      let first: number | null = null;
      for (let i = 0; i < profile.samples.length && first === null; i++) {
        t += profile.timeDeltas[i];
        if (ids.has(profile.samples[i])) first = t;
      }
      if (first !== null) profiled = { profile, offset: first / 1000 - anchor };
      else console.error('the profile has no sample of the anchor: no explanation of the long tasks');
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      writeFileSync(join(ROOT, 'test-results', 'ui-longtasks.cpuprofile'), JSON.stringify(profile));
    }
    const tasks = await page.evaluate(() => {
      const g = window as unknown as { __longTasks: LongTask[]; __longTaskObserver: PerformanceObserver };
      for (const e of g.__longTaskObserver.takeRecords()) g.__longTasks.push({ start: e.startTime, duration: e.duration });
      return g.__longTasks;
    });

    const operations: Record<string, { longTasks: number; longestMs: number; totalMs: number; tasksMs: number[] }> = {};
    for (const s of w.spans) operations[s.name] = { longTasks: 0, longestMs: 0, totalMs: 0, tasksMs: [] };
    for (const t of tasks) {
      const o = operations[w.ownerOf(t)];
      o.longTasks++;
      o.longestMs = Math.max(o.longestMs, round(t.duration));
      o.totalMs = round(o.totalMs + t.duration);
      o.tasksMs.push(round(t.duration));
    }
    const longest = tasks.reduce<LongTask | null>((a, t) => (a && a.duration >= t.duration ? a : t), null);
    const longestOp = longest ? w.ownerOf(longest) : null;
    const report = {
      benchmark: 'long tasks (≥ 50 ms) on the UI thread while a person works through the app (Chromium, browser host)',
      points: POINTS,
      loadAverageAtStart: round(loaded, 2),
      operations,
      longTasks: tasks.length,
      longestMs: longest ? round(longest.duration) : 0,
      longestOperation: longestOp,
      budgetMs: BUDGET_MS,
      withinBudget: tasks.every((t) => t.duration <= BUDGET_MS),
      pageErrors: errors,
      overBudget: profiled
        ? explain(profiled.profile, profiled.offset, tasks.filter((t) => t.duration > BUDGET_MS), (t) => w.ownerOf(t))
        : undefined,
    };
    console.log(JSON.stringify(report, null, 2));
    if (!report.withinBudget) process.exitCode = 1;
  } finally {
    await browser.close();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
