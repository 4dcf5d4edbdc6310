/**
 * What the command palette lists: the commands that can run now, "Go to …" for each view (with
 * the View menu's shortcut for it), the recent projects, and the other datasets — each item
 * naming the command (and arguments) the dispatcher runs when it is chosen.
 */
import { acceleratorLabel, COMMANDS } from '../../../../shared/commands';
import type { Command } from './command-registry';

/**
 * The menu's fixed View items and the registry views each may show, first present wins: the
 * menu names broad places, the feature areas name their views.
 */
export const VIEW_TARGETS: Readonly<Record<string, readonly string[]>> = {
  'view.data': ['data'],
  'view.clusters': ['clusters'],
  'view.diagnostics': ['diagnostics', 'choose-k', 'silhouette', 'silhouettes'],
  'view.labeling': ['labeling', 'label'],
  'view.anomalies': ['anomalies', 'review'],
};

/** The registry view a View command of the menu shows, or null when this build has none. */
export function viewTarget(command: string, views: readonly { id: string }[]): string | null {
  return VIEW_TARGETS[command]?.find((v) => views.some((d) => d.id === v)) ?? null;
}

export interface PaletteItem {
  /** Unique within a list. */
  key: string;
  title: string;
  group: string;
  /** The shortcut as the platform writes it, or null. */
  shortcut: string | null;
  /** A second line (a project's path). */
  detail: string | null;
  command: string;
  args: unknown[];
}

export interface PaletteInput {
  /** The commands that can run now (`CommandRegistry.available()`) and every registered one's id. */
  commands: readonly Command[];
  registered: (id: string) => boolean;
  views: readonly { id: string; title: string }[];
  recent: readonly { path: string; name: string; exists: boolean }[];
  datasets: readonly { id: string; name: string }[];
  currentDatasetId: string | null;
  currentProjectPath: string | null;
  platform: string;
}

function label(accelerator: string | undefined, platform: string): string | null {
  if (!accelerator) return null;
  try {
    return acceleratorLabel(accelerator, platform);
  } catch {
    return null;
  }
}

/** The recent projects that can be opened (the open one left out). */
export function recentItems(input: Pick<PaletteInput, 'recent' | 'currentProjectPath'>): PaletteItem[] {
  return input.recent
    .filter((r) => r.exists && r.path !== input.currentProjectPath)
    .map((r) => ({ key: `recent:${r.path}`, title: r.name, group: 'Open Recent', shortcut: null, detail: r.path, command: 'project.openRecent', args: [r.path] }));
}

export function commandItems(input: PaletteInput): PaletteItem[] {
  const viewShortcut = new Map<string, string>();
  for (const c of COMMANDS) {
    const target = c.id in VIEW_TARGETS ? viewTarget(c.id, input.views) : null;
    if (target && 'accelerator' in c) viewShortcut.set(target, c.accelerator);
  }
  const out: PaletteItem[] = input.commands.map((c) => {
    const viewId = c.id.startsWith('goto.') ? c.id.slice('goto.'.length) : null;
    const accelerator = viewId ? viewShortcut.get(viewId) : c.keys[0];
    return { key: c.id, title: c.title, group: c.group, shortcut: label(accelerator, input.platform), detail: null, command: c.id, args: [] };
  });
  const can = (id: string): boolean => input.commands.some((c) => c.id === id) || input.registered(id);
  if (can('project.openRecent')) {
    for (const r of recentItems(input)) out.push({ ...r, title: `Open Recent: ${r.title}`, group: 'File' });
  }
  if (input.registered('dataset.show')) {
    for (const d of input.datasets) {
      if (d.id === input.currentDatasetId) continue;
      out.push({ key: `dataset:${d.id}`, title: `Show Dataset: ${d.name}`, group: 'Datasets', shortcut: null, detail: null, command: 'dataset.show', args: [d.id] });
    }
  }
  return out;
}
