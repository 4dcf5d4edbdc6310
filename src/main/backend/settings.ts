/**
 * App settings outside any project (recent projects, first-run state, preferences), in one JSON
 * file written atomically (temp file + rename), so a crash never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RecentEntry {
  path: string;
  name: string;
  openedAt: string;
}

export interface Settings {
  recent: RecentEntry[];
  lastProject: string | null;
  firstRunDone: boolean;
  preferences: Record<string, unknown>;
}

const DEFAULTS: Settings = { recent: [], lastProject: null, firstRunDone: false, preferences: {} };
const MAX_RECENT = 10;

export class SettingsStore {
  private data: Settings;
  readonly existed: boolean;

  constructor(private readonly file: string) {
    this.existed = existsSync(file);
    this.data = this.existed ? SettingsStore.parse(file) : structuredClone(DEFAULTS);
  }

  static inDir(dir: string): SettingsStore {
    return new SettingsStore(join(dir, 'settings.json'));
  }

  /** A damaged settings file is replaced by defaults (projects live elsewhere; nothing is lost). */
  private static parse(file: string): Settings {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Settings>;
      return {
        recent: Array.isArray(raw.recent) ? raw.recent.filter((r) => r && typeof r.path === 'string').slice(0, MAX_RECENT) : [],
        lastProject: typeof raw.lastProject === 'string' ? raw.lastProject : null,
        firstRunDone: raw.firstRunDone === true,
        preferences: raw.preferences && typeof raw.preferences === 'object' ? raw.preferences : {},
      };
    } catch {
      return structuredClone(DEFAULTS);
    }
  }

  get(): Readonly<Settings> {
    return this.data;
  }

  update(change: (s: Settings) => void): void {
    change(this.data);
    this.save();
  }

  /** Moves `path` to the top of the recent list. */
  touchRecent(path: string, name: string): void {
    this.update((s) => {
      s.recent = [{ path, name, openedAt: new Date().toISOString() }, ...s.recent.filter((r) => r.path !== path)].slice(0, MAX_RECENT);
      s.lastProject = path;
    });
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    renameSync(tmp, this.file);
  }
}
