/**
 * The main window's size, position and maximized state across launches: read from and written
 * to one JSON file in userData, and placed back on a display that is still there. A saved
 * position can point at a monitor that has been unplugged or a resolution that has shrunk, so
 * the saved bounds are never used as they are: they are clamped into a display's work area.
 * Pure logic and `node:fs`; the Electron layer supplies the displays and the window.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The window's normal (not maximized) bounds, in screen coordinates. */
  bounds: Rect;
  maximized: boolean;
}

export interface WindowSizes {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A saved state, or null when the value is not one (a damaged file starts from the defaults). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (!raw || typeof raw !== 'object') return null;
  const { bounds, maximized } = raw as Record<string, unknown>;
  if (!bounds || typeof bounds !== 'object') return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (![x, y, width, height].every(isFiniteNumber)) return null;
  if ((width as number) <= 0 || (height as number) <= 0) return null;
  return { bounds: { x: x as number, y: y as number, width: width as number, height: height as number }, maximized: maximized === true };
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

function centeredIn(area: Rect, width: number, height: number): Rect {
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where the window opens. With no saved state: the default size, centred on the primary
 * display. Otherwise on the display that showed most of it, resized to fit that display's work
 * area (never below the minimum size unless the display itself is smaller) and moved so that
 * all of it is visible; a window on no display at all is centred on the primary one.
 *
 * @param workAreas every display's work area (screen minus taskbars and docks)
 * @param primary the primary display's work area
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect, sizes: WindowSizes): WindowState {
  const fit = (area: Rect, width: number, height: number): { width: number; height: number } => ({
    width: Math.round(clamp(width, Math.min(sizes.minWidth, area.width), area.width)),
    height: Math.round(clamp(height, Math.min(sizes.minHeight, area.height), area.height)),
  });
  if (!saved) {
    const { width, height } = fit(primary, sizes.width, sizes.height);
    return { bounds: centeredIn(primary, width, height), maximized: false };
  }
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const a = overlapArea(saved.bounds, area);
    if (a > bestArea) [best, bestArea] = [area, a];
  }
  if (!best) {
    const { width, height } = fit(primary, saved.bounds.width, saved.bounds.height);
    return { bounds: centeredIn(primary, width, height), maximized: saved.maximized };
  }
  const { width, height } = fit(best, saved.bounds.width, saved.bounds.height);
  return {
    bounds: {
      x: Math.round(clamp(saved.bounds.x, best.x, best.x + best.width - width)),
      y: Math.round(clamp(saved.bounds.y, best.y, best.y + best.height - height)),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Temp file + rename: a crash mid-write leaves the previous state, never half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/**
 * Collapses a burst of calls (a window drag fires `move` many times a second) into one call
 * `delayMs` after the last; `flush` runs a pending call now (on close and quit).
 */
export function debounce(fn: () => void, delayMs: number, timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis): {
  schedule(): void;
  flush(): void;
  cancel(): void;
} {
  let handle: ReturnType<typeof setTimeout> | null = null;
  return {
    schedule() {
      if (handle !== null) timers.clearTimeout(handle);
      handle = timers.setTimeout(() => {
        handle = null;
        fn();
      }, delayMs);
    },
    flush() {
      if (handle === null) return;
      timers.clearTimeout(handle);
      handle = null;
      fn();
    },
    cancel() {
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
  };
}
