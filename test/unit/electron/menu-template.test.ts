import { describe, expect, it, vi } from 'vitest';
import { ALGORITHM_NAMES } from '../../../src/core/cluster/registry';
import { COMMANDS, commandInfo, isCommandId, normalizeAccelerator, RUN_PREFIX, type CommandId } from '../../../src/shared/commands';
import type { RecentProject } from '../../../src/shared/dto';
import {
  buildMenuTemplate,
  DOCS_URL,
  MAIN_PROCESS_COMMANDS,
  NATIVE_ONLY_ROLES,
  recentItems,
  toElectronTemplate,
  walkMenu,
  type MenuItemSpec,
  type MenuState,
} from '../../../src/main/electron/menu-template';
import { isAllowedExternal } from '../../../src/main/electron/security';

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

/** Electron's menu item options, as the conversion produces them. */
type ElectronItem = ReturnType<typeof toElectronTemplate>[number];

const recent: RecentProject[] = [
  { path: '/home/ana/faces.clusterscope', name: 'faces', openedAt: '2025-01-02T00:00:00Z', exists: true },
  { path: '/home/ana/old/gone.clusterscope', name: 'gone', openedAt: '2025-01-01T00:00:00Z', exists: false },
  { path: '/home/ana/digits.clusterscope', name: 'digits', openedAt: '2024-12-31T00:00:00Z', exists: true },
];

function state(platform: string, extra: Partial<MenuState> = {}): MenuState {
  return { platform, recent, hasProject: true, isDev: false, ...extra };
}

const leaves = (items: MenuItemSpec[]): MenuItemSpec[] => [...walkMenu(items)].filter((i) => i.type !== 'separator' && !i.submenu);
const stripMnemonic = (label: string | undefined): string => (label ?? '').replace(/&(?!&)/g, '');
const topLabels = (items: MenuItemSpec[]): string[] => items.map((m) => stripMnemonic(m.label));

function find(items: MenuItemSpec[], command: CommandId): MenuItemSpec[] {
  return [...walkMenu(items)].filter((i) => i.command === command);
}

