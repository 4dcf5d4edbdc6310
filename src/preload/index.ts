/**
 * The sandboxed preload: exposes the typed API object as `window.api` and nothing else. Every
 * call goes over one `cs:`-prefixed channel per method; nothing else can be sent. The one
 * addition is `pathForFile`: a dropped File's path, which only the preload can learn
 * (`webUtils`), for `files.dropped`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { ApiError, CHANNEL_PREFIX, EVENT_CHANNEL, createClient, isMethodPath, type ApiEventName, type ClientApi, type Transport } from '../shared/api';

type Reply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string; code: string } };

const transport: Transport = {
  async invoke(method, args) {
    if (!isMethodPath(method)) throw new ApiError(`unknown method '${String(method)}'`);
    const reply = (await ipcRenderer.invoke(CHANNEL_PREFIX + method, ...args)) as Reply;
    if (reply.ok) return reply.result;
    throw new ApiError(reply.error.message, reply.error.code);
  },
  subscribe(listener) {
    const handler = (_e: unknown, event: ApiEventName, payload: unknown): void => listener(event, payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

const api: ClientApi = { ...createClient(transport), pathForFile: (file: Blob) => webUtils.getPathForFile(file as File) };
contextBridge.exposeInMainWorld('api', api);
