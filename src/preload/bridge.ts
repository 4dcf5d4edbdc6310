/**
 * What the preload exposes as `window.api`, built from the few `ipcRenderer` calls it needs so
 * that it can be checked without Electron: exactly the typed API of `shared/api.ts` and
 * `pathForFile`, every call on its own `cs:` channel, events handed over without the IPC event
 * (whose `sender` is `ipcRenderer` itself).
 */
import { ApiError, CHANNEL_PREFIX, EVENT_CHANNEL, createClient, isMethodPath, type ApiEventName, type ClientApi, type Transport } from '../shared/api';

/** The part of `ipcRenderer` the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Reply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string; code: string } };

/** The IPC transport: one channel per method of the contract, nothing else can be sent. */
export function ipcTransport(ipc: RendererIpc): Transport {
  return {
    async invoke(method, args) {
      if (!isMethodPath(method)) throw new ApiError(`unknown method '${String(method)}'`);
      const reply = (await ipc.invoke(CHANNEL_PREFIX + method, ...args)) as Reply;
      if (reply.ok) return reply.result;
      throw new ApiError(reply.error.message, reply.error.code);
    },
    subscribe(listener) {
      const handler = (_e: unknown, event: unknown, payload: unknown): void => listener(event as ApiEventName, payload);
      ipc.on(EVENT_CHANNEL, handler);
      return () => ipc.removeListener(EVENT_CHANNEL, handler);
    },
  };
}

/** The object the preload hands to `contextBridge.exposeInMainWorld('api', …)`. */
export function createPreloadApi(ipc: RendererIpc, pathForFile: (file: Blob) => string): ClientApi {
  return Object.freeze({ ...createClient(ipcTransport(ipc)), pathForFile: (file: Blob) => pathForFile(file) });
}
