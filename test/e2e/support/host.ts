/**
 * Starts the built browser host (out/main/server.js, as `npm run web` does) on a free port with a
 * fresh data folder, and stops it after the test. `npm run build` must have run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED = resolve(ROOT, '../shared');

export interface RunningHost {
  url: string;
  origin: string;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function startHost(opts: { dataDir?: string; keepDataDir?: boolean } = {}): Promise<RunningHost> {
  const server = join(ROOT, 'out/main/server.js');
  if (!existsSync(server)) throw new Error('out/main/server.js is missing: run `npm run build` before the e2e tests');
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'clusterscope-e2e-'));
  const proc = spawn(process.execPath, [server, '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, CLUSTERSCOPE_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`browser host did not start:\n${output}`)), 30_000);
    const onData = (b: Buffer): void => {
      output += b.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`browser host exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      if (!opts.keepDataDir && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
