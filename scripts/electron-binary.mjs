// Where the Electron binary is, without triggering its download: `require('electron')` would try
// to fetch it on first use, which cannot work on machines without internet access.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/** The path of the Electron executable, or null when it is not installed. */
export function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return existsSync(p) ? p : null;
  }
  if (!executable) return null;
  const full = join(pkgDir, 'dist', executable);
  return existsSync(full) ? full : null;
}
