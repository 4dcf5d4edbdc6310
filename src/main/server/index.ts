/**
 * `npm run web`: the browser host on 127.0.0.1. Prints the address (with its access token) to
 * open in a browser. Options: --port N (default: a free port), --data-dir DIR
 * (default: $CLUSTERSCOPE_HOME or the per-user data folder).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserHost } from './host';
import { defaultDataDir } from '../backend/paths';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = resolve(here, '../..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const version = __CLUSTERSCOPE_VERSION__;
const host = await startBrowserHost({
  port: Number(arg('--port') ?? process.env.PORT ?? 0),
  dataDir: resolve(arg('--data-dir') ?? defaultDataDir()),
  resourcesDir: join(appRoot, 'resources'),
  rendererDir: join(appRoot, 'out/renderer'),
  workerPath: join(here, 'cluster-worker.js'),
  poolSize: process.env.CLUSTERSCOPE_WORKERS ? Number(process.env.CLUSTERSCOPE_WORKERS) : undefined,
  version,
});
console.log(`Clusterscope (browser host) is running at ${host.url}`);
console.log('Open that address in a browser. Press Ctrl+C to stop.');

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    void host.close().then(() => process.exit(0));
  });
}
