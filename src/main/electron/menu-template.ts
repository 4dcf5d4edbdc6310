/**
 * The native menu as plain data: a function of the app's state (platform, recent projects, whether
 * a project is open) returning items that carry command ids from `shared/commands`. Nothing here
 * touches Electron at run time (its types only), so tests build the menu for every platform;
 * `toElectronTemplate` turns the data into Electron's template, with clicks routed to one
 * dispatcher.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { basename, dirname } from 'node:path';
import { commandInfo, type CommandId } from '../../shared/commands';
import type { RecentProject } from '../../shared/dto';

/** Electron menu roles this menu uses. */
export type MenuRole = NonNullable<MenuItemConstructorOptions['role']>;

export interface MenuItemSpec {
  label?: string;
  /** What the item does: routed to the main process or sent to the page as `app:command`. */
  command?: CommandId;
  args?: readonly unknown[];
  accelerator?: string;
  /**
   * A native behaviour that Electron performs itself (text editing, zoom, window management);
   * when set, it replaces the click.
   */
  role?: MenuRole;
  type?: 'separator';
  enabled?: boolean;
  submenu?: MenuItemSpec[];
}

export interface MenuState {
  platform: string;
  /** `project.recent()`, most recent first. */
  recent: readonly RecentProject[];
  hasProject: boolean;
  /** Development build: adds Reload and the developer tools. */
  isDev: boolean;
}

/**
 * Items that are the platform's own and have no meaning in the page, so the command palette does
 * not list them: macOS's application and Window menus, and the developer items.
 */
export const NATIVE_ONLY_ROLES: readonly MenuRole[] = ['services', 'hide', 'hideOthers', 'unhide', 'minimize', 'zoom', 'front', 'reload', 'toggleDevTools'];

/** Commands whose menu items Electron performs natively (text editing, zoom, quit). */
const COMMAND_ROLES: Partial<Record<CommandId, MenuRole>> = {
  'edit.cut': 'cut',
  'edit.copy': 'copy',
  'edit.paste': 'paste',
  'edit.selectAll': 'selectAll',
  'view.zoomIn': 'zoomIn',
  'view.zoomOut': 'zoomOut',
  'view.resetZoom': 'resetZoom',
  'view.fullScreen': 'togglefullscreen',
  'app.quit': 'quit',
};

/**
 * Commands the main process carries out itself, because they need a native dialog, the shell,
 * or must work with no window open; every other command is sent to the page.
 */
export const MAIN_PROCESS_COMMANDS = ['project.openRecent', 'help.about', 'help.docs'] as const satisfies readonly CommandId[];
export type MainProcessCommand = (typeof MAIN_PROCESS_COMMANDS)[number];

export function isMainProcessCommand(id: CommandId): id is MainProcessCommand {
  return (MAIN_PROCESS_COMMANDS as readonly CommandId[]).includes(id);
}

/** The scikit-learn 1.2 clustering guide, whose vocabulary the forms use (host allow-listed). */
export const DOCS_URL = 'https://scikit-learn.org/1.2/modules/clustering.html';

const separator: MenuItemSpec = { type: 'separator' };

/** A menu item for a command: its title and accelerator from the shared list. */
function item(id: CommandId, extra: Partial<MenuItemSpec> = {}): MenuItemSpec {
  const info = commandInfo(id);
  const role = COMMAND_ROLES[id];
  return {
    label: info.title,
    command: id,
    ...(info.accelerator ? { accelerator: info.accelerator } : {}),
    ...(role ? { role } : {}),
    ...extra,
  };
}

/** `&` marks a mnemonic in Windows and Linux menus; a literal one is doubled. */
function menuText(text: string, platform: string): string {
  return platform === 'darwin' ? text : text.replaceAll('&', '&&');
}

/** One item per existing recent project; names shared by two projects get their folder too. */
export function recentItems(recent: readonly RecentProject[], platform: string): MenuItemSpec[] {
  const shown = recent.filter((r) => r.exists);
  const counts = new Map<string, number>();
  for (const r of shown) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return shown.map((r) => {
    const label = counts.get(r.name)! > 1 ? `${r.name} — ${basename(dirname(r.path))}` : r.name;
    return item('project.openRecent', { label: menuText(label, platform), args: [r.path] });
  });
}

