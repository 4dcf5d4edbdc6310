import { describe, expect, it } from 'vitest';
import { CommandRegistry } from '../../../../src/renderer/src/lib/shell/command-registry';
import { commandItems, recentItems, viewTarget, type PaletteInput } from '../../../../src/renderer/src/lib/shell/palette';
import { DOCS_URL } from '../../../../src/renderer/src/lib/shell/links';
import { DOCS_URL as MENU_DOCS_URL } from '../../../../src/main/electron/menu-template';

const views = [
  { id: 'clusters', title: 'Clusters' },
  { id: 'choose-k', title: 'Choose k' },
  { id: 'silhouette', title: 'Silhouette' },
];

function input(r: CommandRegistry, extra: Partial<PaletteInput> = {}): PaletteInput {
  return {
    commands: r.available(),
    registered: (id) => r.get(id) !== undefined,
    views,
    recent: [
      { path: '/p/a.clusterscope', name: 'a', exists: true },
      { path: '/p/b.clusterscope', name: 'b', exists: false },
      { path: '/p/open.clusterscope', name: 'open', exists: true },
    ],
    datasets: [
      { id: 'd1', name: 'Blobs' },
      { id: 'd2', name: 'Iris' },
    ],
    currentDatasetId: 'd1',
    currentProjectPath: '/p/open.clusterscope',
    platform: 'linux',
    ...extra,
  };
}

describe('the palette', () => {
  it('shows each command with its shortcut as the platform writes it', () => {
    const r = new CommandRegistry();
    r.register('edit.redo', () => {});
    r.register('help.about', () => {});
    const items = commandItems(input(r));
    expect(items.find((i) => i.command === 'edit.redo')).toMatchObject({ title: 'Redo', group: 'Edit', shortcut: 'Ctrl+Shift+Z' });
    expect(items.find((i) => i.command === 'help.about')).toMatchObject({ shortcut: null });
    expect(commandItems(input(r, { platform: 'darwin' })).find((i) => i.command === 'edit.redo')?.shortcut).toBe('⇧⌘Z');
  });

  it('gives "Go to" a view the shortcut of the View menu item that shows it', () => {
    const r = new CommandRegistry();
    for (const v of views) r.register(`goto.${v.id}`, () => {}, { title: `Go to ${v.title}`, group: 'Go to' });
    const items = commandItems(input(r));
    expect(items.find((i) => i.command === 'goto.clusters')?.shortcut).toBe('Ctrl+2');
    expect(items.find((i) => i.command === 'goto.choose-k')?.shortcut).toBe('Ctrl+3');
    expect(items.find((i) => i.command === 'goto.silhouette')?.shortcut).toBeNull();
  });

  it('lists the recent projects that exist, but not the open one, and the other datasets', () => {
    const r = new CommandRegistry();
    r.register('project.openRecent', () => {});
    r.register('dataset.show', () => {}, { title: 'Show Dataset', palette: false });
    const items = commandItems(input(r));
    expect(items.filter((i) => i.command === 'project.openRecent' && i.args.length).map((i) => [i.title, i.args])).toEqual([['Open Recent: a', ['/p/a.clusterscope']]]);
    expect(items.filter((i) => i.command === 'dataset.show').map((i) => [i.title, i.args])).toEqual([['Show Dataset: Iris', ['d2']]]);
    expect(recentItems(input(r)).map((i) => i.detail)).toEqual(['/p/a.clusterscope']);
  });

  it('offers neither recent projects nor datasets without their commands', () => {
    const items = commandItems(input(new CommandRegistry()));
    expect(items).toEqual([]);
  });
});

describe('viewTarget', () => {
  it('is the first view of the menu item present in this build', () => {
    expect(viewTarget('view.clusters', views)).toBe('clusters');
    expect(viewTarget('view.diagnostics', views)).toBe('choose-k');
    expect(viewTarget('view.labeling', views)).toBeNull();
    expect(viewTarget('view.unknown', views)).toBeNull();
  });
});

it('links to the same scikit-learn guide as the desktop menu', () => {
  expect(DOCS_URL).toBe(MENU_DOCS_URL);
});
