/**
 * The desktop app's main process: one instance, one window with the secure preferences, the
 * backend over IPC, workers as utilityProcesses, the native menu, and the project files the
 * system hands over. The only folder that imports `electron`; the decisions it applies (menu,
 * window placement, which files to open, whether quitting loses work) are pure modules beside it.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_PREFIX, EVENT_CHANNEL, registerApi, type ApiEvents } from '../../shared/api';
import type { CommandId } from '../../shared/commands';
import { Backend } from '../backend/backend';
import { WorkerPool, defaultPoolSize } from '../backend/jobs/pool';
import { aboutText, APP_ID } from './about';
import { createMainWindow, whenLoaded } from './main-window';
import { buildMenuTemplate, DOCS_URL, isMainProcessCommand, toElectronTemplate, type MainProcessCommand } from './menu-template';
import { isProjectFile, leadingArgCount, OpenQueue, parseForwardedLaunch, projectFilesFromArgv, type ForwardedLaunch } from './open-files';
import { pendingSaveFailure, quitChoice, quitPrompt } from './quit-guard';
import { CONTENT_SECURITY_POLICY, guardWebContents, isAllowedExternal, isTrustedSender, lockSession } from './security';
import { utilityProcessSpawner } from './utility-process';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
/** The packaged page: the only file the app's windows may show and take calls from. */
const rendererFile = join(here, '../renderer/index.html');
const windows = new Set<WebContents>();
let mainWindow: BrowserWindow | null = null;
let backend: Backend | null = null;

/** Files to open: from this launch's command line, macOS `open-file`, and later launches. */
const opens = new OpenQueue();
const argvSkip = leadingArgCount(process.defaultApp === true);
const launchFiles = projectFilesFromArgv(process.argv, { cwd: process.cwd(), skip: argvSkip });
for (const f of launchFiles) opens.push(f);

function emit<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void {
  for (const wc of windows) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, event, payload);
  if (event === 'project:changed') onProjectChanged(payload as ApiEvents['project:changed']);
}

function onProjectChanged(project: ApiEvents['project:changed']): void {
  // Untitled projects live in the app's own folder: the system's recent list is for files the
  // person named.
  if (project && !project.untitled) app.addRecentDocument(project.path);
  representFile(project);
  void refreshMenu();
}

/** macOS shows the open project's file in the title bar (its folders on Cmd+click). */
function representFile(project: ApiEvents['project:changed']): void {
  if (process.platform !== 'darwin' || !mainWindow || mainWindow.isDestroyed()) return;
  mainWindow.setRepresentedFilename(project && !project.untitled ? project.path : '');
}

function resourcesDir(): string {
  // Packaged, resources/ is an extraResources copy beside app.asar (electron-builder.config.mjs).
  return app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources');
}

