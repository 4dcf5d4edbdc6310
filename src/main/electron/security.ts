/**
 * One factory for every window's security settings, and the session-wide rules: a strict CSP,
 * no navigation away from the app, no new windows, no permissions, external links only to an
 * allow-list. Kept free of the `electron` import (the rules are data and pure functions) so
 * tests can check them without the Electron binary.
 */
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

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_ALLOW_LIST.includes(u.hostname);
  } catch {
    return false;
  }
}

/** The app's own pages: the packaged renderer file, or the dev server in development. */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  try {
    const u = new URL(url);
    if (devServerUrl) {
      const d = new URL(devServerUrl);
      if (u.origin === d.origin) return true;
    }
    return u.protocol === 'file:' && u.pathname.endsWith('/renderer/index.html');
  } catch {
    return false;
  }
}
