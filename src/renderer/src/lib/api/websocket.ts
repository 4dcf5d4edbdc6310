/**
 * The browser host's transport: one WebSocket to the backend, binary frames (see shared/wire),
 * requests matched to replies by id, reconnect with backoff when the connection drops.
 */
import { ApiError, type ApiEventName, type MethodPath, type Transport } from '../../../../shared/api';
import { decodeMessage, encodeMessage, type WireReply } from '../../../../shared/wire';

interface Waiting {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export function webSocketTransport(url: string): Transport {
  let ws: WebSocket | null = null;
  let open: Promise<WebSocket> | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();
  const listeners = new Set<(event: ApiEventName, payload: unknown) => void>();
  let retryMs = 250;

  function connect(): Promise<WebSocket> {
    if (open) return open;
    open = new Promise<WebSocket>((resolve, reject) => {
      const sock = new WebSocket(url);
      sock.binaryType = 'arraybuffer';
      sock.onopen = () => {
        ws = sock;
        retryMs = 250;
        resolve(sock);
      };
      sock.onmessage = (e) => {
        const msg = decodeMessage(new Uint8Array(e.data as ArrayBuffer)) as WireReply;
        if ('event' in msg) {
          for (const l of listeners) l(msg.event as ApiEventName, msg.payload);
          return;
        }
        const w = waiting.get(msg.id);
        if (!w) return;
        waiting.delete(msg.id);
        if (msg.ok) w.resolve(msg.result);
        else w.reject(new ApiError(msg.error.message, msg.error.code));
      };
      sock.onclose = () => {
        const wasOpen = ws === sock;
        ws = null;
        open = null;
        for (const w of waiting.values()) w.reject(new ApiError('The connection to Clusterscope was lost; retrying', 'disconnected'));
        waiting.clear();
        if (!wasOpen) reject(new ApiError('Cannot reach the Clusterscope backend (is `npm run web` still running?)', 'disconnected'));
        // Keep listening for events: reconnect in the background.
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => {}), (retryMs = Math.min(retryMs * 2, 5000)));
      };
    });
    return open;
  }

  return {
    async invoke(method: MethodPath, args: unknown[]) {
      const sock = ws ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        sock.send(encodeMessage({ id, method, args }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void connect().catch(() => {});
      return () => listeners.delete(listener);
    },
  };
}

/** Uploads a file the person chose to the browser host; returns the file reference for the API. */
export async function uploadFile(file: File): Promise<{ kind: 'upload'; id: string; name: string }> {
  const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(`Upload of ${file.name} failed: ${await res.text()}`, 'upload');
  return (await res.json()) as { kind: 'upload'; id: string; name: string };
}