function showMainWindow(): BrowserWindow {
  if (!mainWindow || mainWindow.isDestroyed()) {
    const win = createMainWindow({
      preload: join(here, '../preload/index.cjs'),
      rendererFile,
      devServerUrl,
      stateFile: join(app.getPath('userData'), 'window-state.json'),
      icon: process.platform === 'linux' ? join(resourcesDir(), 'icon.png') : null,
    });
    const wc = win.webContents;
    windows.add(wc);
    win.on('close', (e) => onWindowClose(e, win));
    win.on('closed', () => {
      windows.delete(wc);
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
    if (backend) void backend.project.current().then(representFile);
  } else {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
  return mainWindow;
}

/** Sends a command to the page, opening the window first if there is none (macOS). */
async function sendToPage(command: CommandId, args: readonly unknown[]): Promise<void> {
  const win = showMainWindow();
  await whenLoaded(win);
  emit('app:command', { command, args: [...args] });
}

const mainProcessCommands: Record<MainProcessCommand, (args: readonly unknown[]) => void> = {
  'project.openRecent': (args) => {
    if (typeof args[0] === 'string') void openProjectFile(args[0]);
  },
  'help.about': () => void showAbout(),
  'help.docs': () => {
    if (isAllowedExternal(DOCS_URL)) void shell.openExternal(DOCS_URL);
  },
};

function dispatch(command: CommandId, args: readonly unknown[]): void {
  if (isMainProcessCommand(command)) mainProcessCommands[command](args);
  else void sendToPage(command, args);
}

/** Menus are rebuilt whole when what they show changes (recent projects, an open project). */
let menuGeneration = 0;
async function refreshMenu(): Promise<void> {
  if (!backend) return;
  const gen = ++menuGeneration;
  try {
    const [recent, current] = await Promise.all([backend.project.recent(), backend.project.current()]);
    if (gen !== menuGeneration) return;
    const template = buildMenuTemplate({ platform: process.platform, recent, hasProject: current !== null, isDev: !app.isPackaged });
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronTemplate(template, dispatch)));
  } catch (e) {
    // The previous menu stays; it is at worst a stale recent list.
    console.error('Could not rebuild the menu:', e);
  }
}

async function showAbout(): Promise<void> {
  const text = aboutText({ version: app.getVersion(), versions: process.versions, platform: process.platform, arch: process.arch });
  const opts = { type: 'info' as const, title: text.title, message: text.message, detail: text.detail, buttons: ['OK'] };
  if (mainWindow && !mainWindow.isDestroyed()) await dialog.showMessageBox(mainWindow, opts);
  else await dialog.showMessageBox(opts);
}

/** Opens a project the system handed over; a file that cannot be opened says why. */
async function openProjectFile(path: string): Promise<void> {
  if (!backend) return;
  try {
    await backend.project.open(path);
  } catch (e) {
    const opts = { type: 'error' as const, message: `Could not open ${basename(path)}`, detail: (e as Error).message, buttons: ['OK'] };
    if (mainWindow && !mainWindow.isDestroyed()) await dialog.showMessageBox(mainWindow, opts);
    else await dialog.showMessageBox(opts);
  }
  if (app.isReady()) showMainWindow();
}

// ── Quitting ────────────────────────────────────────────────────────────────────────────────
// Every change is committed when it is made, so quitting asks nothing, unless the backend
// reports that its last save failed (quit-guard.ts).

let quitConfirmed = false;
let shutDown = false;

/** Asks what to do about a failed save; true when the person chose to quit anyway. */
async function confirmQuit(parent: BrowserWindow | null): Promise<boolean> {
  const failure = backend ? pendingSaveFailure(backend) : null;
  if (!failure) return true;
  const box = quitPrompt(failure);
  const { response } = parent && !parent.isDestroyed() ? await dialog.showMessageBox(parent, box) : await dialog.showMessageBox(box);
  const choice = quitChoice(response);
  if (choice === 'save-as') await sendToPage('project.saveAs', []);
  return choice === 'quit';
}

function quitAfterConfirming(parent: BrowserWindow | null): void {
  void confirmQuit(parent).then((ok) => {
    if (!ok) return;
    quitConfirmed = true;
    app.quit();
  });
}

/** Closing the last window quits on Windows and Linux: ask there, while the window is still up. */
function onWindowClose(e: Electron.Event, win: BrowserWindow): void {
  if (quitConfirmed || process.platform === 'darwin' || BrowserWindow.getAllWindows().length > 1) return;
  if (!backend || !pendingSaveFailure(backend)) return;
  e.preventDefault();
  quitAfterConfirming(win);
}

function shutdown(pool: WorkerPool): void {
  if (shutDown) return;
  shutDown = true;
  backend?.dispose();
  pool.dispose();
}

// ── Start-up ────────────────────────────────────────────────────────────────────────────────

function start(): void {
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  // Every page the app ever shows, not only the main window's, stays on the app (security.ts).
  app.on('web-contents-created', (_e, contents) => {
    guardWebContents(contents, { devServerUrl, rendererFile, openExternal: (url) => shell.openExternal(url) });
  });

  // macOS hands documents over by event, possibly before `ready` (a document launched the app).
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (isProjectFile(path)) opens.push(path);
  });

  app.on('second-instance', (_e, argv, workingDirectory, additionalData) => {
    const files = parseForwardedLaunch(additionalData)?.files ?? projectFilesFromArgv(argv, { cwd: workingDirectory, skip: argvSkip });
    for (const f of files) opens.push(f);
    if (app.isReady() && files.length === 0) showMainWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(ready);
}

async function ready(): Promise<void> {
  lockSession(session.defaultSession, CONTENT_SECURITY_POLICY);

  const pool = new WorkerPool(utilityProcessSpawner(join(here, 'cluster-worker.js')), defaultPoolSize(availableParallelism()), {
    silenceTimeoutMs: 120_000,
  });
  const be = new Backend({
    dataDir: app.getPath('userData'),
    resourcesDir: resourcesDir(),
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
      async pickFolder(opts) {
        const r = await dialog.showOpenDialog({ title: opts.title, properties: ['openDirectory'] });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
    },
  });

  registerApi(be, (path, handler) => {
    ipcMain.handle(CHANNEL_PREFIX + path, async (event, ...args: unknown[]) => {
      // Only our own windows showing our own page may call the backend.
      if (!isTrustedSender(event, windows, devServerUrl, rendererFile)) {
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

  await be.init();
  backend = be;

  // One project is open at a time: of the files given at launch, the last one wins.
  const startupFile = opens.drain().at(-1);
  if (startupFile) await openProjectFile(startupFile);
  opens.start((path) => void openProjectFile(path));

  await refreshMenu();
  showMainWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
  app.on('before-quit', (e) => {
    if (!quitConfirmed && pendingSaveFailure(be)) {
      e.preventDefault();
      quitAfterConfirming(mainWindow);
      return;
    }
    shutdown(pool);
  });
}

// A second launch (a double-clicked project while the app runs) hands its files to this one
// and exits; the first instance opens them and comes to the front.
if (!app.requestSingleInstanceLock({ files: launchFiles } satisfies ForwardedLaunch)) {
  app.quit();
} else {
  start();
}
