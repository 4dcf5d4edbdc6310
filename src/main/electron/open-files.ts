/**
 * Project files handed to the app by the system: on the command line (Windows and Linux file
 * associations, `clusterscope file.clusterscope`), through a second launch that forwards its
 * files to the running instance, or through macOS's `open-file` event, which can arrive before
 * the app is ready. Pure logic; the Electron layer feeds it `process.argv` and the events.
 */
import { extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_EXTENSION } from '../backend/store/project-store';

export { PROJECT_EXTENSION };

export function isProjectFile(path: string): boolean {
  return extname(path).toLowerCase() === PROJECT_EXTENSION;
}

/**
 * How many leading entries of `process.argv` are not the person's arguments: the executable,
 * and in development (`electron .`, where `process.defaultApp` is true) the app's folder too.
 */
export function leadingArgCount(defaultApp: boolean): number {
  return defaultApp ? 2 : 1;
}

/**
 * The project files named in an argument list, as absolute paths, in order, without repeats.
 * Switches are skipped (Chromium's own, `--inspect`, macOS's `-psn_…`) unless they follow `--`;
 * `file://` URLs (what some Linux file managers pass for `%U`) become paths; relative paths
 * are resolved against `cwd` (for a second instance: its working directory, not ours).
 */
export function projectFilesFromArgv(argv: readonly string[], opts: { cwd: string; skip: number }): string[] {
  const files: string[] = [];
  let switchesEnded = false;
  for (const arg of argv.slice(opts.skip)) {
    if (!switchesEnded && arg === '--') {
      switchesEnded = true;
      continue;
    }
    if (!switchesEnded && arg.startsWith('-')) continue;
    let path = arg;
    if (/^file:\/\//i.test(arg)) {
      try {
        path = fileURLToPath(arg);
      } catch {
        continue;
      }
    }
    if (!isProjectFile(path)) continue;
    const abs = isAbsolute(path) ? resolve(path) : resolve(opts.cwd, path);
    if (!files.includes(abs)) files.push(abs);
  }
  return files;
}

/** What a second launch sends the first through `requestSingleInstanceLock(additionalData)`. */
export interface ForwardedLaunch {
  files: string[];
}

/** The files a second launch forwarded, or null when the data is not ours (or absent). */
export function parseForwardedLaunch(data: unknown): ForwardedLaunch | null {
  if (!data || typeof data !== 'object') return null;
  const files = (data as Record<string, unknown>).files;
  if (!Array.isArray(files)) return null;
  return { files: files.filter((f): f is string => typeof f === 'string' && isAbsolute(f) && isProjectFile(f)) };
}

/**
 * Holds the files that arrive before the app can open them (macOS sends `open-file` before
 * `ready` when a document launches the app); once started, every file goes straight through.
 */
export class OpenQueue {
  private pending: string[] = [];
  private handler: ((path: string) => void) | null = null;

  push(path: string): void {
    if (this.handler) this.handler(path);
    else this.pending.push(path);
  }

  /** Delivers the held files in arrival order, then every later one as it comes. */
  start(handler: (path: string) => void): void {
    this.handler = handler;
    for (const p of this.pending.splice(0)) handler(p);
  }

  /** The held files, taken out (at start-up only the last one needs opening). */
  drain(): string[] {
    return this.pending.splice(0);
  }
}
