/**
 * One factory for every window's security settings, and the rules applied to every web page and
 * to the session: a strict CSP, no navigation away from the app, no new windows, no webviews, no
 * permissions, external links only to an allow-list, IPC only from the app's own page.
 *
 * Kept free of the `electron` import so tests can check the rules without the Electron binary:
 * the functions below take small structural interfaces — the few members of `WebContents`,
 * `Session` and `IpcMainInvokeEvent` they use — and `main-window.ts` / `index.ts` hand them the
 * real objects, so the app runs exactly the code the tests exercise.
 */
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export { CONTENT_SECURITY_POLICY };

/** Hosts `shell.openExternal` may open (help and data credits). */
export const EXTERNAL_ALLOW_LIST = ['scikit-learn.org', 'github.com', 'archive.ics.uci.edu', 'www.electronjs.org'];

/**
 * True for an https URL on an allow-listed host, on the default port and without credentials
 * (`https://github.com@evil.example` names the host evil.example; a URL carrying a user name is
 * refused even on an allowed host, since its only use in a link is to mislead).
 */
export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && EXTERNAL_ALLOW_LIST.includes(u.hostname);
  } catch {
    return false;
  }
}

/**
 * The app's own pages: the packaged renderer file, or the dev server in development. Given
 * `rendererFile` (the app does), a file URL must be that very file: another `…/renderer/index.html`
 * on disk is not the app. The paths are compared decoded, so percent-encoding differences do not
 * matter, and without regard to case on Windows.
 */
export function isAppUrl(url: string, devServerUrl: string | undefined, rendererFile?: string): boolean {
  try {
    const u = new URL(url);
    if (devServerUrl) {
      const d = new URL(devServerUrl);
      if (u.origin === d.origin) return true;
    }
    if (u.protocol !== 'file:') return false;
    if (rendererFile === undefined) return u.pathname.endsWith('/renderer/index.html');
    return samePath(fileURLToPath(u), resolvePath(rendererFile));
  } catch {
    return false;
  }
}

function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

// ── Web contents ────────────────────────────────────────────────────────────────────────────

/** The part of Electron's navigation events (`will-navigate`, `will-redirect`) the guard reads. */
export interface NavigationEvent {
  readonly url: string;
  preventDefault(): void;
}

/** The part of `WebContents` the guard uses. */
export interface GuardableWebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (details: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardOptions {
  devServerUrl: string | undefined;
  /** The packaged page (`out/renderer/index.html`): the only file URL that is the app. */
  rendererFile?: string;
  /** `shell.openExternal`: called only with allow-listed URLs. */
  openExternal(url: string): Promise<void>;
}

/**
 * Keeps a page on the app: navigation and server redirects away from it are stopped, webviews
 * are never attached, and `window.open` / `target=_blank` never makes a window — an allow-listed
 * link opens in the system browser instead.
 */
export function guardWebContents(wc: GuardableWebContents, opts: GuardOptions): void {
  const stayOnApp = (details: NavigationEvent): void => {
    // Also stops a file dropped on the window from replacing the app with that file.
    if (!isAppUrl(details.url, opts.devServerUrl, opts.rendererFile)) details.preventDefault();
  };
  wc.on('will-navigate', stayOnApp);
  wc.on('will-redirect', stayOnApp);
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) {
      opts.openExternal(url).catch(() => {
        // No browser to hand it to: the link simply does nothing.
      });
    }
    return { action: 'deny' };
  });
}

// ── Session ─────────────────────────────────────────────────────────────────────────────────

export type ResponseHeaders = Record<string, string | string[]>;

/** The part of `Session` the lock uses. */
export interface LockableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (details: { responseHeaders?: ResponseHeaders }, callback: (response: { responseHeaders?: ResponseHeaders }) => void) => void,
    ): void;
  };
}

/** The response headers with every Content-Security-Policy (any case) replaced by `csp`. */
export function withCsp(headers: ResponseHeaders | undefined, csp: string): ResponseHeaders {
  const out: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/**
 * The app asks for no permission, so every request and check is refused (camera, notifications,
 * geolocation, clipboard, HID/serial/USB devices…), and every response carries the app's CSP,
 * whatever the server sent.
 */
export function lockSession(ses: LockableSession, csp: string): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders, csp) }));
}

// ── IPC ─────────────────────────────────────────────────────────────────────────────────────

/** The part of `IpcMainInvokeEvent` the sender check reads. */
export interface IpcSenderEvent<S> {
  readonly sender: S;
  /** Null once the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent?: unknown } | null;
}

/**
 * Only the app's own windows, from their top frame showing the app's page, may call the
 * backend: not a window the app did not make, not an iframe, not a page navigated elsewhere.
 */
export function isTrustedSender<S>(event: IpcSenderEvent<S>, knownSenders: ReadonlySet<S>, devServerUrl: string | undefined, rendererFile?: string): boolean {
  const frame = event.senderFrame;
  if (!knownSenders.has(event.sender) || !frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url, devServerUrl, rendererFile);
}
