import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  guardWebContents,
  isAllowedExternal,
  isAppUrl,
  isTrustedSender,
  lockSession,
  secureWebPreferences,
  type GuardableWebContents,
  type LockableSession,
  type NavigationEvent,
  type ResponseHeaders,
} from '../../../src/main/electron/security';

const APP_FILE = 'file:///opt/Clusterscope/resources/app.asar/out/renderer/index.html';
const DEV_SERVER = 'http://localhost:5173/';

/** A WebContents that records the handlers the guard installs. */
function fakeWebContents() {
  const listeners = new Map<string, (event: NavigationEvent) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const wc: GuardableWebContents = {
    on(event: string, listener: (event: NavigationEvent) => void) {
      expect(listeners.has(event), `one ${event} listener`).toBe(false);
      listeners.set(event, listener);
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  };
  const opened: string[] = [];
  const openExternal = vi.fn(async (url: string) => {
    opened.push(url);
  });
  /** Fires `event` for `url`; true when the handler prevented it. */
  const fire = (event: string, url = ''): boolean => {
    const listener = listeners.get(event);
    expect(listener, `a ${event} listener`).toBeDefined();
    let prevented = false;
    listener!({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const open = (url: string): { action: string } => {
    expect(openHandler, 'a window open handler').not.toBeNull();
    return openHandler!({ url });
  };
  return { wc, fire, open, opened, openExternal };
}

function guarded(devServerUrl: string | undefined) {
  const f = fakeWebContents();
  guardWebContents(f.wc, { devServerUrl, openExternal: f.openExternal });
  return f;
}

/** A Session that records the handlers the lock installs. */
function fakeSession() {
  const h: {
    request?: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: (wc: unknown, permission: string) => boolean;
    device?: (details: unknown) => boolean;
    headers?: (details: { responseHeaders?: ResponseHeaders }, callback: (response: { responseHeaders?: ResponseHeaders }) => void) => void;
  } = {};
  const ses: LockableSession = {
    setPermissionRequestHandler: (handler) => (h.request = handler),
    setPermissionCheckHandler: (handler) => (h.check = handler),
    setDevicePermissionHandler: (handler) => (h.device = handler),
    webRequest: { onHeadersReceived: (listener) => (h.headers = listener) },
  };
  lockSession(ses, CONTENT_SECURITY_POLICY);
  const respond = (responseHeaders: ResponseHeaders | undefined): ResponseHeaders => {
    let out: ResponseHeaders | undefined;
    h.headers!({ responseHeaders }, (r) => (out = r.responseHeaders));
    expect(out).toBeDefined();
    return out!;
  };
  return { h, respond };
}

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    expect(m.has(name!), `directive ${name} given once`).toBe(false);
    m.set(name!, sources);
  }
  return m;
}

const PERMISSIONS = [
  'camera',
  'microphone',
  'media',
  'notifications',
  'geolocation',
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'midi',
  'midiSysex',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'fileSystem',
  'hid',
  'serial',
  'usb',
  'idle-detection',
  'window-management',
  'unknown',
];

describe('desktop host security', () => {
  describe('window preferences', () => {
    it('isolate the page, sandbox it and give it no Node', () => {
      expect(secureWebPreferences('/app/out/preload/index.cjs')).toStrictEqual({
        preload: '/app/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
      });
    });

    it('are a fresh object each time, so one window cannot loosen another', () => {
      const a = secureWebPreferences('p');
      expect(a).not.toBe(secureWebPreferences('p'));
    });

    it('are used by every BrowserWindow the main process creates', () => {
      const dir = join(__dirname, '../../../src/main/electron');
      let windows = 0;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
        const source = readFileSync(join(dir, file), 'utf8');
        // Each `new BrowserWindow(` must be given its options inline, with the factory's preferences.
        for (const m of source.matchAll(/new\s+BrowserWindow\s*\(/g)) {
          windows++;
          const rest = source.slice(m.index! + m[0].length);
          expect(rest.trimStart().startsWith('{'), `${file}: new BrowserWindow takes an inline options object`).toBe(true);
          const block = optionsBlock(rest);
          expect(block, `${file}: new BrowserWindow uses secureWebPreferences`).toMatch(/\bwebPreferences:\s*secureWebPreferences\(/);
          expect(block.match(/webPreferences/g), `${file}: webPreferences given once`).toHaveLength(1);
        }
        expect(source, `${file}: no BrowserView / WebContentsView without the factory`).not.toMatch(/new\s+(BrowserView|WebContentsView)\s*\(/);
      }
      expect(windows).toBeGreaterThan(0);
    });
  });

  describe('navigation', () => {
    it.each(['https://evil.example', 'http://localhost:5173/', 'file:///etc/passwd', 'file:///home/x/index.html', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'about:blank', 'not a url'])(
      'is stopped away from the packaged app: %s',
      (url) => {
        const f = guarded(undefined);
        expect(f.fire('will-navigate', url)).toBe(true);
        expect(f.fire('will-redirect', url)).toBe(true);
      },
    );

    it.each(['https://evil.example', 'http://localhost:5174/', 'http://evil.example:5173/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x'])(
      'is stopped away from the dev server: %s',
      (url) => {
        const f = guarded(DEV_SERVER);
        expect(f.fire('will-navigate', url)).toBe(true);
        expect(f.fire('will-redirect', url)).toBe(true);
      },
    );

    it('is allowed within the app page', () => {
      expect(guarded(undefined).fire('will-navigate', APP_FILE)).toBe(false);
      expect(guarded(undefined).fire('will-navigate', `${APP_FILE}#/clusters`)).toBe(false);
      expect(guarded(DEV_SERVER).fire('will-navigate', 'http://localhost:5173/#/data')).toBe(false);
      expect(guarded(DEV_SERVER).fire('will-redirect', 'http://localhost:5173/index.html')).toBe(false);
    });

    it('never attaches a webview', () => {
      expect(guarded(undefined).fire('will-attach-webview')).toBe(true);
      expect(guarded(DEV_SERVER).fire('will-attach-webview')).toBe(true);
    });
  });

  describe('window.open', () => {
    const refused = [
      'http://scikit-learn.org/stable/',
      'https://evil.example/',
      'https://scikit-learn.org@evil.example/',
      'https://user:pass@github.com/',
      'https://user@github.com/',
      'https://scikit-learn.org.evil.example/',
      'https://evilgithub.com/',
      'https://github.com:8443/',
      'https://github.com./',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,x',
      APP_FILE,
      'about:blank',
      '',
      'github.com',
    ];
    const allowed = ['https://scikit-learn.org/stable/modules/clustering.html', 'https://github.com/owner/repo', 'https://archive.ics.uci.edu/dataset/53/iris', 'https://www.electronjs.org/docs', 'https://GitHub.com/x'];

    it('never opens a window', () => {
      const f = guarded(undefined);
      for (const url of [...refused, ...allowed]) expect(f.open(url), url).toStrictEqual({ action: 'deny' });
    });

    it('hands only allow-listed https links to the system browser', () => {
      const f = guarded(undefined);
      for (const url of [...refused, ...allowed]) f.open(url);
      expect(f.opened).toStrictEqual(allowed);
      for (const url of refused) expect(isAllowedExternal(url), url).toBe(false);
      for (const url of allowed) expect(isAllowedExternal(url), url).toBe(true);
    });

    it('survives a system browser that cannot be started', async () => {
      const f = fakeWebContents();
      const openExternal = vi.fn(() => Promise.reject(new Error('no browser')));
      guardWebContents(f.wc, { devServerUrl: undefined, openExternal });
      expect(f.open('https://github.com/')).toStrictEqual({ action: 'deny' });
      await Promise.resolve();
      expect(openExternal).toHaveBeenCalledOnce();
    });
  });

  describe('session', () => {
    it.each(PERMISSIONS)('refuses the permission request: %s', (permission) => {
      const { h } = fakeSession();
      const callback = vi.fn();
      h.request!({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(h.check!({}, permission)).toBe(false);
    });

    it('refuses every device (HID, serial, USB)', () => {
      const { h } = fakeSession();
      expect(h.device!({ deviceType: 'hid', origin: 'file://' })).toBe(false);
      expect(h.device!({ deviceType: 'usb', origin: 'https://evil.example' })).toBe(false);
    });

    it('adds the CSP to every response', () => {
      const { respond } = fakeSession();
      expect(respond(undefined)).toStrictEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
      expect(respond({ 'Content-Type': ['text/html'], 'X-Other': 'kept' })).toStrictEqual({
        'Content-Type': ['text/html'],
        'X-Other': 'kept',
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      });
    });

    it("replaces the server's CSP, whatever its case", () => {
      const { respond } = fakeSession();
      const out = respond({
        'content-security-policy': ["default-src *; script-src 'unsafe-eval' https://cdn.example"],
        'CONTENT-SECURITY-POLICY': ['default-src *'],
        'Content-Security-Policy': ['default-src *'],
        'Content-Type': ['text/html'],
      });
      const csps = Object.entries(out).filter(([k]) => k.toLowerCase() === 'content-security-policy');
      expect(csps).toStrictEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
      expect(out['Content-Type']).toStrictEqual(['text/html']);
    });
  });

  describe('the content security policy', () => {
    const csp = directives(CONTENT_SECURITY_POLICY);

    it('is the strict policy the renderer is built for', () => {
      expect(Object.fromEntries(csp)).toStrictEqual({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'none'"],
      });
    });

    it('runs only the app’s own scripts', () => {
      const scripts = csp.get('script-src') ?? csp.get('default-src')!;
      expect(scripts).toStrictEqual(["'self'"]);
      expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
      // No remote origin, scheme or wildcard anywhere (data: and blob: only for images).
      for (const [name, sources] of csp) {
        for (const s of sources) expect(s, `${name} ${s}`).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/);
        if (name !== 'img-src') expect(sources, name).not.toContain('data:');
      }
      expect(csp.get('style-src')).not.toContain('data:');
    });

    it('allows no plugins, no base tag, no framing and no form posts', () => {
      expect(csp.get('object-src')).toStrictEqual(["'none'"]);
      expect(csp.get('base-uri')).toStrictEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toStrictEqual(["'none'"]);
      expect(csp.get('form-action')).toStrictEqual(["'none'"]);
    });

    it('matches the meta tag of the renderer page, which the browser host also serves', () => {
      const html = readFileSync(join(__dirname, '../../../src/renderer/index.html'), 'utf8');
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
      expect(meta).toBeDefined();
      // A meta tag cannot carry frame-ancestors; everything else is the same policy.
      const header = new Map(csp);
      header.delete('frame-ancestors');
      expect(directives(meta!)).toStrictEqual(header);
    });
  });

  describe('IPC senders', () => {
    const win = { id: 1 };
    const other = { id: 2 };
    const known = new Set([win]);
    const top = (url: string) => ({ url, parent: null });

    it('accepts the app window, from its top frame on the app page', () => {
      expect(isTrustedSender({ sender: win, senderFrame: top(APP_FILE) }, known, undefined)).toBe(true);
      expect(isTrustedSender({ sender: win, senderFrame: top('http://localhost:5173/#/data') }, known, DEV_SERVER)).toBe(true);
    });

    it('refuses a sender the app did not make', () => {
      expect(isTrustedSender({ sender: other, senderFrame: top(APP_FILE) }, known, undefined)).toBe(false);
      expect(isTrustedSender({ sender: other, senderFrame: top(APP_FILE) }, new Set(), undefined)).toBe(false);
    });

    it.each(['https://evil.example/', 'file:///etc/passwd', 'file:///tmp/x.html', 'data:text/html,x', 'about:blank', '', 'http://localhost:5174/'])(
      'refuses a frame not on the app page: %s',
      (url) => {
        expect(isTrustedSender({ sender: win, senderFrame: top(url) }, known, undefined)).toBe(false);
        expect(isTrustedSender({ sender: win, senderFrame: top(url) }, known, DEV_SERVER)).toBe(false);
      },
    );

    it('refuses a subframe, even of the app page', () => {
      expect(isTrustedSender({ sender: win, senderFrame: { url: APP_FILE, parent: top(APP_FILE) } }, known, undefined)).toBe(false);
    });

    it('refuses a frame that is gone', () => {
      expect(isTrustedSender({ sender: win, senderFrame: null }, known, undefined)).toBe(false);
    });
  });

  describe('the main process', () => {
    const dir = join(__dirname, '../../../src/main/electron');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');

    it('applies these rules, and only through them', () => {
      expect(index).toMatch(/app\.on\('web-contents-created',\s*\(_e, contents\) => \{\s*guardWebContents\(contents, \{ devServerUrl, rendererFile, openExternal: \(url\) => shell\.openExternal\(url\) \}\);/);
      expect(index).toMatch(/lockSession\(session\.defaultSession, CONTENT_SECURITY_POLICY\)/);
      expect(index).toMatch(/ipcMain\.handle\(CHANNEL_PREFIX \+ path, async \(event, \.\.\.args: unknown\[\]\) => \{\s*\/\/[^\n]*\n\s*if \(!isTrustedSender\(event, windows, devServerUrl, rendererFile\)\)/);
      // The file the windows load is the one the rules trust.
      expect(index).toMatch(/const rendererFile = join\(here, '\.\.\/renderer\/index\.html'\);/);
      expect(index.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(1);
      // No second, hand-written copy of a rule that the tests above would not see.
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'security.ts')) {
        const source = readFileSync(join(dir, file), 'utf8');
        expect(source, file).not.toMatch(/setWindowOpenHandler|setPermission\w*Handler|onHeadersReceived|'will-navigate'|'will-redirect'/);
      }
    });
  });

  describe('app pages', () => {
    it('are the built renderer page or the dev server origin', () => {
      expect(isAppUrl(APP_FILE, undefined)).toBe(true);
      expect(isAppUrl('file:///C:/Program%20Files/Clusterscope/resources/app.asar/out/renderer/index.html', undefined)).toBe(true);
      expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false);
      expect(isAppUrl('http://localhost:5173/anything', DEV_SERVER)).toBe(true);
      expect(isAppUrl('https://localhost:5173/', DEV_SERVER)).toBe(false);
      expect(isAppUrl('file:///out/renderer/other.html', DEV_SERVER)).toBe(false);
    });

    it('given the renderer file, are that very file only: not another renderer/index.html on disk', () => {
      const file = '/opt/Clusterscope/resources/app.asar/out/renderer/index.html';
      expect(isAppUrl(APP_FILE, undefined, file)).toBe(true);
      expect(isAppUrl(`${APP_FILE}#/clusters`, undefined, file)).toBe(true);
      // Percent-encoding does not make another file, nor the same one foreign.
      expect(isAppUrl('file:///opt/Clusterscope/resources/app.asar/out/renderer/%69ndex.html', undefined, file)).toBe(true);
      for (const other of [
        'file:///tmp/evil/renderer/index.html',
        'file:///home/someone/Downloads/out/renderer/index.html',
        'file:///opt/Clusterscope/resources/app.asar/out/renderer/index.html.evil/renderer/index.html',
        'file:///opt/Clusterscope/resources/app.asar/out/renderer/../../../../tmp/renderer/index.html',
      ]) {
        expect(isAppUrl(other, undefined, file), other).toBe(false);
      }
      // The dev server is still the app in development.
      expect(isAppUrl('http://localhost:5173/', DEV_SERVER, file)).toBe(true);
    });

    it('given the renderer file, decide navigation and IPC trust by it', () => {
      const file = '/opt/Clusterscope/resources/app.asar/out/renderer/index.html';
      const sender = {};
      const known = new Set([sender]);
      expect(isTrustedSender({ sender, senderFrame: { url: APP_FILE } }, known, undefined, file)).toBe(true);
      expect(isTrustedSender({ sender, senderFrame: { url: 'file:///tmp/evil/renderer/index.html' } }, known, undefined, file)).toBe(false);
    });
  });
});

/** The text of the `{ … }` object at the start of `text`, braces balanced. */
function optionsBlock(text: string): string {
  const start = text.indexOf('{');
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced options object');
}
