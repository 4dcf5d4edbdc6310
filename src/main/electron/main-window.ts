/**
 * The main window: the secure preferences, and its size and position kept across launches
 * (placement and persistence are the pure logic of `window-state.ts`). The navigation and
 * new-window rules are applied to every page as it is created (`guardWebContents` in index.ts).
 */
import { BrowserWindow, screen } from 'electron';
import { PRODUCT_NAME } from './about';
import { secureWebPreferences } from './security';
import { debounce, placeWindow, readWindowState, writeWindowState, type WindowSizes } from './window-state';

export const WINDOW_SIZES: WindowSizes = { width: 1360, height: 880, minWidth: 900, minHeight: 600 };

/** Moves and resizes come in bursts; the state is written this long after the last one. */
const SAVE_DELAY_MS = 500;

export interface MainWindowOptions {
  preload: string;
  /** The built page (`out/renderer/index.html`), loaded when there is no dev server. */
  rendererFile: string;
  devServerUrl: string | undefined;
  /** The JSON file in userData holding the window state. */
  stateFile: string;
  /** The window icon where the platform takes it from the window (Linux); null elsewhere. */
  icon: string | null;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const placed = placeWindow(
    readWindowState(opts.stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
    WINDOW_SIZES,
  );
  const win = new BrowserWindow({
    ...placed.bounds,
    minWidth: WINDOW_SIZES.minWidth,
    minHeight: WINDOW_SIZES.minHeight,
    show: false,
    title: PRODUCT_NAME,
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: secureWebPreferences(opts.preload),
  });
  keepWindowState(win, opts.stateFile);
  win.once('ready-to-show', () => {
    if (placed.maximized) win.maximize();
    win.show();
  });

  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(opts.rendererFile);
  return win;
}

/** Saves the window's normal bounds and maximized state, debounced, and once more on close. */
function keepWindowState(win: BrowserWindow, file: string): void {
  const save = debounce(() => {
    if (win.isDestroyed()) return;
    try {
      // Normal bounds: a maximized window reopens maximized, and un-maximizes to where it was.
      writeWindowState(file, { bounds: win.getNormalBounds(), maximized: win.isMaximized() || win.isFullScreen() });
    } catch {
      // The window's place is a convenience; a full disk must not disturb the app over it.
    }
  }, SAVE_DELAY_MS);
  const schedule = (): void => save.schedule();
  win.on('resize', schedule);
  win.on('move', schedule);
  win.on('maximize', schedule);
  win.on('unmaximize', schedule);
  win.on('enter-full-screen', schedule);
  win.on('leave-full-screen', schedule);
  win.on('close', () => save.flush());
}

/** Resolves once the page has loaded, so an event sent then reaches its listeners. */
export function whenLoaded(win: BrowserWindow): Promise<void> {
  if (!win.webContents.isLoading()) return Promise.resolve();
  return new Promise((resolve) => win.webContents.once('did-finish-load', () => resolve()));
}
