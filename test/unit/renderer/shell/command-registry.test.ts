import { describe, expect, it, vi } from 'vitest';
import { CommandRegistry, routeKey, type Command, type KeyContext } from '../../../../src/renderer/src/lib/shell/command-registry';
import { COMMANDS } from '../../../../src/shared/commands';

describe('CommandRegistry', () => {
  it('takes the title, menu group and accelerator of a shared command from shared/commands', () => {
    const r = new CommandRegistry();
    r.register('edit.undo', () => {});
    expect(r.get('edit.undo')).toMatchObject({ title: 'Undo', group: 'Edit', keys: ['CmdOrCtrl+Z'], inMenu: true, native: false, palette: true });
    r.register('edit.copy', () => {});
    expect(r.get('edit.copy')).toMatchObject({ native: true, palette: false });
  });

  it('needs a title for a command of its own, and keeps its group and keys', () => {
    const r = new CommandRegistry();
    expect(() => r.register('labeling.next', () => {})).toThrow(/needs a title/);
    r.register('labeling.next', () => {}, { title: 'Next Sample', group: 'Labeling', keys: ['J', 'Down'] });
    expect(r.get('labeling.next')).toMatchObject({ title: 'Next Sample', group: 'Labeling', keys: ['J', 'Down'], inMenu: false, native: false });
  });

  it('runs the newest handler of an id; removing it gives the id back to the one before', async () => {
    const r = new CommandRegistry();
    const calls: string[] = [];
    r.register('edit.undo', () => calls.push('shell'));
    const off = r.register('edit.undo', ({ source, args }) => calls.push(`view:${source}:${args.join(',')}`));
    expect(await r.run('edit.undo', [1, 2], 'key')).toBe(true);
    off();
    off(); // twice is harmless
    expect(await r.run('edit.undo', [], 'menu')).toBe(true);
    expect(calls).toEqual(['view:key:1,2', 'shell']);
  });

  it('does not run a command that cannot run now, nor an unknown one', async () => {
    const r = new CommandRegistry();
    const run = vi.fn();
    let can = false;
    r.register('run.cancelAll', run, { when: () => can });
    expect(await r.run('run.cancelAll')).toBe(false);
    expect(await r.run('no.such.command')).toBe(false);
    can = true;
    expect(await r.run('run.cancelAll')).toBe(true);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("passes a handler's failure to the caller", async () => {
    const r = new CommandRegistry();
    r.register('project.new', () => Promise.reject(new Error('disk full')));
    await expect(r.run('project.new')).rejects.toThrow('disk full');
  });

  it('lists the shared commands in menu order, then the others; the palette only what can run and is meant for it', () => {
    const r = new CommandRegistry();
    r.register('x.own', () => {}, { title: 'Own' });
    r.register('help.about', () => {});
    r.register('project.new', () => {});
    r.register('edit.paste', () => {});
    r.register('x.hidden', () => {}, { title: 'Hidden', palette: false });
    r.register('x.unavailable', () => {}, { title: 'Later', when: () => false });
    r.register('x.broken', () => {}, { title: 'Broken when', when: () => { throw new Error('no state yet'); } });
    const order = COMMANDS.map((c) => c.id as string);
    expect(order.indexOf('project.new')).toBeLessThan(order.indexOf('help.about'));
    expect(r.list().map((c) => c.id)).toEqual(['project.new', 'edit.paste', 'help.about', 'x.own', 'x.hidden', 'x.unavailable', 'x.broken']);
    expect(r.available().map((c) => c.id)).toEqual(['project.new', 'help.about', 'x.own']);
  });

  it('finds the command of a chord on the platform, the newest first, only among those that can run', () => {
    const r = new CommandRegistry();
    r.register('view.commandPalette', () => {});
    expect(r.forChord('Ctrl+K', 'linux')?.id).toBe('view.commandPalette');
    expect(r.forChord('Cmd+K', 'darwin')?.id).toBe('view.commandPalette');
    expect(r.forChord('Cmd+K', 'linux')).toBeUndefined();
    let reviewing = true;
    r.register('review.confirm', () => {}, { title: 'Confirm', keys: ['C'], when: () => reviewing });
    r.register('labeling.cluster', () => {}, { title: 'Next Cluster', keys: ['C'] });
    expect(r.forChord('C', 'linux')?.id).toBe('labeling.cluster');
    const off = r.register('review.confirm2', () => {}, { title: 'Confirm', keys: ['C'], when: () => reviewing });
    expect(r.forChord('C', 'linux')?.id).toBe('review.confirm2');
    reviewing = false;
    expect(r.forChord('C', 'linux')?.id).toBe('labeling.cluster');
    off();
  });

  it('tells its listeners about every change', () => {
    const r = new CommandRegistry();
    const seen = vi.fn();
    const stop = r.onChange(seen);
    const off = r.register('x.a', () => {}, { title: 'A' });
    off();
    stop();
    r.register('x.b', () => {}, { title: 'B' });
    expect(seen).toHaveBeenCalledTimes(2);
  });
});

describe('routeKey: who answers a key press', () => {
  const r = new CommandRegistry();
  r.register('edit.undo', () => {});
  r.register('edit.copy', () => {});
  r.register('labeling.next', () => {}, { title: 'Next', keys: ['J'] });
  const cmd = (id: string): Command => r.get(id)!;
  const ctx = (host: KeyContext['host'], editable = false, commandModifier = true): KeyContext => ({ host, editable, commandModifier });

  it('leaves the accelerators of the native menu to it in the desktop app, and takes them in the browser host', () => {
    expect(routeKey(cmd('edit.undo'), ctx('electron'))).toBe(false);
    expect(routeKey(cmd('edit.undo'), ctx('browser'))).toBe(true);
  });

  it("never takes the platform's own keys (clipboard, zoom, quit), nor a key bound to nothing", () => {
    expect(routeKey(cmd('edit.copy'), ctx('browser'))).toBe(false);
    expect(routeKey(cmd('edit.copy'), ctx('electron'))).toBe(false);
    expect(routeKey(undefined, ctx('browser'))).toBe(false);
  });

  it("takes a view's keys in both hosts, except a plain key while a text field has the focus", () => {
    expect(routeKey(cmd('labeling.next'), ctx('electron', false, false))).toBe(true);
    expect(routeKey(cmd('labeling.next'), ctx('browser', false, false))).toBe(true);
    expect(routeKey(cmd('labeling.next'), ctx('browser', true, false))).toBe(false);
    expect(routeKey(cmd('labeling.next'), ctx('electron', true, false))).toBe(false);
    // Ctrl+Z in a text field still goes to Undo, which gives it to the field.
    expect(routeKey(cmd('edit.undo'), ctx('browser', true, true))).toBe(true);
  });
});
