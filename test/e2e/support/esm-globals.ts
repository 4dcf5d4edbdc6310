/**
 * host.ts finds the repository from `__dirname`, which ES modules do not define (package.json
 * has "type": "module", so Playwright loads the specs as ESM). Importing this module before
 * host.ts gives it the CommonJS value it expects: the folder of the support files.
 * TODO: drop this once host.ts derives its folder from `import.meta.url`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __dirname?: string };
g.__dirname ??= dirname(fileURLToPath(import.meta.url));
