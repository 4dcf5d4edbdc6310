/**
 * Every command a person can give the app by name: the native menu carries these ids, the
 * command palette lists them, and the renderer maps each id to its action. A command chosen
 * outside the page (native menu, file association) reaches the renderer as the `app:command`
 * event with its id, so the id list below is the whole vocabulary both sides share.
 *
 * Accelerators use Electron's syntax (`CmdOrCtrl+Shift+O`); `acceleratorLabel` turns one into
 * what the platform shows, and `normalizeAccelerator` into a canonical key for comparisons.
 */

/** The native menu a command belongs to (the palette groups by it too). */
export type CommandGroup = 'file' | 'edit' | 'view' | 'run' | 'help';

export interface CommandInfo {
  readonly id: string;
  /** Title case, as in the menu; `…` when the command asks for more before it acts. */
  readonly title: string;
  readonly accelerator?: string;
  readonly group: CommandGroup;
}

export const COMMANDS = [
  // File
  { id: 'project.new', title: 'New Project', accelerator: 'CmdOrCtrl+N', group: 'file' },
  { id: 'project.open', title: 'Open Project…', accelerator: 'CmdOrCtrl+O', group: 'file' },
  /** args: [path] — one of `project.recent()`. */
  { id: 'project.openRecent', title: 'Open Recent Project', group: 'file' },
  { id: 'project.openSample', title: 'Open Sample Project', group: 'file' },
  { id: 'data.importCsv', title: 'Import CSV…', accelerator: 'CmdOrCtrl+Shift+O', group: 'file' },
  /** Projects autosave: Save names an untitled project (as Save As) and is a no-op otherwise. */
  { id: 'project.save', title: 'Save', accelerator: 'CmdOrCtrl+S', group: 'file' },
  { id: 'project.saveAs', title: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', group: 'file' },
  { id: 'project.close', title: 'Close Project', group: 'file' },
  { id: 'app.quit', title: 'Quit Clusterscope', accelerator: 'CmdOrCtrl+Q', group: 'file' },
  // Edit: undo and redo act on labels and review decisions, or on the text field with focus.
  { id: 'edit.undo', title: 'Undo', accelerator: 'CmdOrCtrl+Z', group: 'edit' },
  { id: 'edit.redo', title: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', group: 'edit' },
  { id: 'edit.cut', title: 'Cut', accelerator: 'CmdOrCtrl+X', group: 'edit' },
  { id: 'edit.copy', title: 'Copy', accelerator: 'CmdOrCtrl+C', group: 'edit' },
  { id: 'edit.paste', title: 'Paste', accelerator: 'CmdOrCtrl+V', group: 'edit' },
  { id: 'edit.selectAll', title: 'Select All', accelerator: 'CmdOrCtrl+A', group: 'edit' },
  { id: 'app.preferences', title: 'Preferences…', accelerator: 'CmdOrCtrl+,', group: 'edit' },
  // View
  { id: 'view.commandPalette', title: 'Command Palette…', accelerator: 'CmdOrCtrl+K', group: 'view' },
  { id: 'view.data', title: 'Data', accelerator: 'CmdOrCtrl+1', group: 'view' },
  { id: 'view.clusters', title: 'Clusters', accelerator: 'CmdOrCtrl+2', group: 'view' },
  { id: 'view.diagnostics', title: 'Diagnostics', accelerator: 'CmdOrCtrl+3', group: 'view' },
  { id: 'view.labeling', title: 'Labeling', accelerator: 'CmdOrCtrl+4', group: 'view' },
  { id: 'view.anomalies', title: 'Anomalies', accelerator: 'CmdOrCtrl+5', group: 'view' },
  { id: 'view.zoomIn', title: 'Zoom In', accelerator: 'CmdOrCtrl+Plus', group: 'view' },
  { id: 'view.zoomOut', title: 'Zoom Out', accelerator: 'CmdOrCtrl+-', group: 'view' },
  { id: 'view.resetZoom', title: 'Actual Size', accelerator: 'CmdOrCtrl+0', group: 'view' },
  { id: 'view.fullScreen', title: 'Toggle Full Screen', group: 'view' },
  // Run: one entry per algorithm of the core registry (a test keeps them in step).
  { id: 'run.kmeans', title: 'K-Means…', group: 'run' },
  { id: 'run.minibatch-kmeans', title: 'Mini-Batch K-Means…', group: 'run' },
  { id: 'run.dbscan', title: 'DBSCAN…', group: 'run' },
  { id: 'run.gmm', title: 'Gaussian Mixture…', group: 'run' },
  { id: 'run.bgmm', title: 'Bayesian Gaussian Mixture…', group: 'run' },
  { id: 'run.agglomerative', title: 'Agglomerative Clustering…', group: 'run' },
  { id: 'run.spectral', title: 'Spectral Clustering…', group: 'run' },
  { id: 'run.cancelAll', title: 'Cancel All Jobs', group: 'run' },
  // Help
  { id: 'help.tour', title: 'Show the Tour', group: 'help' },
  { id: 'help.shortcuts', title: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/', group: 'help' },
  { id: 'help.docs', title: 'scikit-learn Clustering Guide', group: 'help' },
  { id: 'help.about', title: 'About Clusterscope', group: 'help' },
] as const satisfies readonly CommandInfo[];

export type CommandId = (typeof COMMANDS)[number]['id'];

const BY_ID: ReadonlyMap<string, CommandInfo> = new Map(COMMANDS.map((c) => [c.id, c]));

export function isCommandId(id: unknown): id is CommandId {
  return typeof id === 'string' && BY_ID.has(id);
}

export function commandInfo(id: CommandId): CommandInfo {
  return BY_ID.get(id)!;
}

/** The prefix of the per-algorithm Run commands: `run.kmeans` runs the `kmeans` algorithm. */
export const RUN_PREFIX = 'run.';

/** The platforms whose modifier names differ: `darwin` shows ⌘, the others Ctrl. */
export type AcceleratorPlatform = 'darwin' | 'win32' | 'linux' | (string & {});

const MODIFIER_ORDER = ['Ctrl', 'Alt', 'Shift', 'Cmd'] as const;

/** Electron's modifier spellings, each to the key it means on `platform`. */
function modifierOf(token: string, platform: AcceleratorPlatform): string | null {
  switch (token.toLowerCase()) {
    case 'cmdorctrl':
    case 'commandorcontrol':
      return platform === 'darwin' ? 'Cmd' : 'Ctrl';
    case 'cmd':
    case 'command':
    case 'super':
    case 'meta':
      return 'Cmd';
    case 'ctrl':
    case 'control':
      return 'Ctrl';
    case 'alt':
    case 'option':
    case 'altgr':
      return 'Alt';
    case 'shift':
      return 'Shift';
    default:
      return null;
  }
}

/**
 * One spelling per key chord on a platform: modifiers resolved (`CmdOrCtrl` → `Ctrl` off macOS)
 * and sorted, the key upper-cased, `+`/`Plus` unified. Two accelerators clash on a platform
 * exactly when their normal forms are equal.
 */
export function normalizeAccelerator(accelerator: string, platform: AcceleratorPlatform): string {
  // "CmdOrCtrl++" ends in the key '+': split keeps an empty token for it.
  const tokens = accelerator.split('+');
  let key = tokens.pop() ?? '';
  if (key === '' && tokens.at(-1) === '') {
    tokens.pop();
    key = 'Plus';
  }
  const mods = new Set<string>();
  for (const t of tokens) {
    const m = modifierOf(t, platform);
    if (!m) throw new Error(`'${accelerator}': '${t}' is not a modifier`);
    mods.add(m);
  }
  if (!key) throw new Error(`'${accelerator}' has no key`);
  const k = key.toLowerCase() === 'plus' ? 'Plus' : key.length === 1 ? key.toUpperCase() : key[0].toUpperCase() + key.slice(1);
  return [...MODIFIER_ORDER.filter((m) => mods.has(m)), k].join('+');
}

const MAC_SYMBOLS: Record<string, string> = { Ctrl: '⌃', Alt: '⌥', Shift: '⇧', Cmd: '⌘', Plus: '+' };

/** How the platform writes the chord: `⇧⌘O` on macOS, `Ctrl+Shift+O` elsewhere. */
export function acceleratorLabel(accelerator: string, platform: AcceleratorPlatform): string {
  const parts = normalizeAccelerator(accelerator, platform).split('+');
  if (platform === 'darwin') {
    const key = parts.pop()!;
    // macOS lists modifiers as ⌃⌥⇧⌘ before the key.
    return parts.map((p) => MAC_SYMBOLS[p]).join('') + (MAC_SYMBOLS[key] ?? key);
  }
  return parts.map((p) => (p === 'Cmd' ? 'Super' : p)).join('+');
}