export function buildMenuTemplate(state: MenuState): MenuItemSpec[] {
  const mac = state.platform === 'darwin';
  const needsProject = { enabled: state.hasProject };
  const recent = recentItems(state.recent, state.platform);

  const appMenu: MenuItemSpec = {
    label: 'Clusterscope',
    submenu: [
      item('help.about'),
      separator,
      item('app.preferences'),
      separator,
      { label: 'Services', role: 'services' },
      separator,
      { label: 'Hide Clusterscope', role: 'hide' },
      { label: 'Hide Others', role: 'hideOthers' },
      { label: 'Show All', role: 'unhide' },
      separator,
      item('app.quit'),
    ],
  };

  const fileMenu: MenuItemSpec = {
    label: mac ? 'File' : '&File',
    submenu: [
      item('project.new'),
      item('project.open'),
      { label: 'Open Recent', enabled: recent.length > 0, submenu: recent },
      item('project.openSample'),
      separator,
      item('data.importCsv', needsProject),
      separator,
      item('project.save', needsProject),
      item('project.saveAs', needsProject),
      separator,
      item('project.close', needsProject),
      ...(mac ? [] : [separator, item('app.quit')]),
    ],
  };

  const editMenu: MenuItemSpec = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      item('edit.undo'),
      item('edit.redo'),
      separator,
      item('edit.cut'),
      item('edit.copy'),
      item('edit.paste'),
      item('edit.selectAll'),
      ...(mac ? [] : [separator, item('app.preferences')]),
    ],
  };

  const viewMenu: MenuItemSpec = {
    label: mac ? 'View' : '&View',
    submenu: [
      item('view.commandPalette'),
      separator,
      item('view.data'),
      item('view.clusters'),
      item('view.diagnostics'),
      item('view.labeling'),
      item('view.anomalies'),
      separator,
      item('view.resetZoom'),
      item('view.zoomIn'),
      item('view.zoomOut'),
      separator,
      item('view.fullScreen'),
      ...(state.isDev
        ? [separator, { label: 'Reload', role: 'reload' as const }, { label: 'Toggle Developer Tools', role: 'toggleDevTools' as const }]
        : []),
    ],
  };

  const runMenu: MenuItemSpec = {
    label: mac ? 'Run' : '&Run',
    submenu: [
      item('run.kmeans', needsProject),
      item('run.minibatch-kmeans', needsProject),
      item('run.dbscan', needsProject),
      item('run.gmm', needsProject),
      item('run.bgmm', needsProject),
      item('run.agglomerative', needsProject),
      item('run.spectral', needsProject),
      separator,
      item('run.cancelAll'),
    ],
  };

  const windowMenu: MenuItemSpec = {
    label: 'Window',
    role: 'window',
    submenu: [{ label: 'Minimize', role: 'minimize' }, { label: 'Zoom', role: 'zoom' }, separator, { label: 'Bring All to Front', role: 'front' }],
  };

  const helpMenu: MenuItemSpec = {
    label: mac ? 'Help' : '&Help',
    role: 'help',
    submenu: [
      item('help.tour'),
      item('help.shortcuts'),
      item('help.docs'),
      ...(mac ? [] : [separator, item('help.about')]),
    ],
  };

  return mac ? [appMenu, fileMenu, editMenu, viewMenu, runMenu, windowMenu, helpMenu] : [fileMenu, editMenu, viewMenu, runMenu, helpMenu];
}

/** Every item of a template, depth first (submenus and separators included). */
export function* walkMenu(items: readonly MenuItemSpec[]): Generator<MenuItemSpec> {
  for (const it of items) {
    yield it;
    if (it.submenu) yield* walkMenu(it.submenu);
  }
}

export type Dispatch = (command: CommandId, args: readonly unknown[]) => void;

/** Electron's template for the data: roles stay native, every other item calls `dispatch`. */
export function toElectronTemplate(items: readonly MenuItemSpec[], dispatch: Dispatch): MenuItemConstructorOptions[] {
  return items.map((it): MenuItemConstructorOptions => {
    if (it.type === 'separator') return { type: 'separator' };
    const out: MenuItemConstructorOptions = {};
    if (it.label !== undefined) out.label = it.label;
    if (it.accelerator !== undefined) out.accelerator = it.accelerator;
    if (it.enabled !== undefined) out.enabled = it.enabled;
    if (it.role !== undefined) out.role = it.role;
    if (it.submenu) out.submenu = toElectronTemplate(it.submenu, dispatch);
    else if (it.command && !it.role) {
      const { command } = it;
      const args = it.args ?? [];
      out.click = () => dispatch(command, args);
    }
    return out;
  });
}
