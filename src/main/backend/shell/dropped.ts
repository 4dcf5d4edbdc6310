/**
 * Paths dropped on the desktop app's window. The preload turns each dropped File into its path;
 * the backend then lets the renderer read exactly those paths (as a dialog choice would), and
 * says which are folders so the window can offer the right import.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { ApiError } from '../../../shared/api';
import type { DroppedPath } from '../../../shared/dto';

/** One drop carries at most this many items (a folder counts as one). */
export const MAX_DROPPED = 1000;

/** Checks the dropped paths and describes each; paths that no longer exist are left out. */
export function describeDropped(paths: unknown): DroppedPath[] {
  if (!Array.isArray(paths) || paths.length > MAX_DROPPED || !paths.every((p) => typeof p === 'string' && p !== '' && !p.includes('\0'))) {
    throw new ApiError(`expected a list of at most ${MAX_DROPPED} file paths`, 'bad-input');
  }
  const out: DroppedPath[] = [];
  for (const p of paths as string[]) {
    if (!isAbsolute(p)) throw new ApiError(`a dropped path must be absolute, got ${p}`, 'bad-input');
    const path = resolve(p);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      continue;
    }
    out.push({ ref: { kind: 'path', path }, name: basename(path), isDirectory });
  }
  return out;
}