describe('native menu template', () => {
  it('has File, Edit, View, Run and Help in that order; on macOS after the app menu, with Window before Help', () => {
    expect(topLabels(buildMenuTemplate(state('linux')))).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    expect(topLabels(buildMenuTemplate(state('win32')))).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    expect(topLabels(buildMenuTemplate(state('darwin')))).toEqual(['Clusterscope', 'File', 'Edit', 'View', 'Run', 'Window', 'Help']);
  });

  for (const platform of PLATFORMS) {
    for (const isDev of [false, true]) {
      describe(`on ${platform}${isDev ? ' (development)' : ''}`, () => {
        const menu = buildMenuTemplate(state(platform, { isDev }));

        it('gives every item a known command id, except the platform’s own window and developer items', () => {
          for (const it of leaves(menu)) {
            if (it.command !== undefined) expect(isCommandId(it.command), String(it.command)).toBe(true);
            else expect(NATIVE_ONLY_ROLES, `${it.label} has neither a command nor a native role`).toContain(it.role);
          }
        });

        it('never binds one key chord to two items', () => {
          const seen = new Map<string, string>();
          for (const it of leaves(menu)) {
            if (!it.accelerator) continue;
            const key = normalizeAccelerator(it.accelerator, platform);
            expect(seen.get(key), `${it.label} and ${seen.get(key)} share ${key}`).toBeUndefined();
            seen.set(key, it.label!);
          }
          expect(seen.size).toBeGreaterThan(10);
        });

        it('shows each command’s own accelerator, so the menu and the palette agree', () => {
          for (const it of leaves(menu)) {
            if (it.command) expect(it.accelerator, it.command).toBe(commandInfo(it.command).accelerator);
          }
        });

        it('offers every command of the shared list somewhere', () => {
          const offered = new Set(leaves(menu).map((i) => i.command));
          for (const c of COMMANDS) expect(offered.has(c.id), c.id).toBe(true);
        });
      });
    }
  }

  it('binds the shortcuts people expect for projects, files and the palette', () => {
    const menu = buildMenuTemplate(state('linux'));
    const accel = (id: CommandId): string | undefined => find(menu, id)[0]?.accelerator;
    expect(accel('project.new')).toBe('CmdOrCtrl+N');
    expect(accel('project.open')).toBe('CmdOrCtrl+O');
    expect(accel('data.importCsv')).toBe('CmdOrCtrl+Shift+O');
    expect(accel('project.save')).toBe('CmdOrCtrl+S');
    expect(accel('view.commandPalette')).toBe('CmdOrCtrl+K');
    expect(normalizeAccelerator(accel('view.commandPalette')!, 'linux')).toBe('Ctrl+K');
    expect(normalizeAccelerator(accel('view.commandPalette')!, 'darwin')).toBe('Cmd+K');
  });

  it('puts About, Preferences and Quit in the app menu on macOS and in Help, Edit and File elsewhere', () => {
    const mac = buildMenuTemplate(state('darwin'));
    const linux = buildMenuTemplate(state('linux'));
    const menuOf = (menu: MenuItemSpec[], id: CommandId): string[] =>
      menu.filter((m) => [...walkMenu(m.submenu ?? [])].some((i) => i.command === id)).map((m) => stripMnemonic(m.label));
    for (const id of ['help.about', 'app.preferences', 'app.quit'] as const) expect(menuOf(mac, id)).toEqual(['Clusterscope']);
    expect(menuOf(linux, 'help.about')).toEqual(['Help']);
    expect(menuOf(linux, 'app.preferences')).toEqual(['Edit']);
    expect(menuOf(linux, 'app.quit')).toEqual(['File']);
  });

  it('has a Run entry for each algorithm of the core registry and nothing else by that prefix', () => {
    const menu = buildMenuTemplate(state('linux'));
    const runMenu = menu.find((m) => stripMnemonic(m.label) === 'Run')!;
    const algorithms = leaves(runMenu.submenu!)
      .map((i) => i.command!)
      .filter((id) => id !== 'run.cancelAll')
      .map((id) => id.slice(RUN_PREFIX.length));
    expect(algorithms).toEqual([...ALGORITHM_NAMES]);
    const listed = COMMANDS.filter((c) => c.id.startsWith(RUN_PREFIX) && c.id !== 'run.cancelAll').map((c) => c.id.slice(RUN_PREFIX.length));
    expect(listed.sort()).toEqual([...ALGORITHM_NAMES].sort());
  });

  it('disables the items that need an open project when there is none', () => {
    const menu = buildMenuTemplate(state('linux', { hasProject: false }));
    for (const id of ['data.importCsv', 'project.save', 'project.saveAs', 'project.close', 'run.kmeans', 'run.dbscan'] as const) {
      expect(find(menu, id)[0].enabled, id).toBe(false);
    }
    for (const id of ['project.new', 'project.open', 'project.openSample', 'view.commandPalette', 'help.about'] as const) {
      expect(find(menu, id)[0].enabled, id).not.toBe(false);
    }
  });

  it('shows developer tools only in development', () => {
    const roles = (isDev: boolean): string[] => leaves(buildMenuTemplate(state('linux', { isDev }))).flatMap((i) => (i.role ? [i.role] : []));
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
  });

  describe('Open Recent', () => {
    const submenu = (s: MenuState): MenuItemSpec => [...walkMenu(buildMenuTemplate(s))].find((i) => i.label === 'Open Recent')!;

    it('lists the projects that still exist, most recent first, each opening its path', () => {
      const open = submenu(state('linux'));
      expect(open.enabled).toBe(true);
      expect(open.submenu!.map((i) => [i.label, i.command, i.args])).toEqual([
        ['faces', 'project.openRecent', ['/home/ana/faces.clusterscope']],
        ['digits', 'project.openRecent', ['/home/ana/digits.clusterscope']],
      ]);
    });

    it('is disabled and empty when there is nothing to reopen', () => {
      const open = submenu(state('darwin', { recent: [] }));
      expect(open.enabled).toBe(false);
      expect(open.submenu).toEqual([]);
    });

    it('tells apart two projects of the same name by their folder', () => {
      const twins: RecentProject[] = [
        { path: '/a/work/x.clusterscope', name: 'x', openedAt: '', exists: true },
        { path: '/a/home/x.clusterscope', name: 'x', openedAt: '', exists: true },
      ];
      expect(recentItems(twins, 'darwin').map((i) => i.label)).toEqual(['x — work', 'x — home']);
    });

    it('shows an ampersand in a name literally (doubled where & marks a mnemonic)', () => {
      const amp: RecentProject[] = [{ path: '/p/R&D.clusterscope', name: 'R&D', openedAt: '', exists: true }];
      expect(recentItems(amp, 'win32')[0].label).toBe('R&&D');
      expect(recentItems(amp, 'linux')[0].label).toBe('R&&D');
      expect(recentItems(amp, 'darwin')[0].label).toBe('R&D');
    });
  });

  describe('conversion to Electron’s template', () => {
    it('calls the dispatcher with the item’s command and arguments on click', () => {
      const dispatch = vi.fn();
      const template = toElectronTemplate(buildMenuTemplate(state('linux')), dispatch);
      const file = template[0].submenu as ElectronItem[];
      const recentMenu = file.find((i) => i.label === 'Open Recent')!.submenu as ElectronItem[];
      const click = (item: ElectronItem): void => item.click!(undefined as never, undefined, undefined as never);
      click(file.find((i) => i.label === 'New Project')!);
      click(recentMenu[1]);
      expect(dispatch.mock.calls).toEqual([
        ['project.new', []],
        ['project.openRecent', ['/home/ana/digits.clusterscope']],
      ]);
    });

    it('leaves native items to their role, with no click of their own', () => {
      const template = toElectronTemplate(buildMenuTemplate(state('darwin')), vi.fn());
      const edit = template.find((m) => m.label === 'Edit')!.submenu as ElectronItem[];
      const copy = edit.find((i) => i.label === 'Copy')!;
      expect(copy.role).toBe('copy');
      expect(copy.click).toBeUndefined();
      expect(edit.filter((i) => i.type === 'separator').length).toBeGreaterThan(0);
    });

    it('keeps the structure: same labels, same nesting', () => {
      const spec = buildMenuTemplate(state('win32'));
      const template = toElectronTemplate(spec, vi.fn());
      const shape = (items: readonly { label?: string; type?: string; submenu?: unknown }[]): unknown =>
        items.map((i) => [i.type === 'separator' ? '—' : i.label, Array.isArray(i.submenu) ? shape(i.submenu) : null]);
      expect(shape(template as never)).toEqual(shape(spec));
    });
  });

  it('routes to the main process only commands that exist, and opens help only on an allowed host', () => {
    for (const id of MAIN_PROCESS_COMMANDS) expect(isCommandId(id)).toBe(true);
    expect(isAllowedExternal(DOCS_URL)).toBe(true);
  });
});
