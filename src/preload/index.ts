/**
 * The sandboxed preload: exposes the typed API object as `window.api` and nothing else. Every
 * call goes over one `cs:`-prefixed channel per method; nothing else can be sent (`bridge.ts`,
 * which builds the object without Electron so tests can check it). The one addition is
 * `pathForFile`: a dropped File's path, which only the preload can learn (`webUtils`), for
 * `files.dropped`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadApi } from './bridge';

contextBridge.exposeInMainWorld(
  'api',
  createPreloadApi(ipcRenderer, (file) => webUtils.getPathForFile(file as File)),
);
