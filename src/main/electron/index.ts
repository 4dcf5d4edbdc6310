/**
 * The desktop app's main process: one window with the secure preferences, the backend over
 * IPC, workers as utilityProcesses. The only folder that imports `electron`.
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell, type WebContents } from 'electron';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_PREFIX, EVENT_CHANNEL, registerApi, type ApiEvents } from '../../shared/api';
import { Backend } from '../backend/backend';
import { WorkerPool, defaultPoolSize } from '../backend/jobs/pool';
import { CONTENT_SECURITY_POLICY, isAllowedExternal, isAppUrl, secureWebPreferences } from './security';
import { utilityProcessSpawner } from './utility-process';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const windows = new Set<WebContents>();

function emit<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void {
  for (const wc of windows) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, event, payload);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Clusterscope',
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs')),
  });
  const wc = win.webContents;
  windows.add(wc);
  win.on('closed', () => windows.delete(wc));
  win.once('ready-to-show', () => win.show());
  wc.on('will-navigate', (e, url) => {
    if (!isAppUrl(url, devServerUrl)) e.preventDefault();
  });
  wc.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

app.enableSandbox();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  const pool = new WorkerPool(utilityProcessSpawner(join(here, 'cluster-worker.js')), defaultPoolSize(availableParallelism()), {
    silenceTimeoutMs: 120_000,
  });
  const backend = new Backend({
    dataDir: app.getPath('userData'),
    resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources'),
    pool,
    emit,
    host: 'electron',
    version: app.getVersion(),
    versions: { electron: process.versions.electron, chrome: process.versions.chrome },
    dialogs: {
      async pickOpen(opts) {
        const r = await dialog.showOpenDialog({ title: opts.title, properties: ['openFile'], filters: [{ name: opts.title, extensions: opts.extensions }] });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      async pickSave(opts) {
        const r = await dialog.showSaveDialog({ title: opts.title, defaultPath: opts.defaultName, filters: [{ name: opts.title, extensions: opts.extensions }] });
        return r.canceled ? null : (r.filePath ?? null);
      },
    },
  });

  registerApi(backend, (path, handler) => {
    ipcMain.handle(CHANNEL_PREFIX + path, async (event, ...args: unknown[]) => {
      // Only our own windows showing our own page may call the backend.
      const frameUrl = event.senderFrame?.url ?? '';
      if (!windows.has(event.sender) || !isAppUrl(frameUrl, devServerUrl)) {
        return { ok: false, error: { name: 'ApiError', message: 'refused: unknown sender', code: 'forbidden' } };
      }
      try {
        return { ok: true, result: await handler(args) };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { ok: false, error: { name: err.name, message: err.message, code: typeof err.code === 'string' ? err.code : 'error' } };
      }
    });
  });

  await backend.init();
  createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => {
    backend.dispose();
    pool.dispose();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
