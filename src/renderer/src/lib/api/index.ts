/**
 * `window.api`: the only way the renderer reaches the backend. The Electron preload installs it;
 * in the browser host, `installApi` builds the same object over a WebSocket.
 */
import { createClient, type ClientApi } from '../../../../shared/api';
import { webSocketTransport } from './websocket';

declare global {
  interface Window {
    api: ClientApi;
  }
}

export function installApi(): void {
  if (window.api) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient(webSocketTransport(`${scheme}//${location.host}/ws`));
  Object.defineProperty(window, 'api', { value: client, writable: false, configurable: false });
  // The token has become a cookie; keep it out of the address bar and history.
  if (location.search.includes('token=')) history.replaceState(null, '', location.pathname);
}
