/**
 * Shared pieces of the reliability suite: the soak factor, temporary folders, file fingerprints,
 * child processes running the real store code, mounts where the machine allows them, and a
 * worker spawner that notes when each worker starts, is ready and exits.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { NewDataset } from '../../src/main/backend/store/project-store';
import { WorkerPool, type WorkerProcess, type WorkerSpawner } from '../../src/main/backend/jobs/pool';
import { Backend } from '../../src/main/backend/backend';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(ROOT, 'test/fixtures/reliability');

/**
 * `RELIABILITY_SOAK=1` multiplies every trial count by 10 (any other number N > 1 by N): the
 * same tests, run long enough to catch the rare interleavings.
 */
export const SOAK: number = (() => {
  const v = Number(process.env.RELIABILITY_SOAK ?? 0);
  if (!(v > 0)) return 1;
  return v === 1 ? 10 : Math.floor(v);
})();

export const scaled = (ciTrials: number): number => ciTrials * SOAK;

/** A fresh folder under the OS temp dir; removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `cs-rel-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The bytes of a project and of every file SQLite may keep beside it, and the folder's listing:
 * equal before and after means not a byte was written, not even a journal created.
 */
export function fingerprint(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const p = path + suffix;
    out[basename(p)] = existsSync(p) ? sha256(readFileSync(p)) : 'absent';
  }
  out['folder'] = readdirSync(dirname(path)).sort().join('|');
  return out;
}

/**
 * {@link fingerprint}, computed in another process. Needed while this process holds the project
 * open: POSIX locks belong to the process, and closing any descriptor on the file here would
 * release the store's exclusive lock.
 */
export function fingerprintOutside(path: string): Record<string, string> {
  const script = `
    const { createHash } = require('node:crypto');
    const { existsSync, readFileSync, readdirSync } = require('node:fs');
    const { basename, dirname } = require('node:path');
    const path = process.argv[1];
    const out = {};
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      const p = path + suffix;
      out[basename(p)] = existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent';
    }
    out.folder = readdirSync(dirname(path)).sort().join('|');
    process.stdout.write(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['-e', script, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fingerprint failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}

/** A seeded generator for test data (mulberry32): the same seed, the same bytes, in any process. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A (rows × cols) float64 dataset of seeded uniform values with a two-class label. */
export function randomDataset(name: string, rows: number, cols: number, seed = 1): NewDataset {
  const r = rng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = r() * 100;
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = r() < 0.5 ? 0 : 1;
  return {
    name,
    source: 'test:reliability',
    X: { rows, cols, data },
    featureNames: Array.from({ length: cols }, (_, j) => `f${j}`),
    labelName: 'y',
    labelClasses: ['a', 'b'],
    labels,
  };
}

const bundles = new Map<string, string>();

/**
 * Compiles a child-process script (and the real store / backend code it imports) into one
 * JavaScript file under .tmp/, so that each child starts in plain Node in about a tenth of a
 * second instead of the better part of a second under `--import tsx`: a hundred kill trials
 * then fit in CI. The code is the same source, compiled by the esbuild that tsx itself uses.
 * better-sqlite3 and sharp stay external (native modules), resolved from the repository's node_modules.
 */
export function bundleChild(script: string): string {
  const entry = resolve(FIXTURES, script);
  const known = bundles.get(entry);
  if (known) return known;
  const outDir = join(ROOT, '.tmp/reliability');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(script, '.ts')}-${process.pid}.mjs`);
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'sharp'],
    define: { __CLUSTERSCOPE_VERSION__: '"test"' },
    logLevel: 'silent',
  });
  bundles.set(entry, outfile);
  return outfile;
}

export function removeBundles(): void {
  for (const f of bundles.values()) rmSync(f, { force: true });
  bundles.clear();
}

/** A child process whose stdout is read line by line. */
export interface LineChild {
  child: ChildProcess;
  /** Every complete line printed so far. */
  lines: string[];
  /** Resolves with the first line matching `test` (or rejects when the child exits first). */
  waitFor(test: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function spawnLines(file: string, args: string[], opts: { execArgv?: string[]; onLine?: (line: string) => void } = {}): LineChild {
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { test: (l: string) => boolean; ok: (l: string) => void; fail: (e: Error) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      opts.onLine?.(line);
      for (const w of [...waiters]) {
        if (w.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.ok(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((ok) => {
    // 'close' rather than 'exit': every byte the child wrote has been read by then.
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.fail(new Error(`the child exited (${signal ?? code}) before printing the line awaited; stderr: ${stderr.slice(-2000)}`));
      ok({ code, signal, stderr });
    });
  });
  return {
    child,
    lines,
    exited,
    waitFor(test) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((ok, fail) => waiters.push({ test, ok, fail }));
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let mountable: boolean | null = null;

/**
 * Whether this process may mount file systems (root with CAP_SYS_ADMIN, as on a CI runner or a
 * developer's VM; not in an unprivileged container). Tried once with a 1 MiB tmpfs.
 */
export function canMount(): boolean {
  if (mountable !== null) return mountable;
  mountable = false;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return mountable;
  const probe = mkdtempSync(join(tmpdir(), 'cs-rel-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    mountable = true;
  } catch {
    mountable = false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  return mountable;
}

export function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
}

/** Unmounts, retrying while the kernel still sees the mount busy (a file closing late). */
export async function unmount(target: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      execFileSync('umount', [target], { stdio: 'pipe' });
      return;
    } catch (e) {
      if (i >= 20) throw e;
      await sleep(50);
    }
  }
}

/** What a spawner's workers did, by pid: when each was started, said 'ready', and exited. */
export interface WorkerEvent {
  pid: number | undefined;
  spawnedAt: number;
  readyAt: number | null;
  exitedAt: number | null;
  exit: { code: number | null; signal: string | null } | null;
}

/** Wraps a spawner to note each worker's start, readiness and exit (times from performance.now()). */
export function observedSpawner(base: WorkerSpawner, log: WorkerEvent[]): WorkerSpawner {
  return () => {
    const proc = base();
    const ev: WorkerEvent = { pid: proc.pid, spawnedAt: performance.now(), readyAt: null, exitedAt: null, exit: null };
    log.push(ev);
    proc.onMessage((m) => {
      if (m.type === 'ready' && ev.readyAt === null) ev.readyAt = performance.now();
    });
    proc.onExit((code, signal) => {
      ev.exitedAt = performance.now();
      ev.exit = { code, signal };
    });
    return proc;
  };
}

/** Polls `test` every few milliseconds until it holds (events first: this is for process state). */
export async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** A pool whose workers never run anything, for backend tests that start no jobs. */
export function idlePool(): WorkerPool {
  const idle = (): WorkerProcess => ({ pid: undefined, send: () => {}, onMessage: () => {}, onExit: () => {}, kill: () => {} });
  return new WorkerPool(idle, 1);
}

/** A backend on its own data folder (settings, untitled projects); `pool` defaults to an idle one. */
export function testBackend(dataDir: string, pool: WorkerPool = idlePool(), emit: ConstructorParameters<typeof Backend>[0]['emit'] = () => {}): Backend {
  return new Backend({ dataDir, resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'test' });
}
