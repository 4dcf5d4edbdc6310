// Lint: the import directions of ../shared/STYLE.md, enforced per folder, plus the TypeScript and
// Svelte recommended rules. A file's folder says which runtime it lives in and what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'http', 'net', 'crypto', 'url', 'stream', 'zlib'];
const NATIVE = ['better-sqlite3', 'sharp', 'ws'];

/** `no-restricted-imports` with the given forbidden module patterns and a reason. */
function layer(files, forbidden, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.browser },
    },
    rules: { 'svelte/no-at-html-tags': 'error' },
  },
  layer(
    ['src/core/**'],
    [...NODE_BUILTINS, 'electron', ...NATIVE, 'csv-parse', 'csv-parse/*', 'd3*', 'svelte', 'svelte/*', '**/shared/**', '**/main/**', '**/renderer/**', '**/preload/**'],
    'src/core is pure TypeScript: it imports only core and ml-matrix.',
  ),
  layer(
    ['src/shared/**'],
    [...NODE_BUILTINS, 'electron', ...NATIVE, '**/main/**', '**/renderer/**', '**/preload/**'],
    'src/shared is the contract: it imports only shared and core types.',
  ),
  layer(
    ['src/main/backend/**', 'src/main/worker/**', 'src/main/server/**', 'src/main/cli/**'],
    ['electron', 'electron/*', '**/electron/**', '**/renderer/**', '**/preload/**'],
    'The backend runs in the browser host and the CLI too: never import electron here.',
  ),
  layer(['src/main/electron/**'], ['**/renderer/**', '**/preload/**'], 'The main process talks to the renderer only through the contract.'),
  layer(
    ['src/preload/**'],
    [...NODE_BUILTINS, ...NATIVE, '**/main/**', '**/renderer/**', '**/core/**'],
    'The sandboxed preload exposes the typed API and nothing else.',
  ),
  {
    ...layer(
      ['src/renderer/**'],
      [...NODE_BUILTINS, 'electron', 'electron/*', ...NATIVE, '**/main/**', '**/preload/**'],
      'The renderer talks to the backend only through window.api.',
    ),
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The `electron` package only (a bare pattern would also match paths through src/main/electron/,
    // whose pure, electron-free modules tests do load).
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Tests run in plain Node: never import electron.' }],
          patterns: [{ group: ['electron/*'], message: 'Tests run in plain Node: never import electron.' }],
        },
      ],
    },
  },
);
