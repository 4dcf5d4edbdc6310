import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aboutText, DATA_CREDITS } from '../../../src/main/electron/about';

const root = resolve(__dirname, '../../..');

describe('About box', () => {
  const text = aboutText({
    version: '1.2.3',
    versions: { electron: '45.5.0', chrome: '142.0.1', node: '22.20.0', v8: '14.2' },
    platform: 'linux',
    arch: 'x64',
  });

  it('states the app version and the runtime versions', () => {
    expect(text.message).toBe('Clusterscope 1.2.3');
    for (const v of ['Electron 45.5.0', 'Chromium 142.0.1', 'Node.js 22.20.0', 'V8 14.2', 'linux x64']) expect(text.detail).toContain(v);
  });

  it('credits the data: AT&T Laboratories Cambridge, UCI, LeCun et al. and A. Géron', () => {
    for (const who of ['AT&T Laboratories Cambridge', 'UCI Machine Learning Repository', 'LeCun', 'Géron']) expect(text.detail).toContain(who);
    expect(text.detail.match(/UCI Machine Learning Repository/g)).toHaveLength(2); // digits and iris
  });

  it('agrees with the credits shipped beside the samples', () => {
    const credits = readFileSync(join(root, 'resources/samples/CREDITS.md'), 'utf8');
    for (const name of ['AT&T Laboratories Cambridge', 'Alpaydin', 'Fisher', 'LeCun', 'Géron']) {
      expect(credits, name).toContain(name);
      expect(DATA_CREDITS.some((c) => c.credit.includes(name)), name).toBe(true);
    }
  });

  it('leaves out versions it was not given rather than printing undefined', () => {
    const t = aboutText({ version: '1', versions: { node: '24.0.0' }, platform: 'darwin', arch: 'arm64' });
    expect(t.detail).not.toMatch(/undefined|Electron/);
    expect(t.detail).toContain('Node.js 24.0.0');
  });
});
