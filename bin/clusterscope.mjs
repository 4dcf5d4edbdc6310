#!/usr/bin/env node
// The `clusterscope` command (package.json "bin"): runs the built CLI (`npm run build` first).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error('clusterscope: the CLI is not built yet; run `npm run build` in the Clusterscope folder first.');
  process.exit(2);
}
await import(cli);
