/** Where the app keeps settings and untitled projects when no host tells it otherwise. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(): string {
  if (process.env.CLUSTERSCOPE_HOME) return process.env.CLUSTERSCOPE_HOME;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Clusterscope');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Clusterscope');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'clusterscope');
}
