/**
 * The renderer's one command dispatcher. Every way of giving a command ends here: the command
 * palette, a key press in the page, and a native menu item of the desktop app (`app:command`).
 * A command is an id with a handler; the ids of `shared/commands` take their title, group and
 * accelerator from there, and views add their own (the labeling and review actions) with a title
 * and keys. Registering again under an id stacks a handler on top (a view may take over a shared
 * command while it is shown); the function `register` returns removes exactly that handler.
 *
 * Which key presses the page handles is decided by `routeKey`: in the desktop app the native
 * menu already answers its own accelerators (and sends `app:command`), so the page leaves those
 * keys alone there; in the browser host the page handles them itself. Keys the platform owns
 * (copy, paste, zoom, quit) are never taken, and a plain key in a text field is typing.
 */
import { COMMANDS, isCommandId, type CommandGroup } from '../../../../shared/commands';
import { sameChord } from './keys';

export type CommandSource = 'palette' | 'key' | 'menu' | 'drop';
export type Host = 'electron' | 'browser';

export interface CommandContext {
  source: CommandSource;
  args: readonly unknown[];
}

export type CommandHandler = (ctx: CommandContext) => unknown;

export interface CommandOptions {
  /** Required for a new id; the shared commands have theirs. */
  title?: string;
  /** The palette's group: 'Labeling', 'Review'…; the shared commands use their menu's. */
  group?: string;
  /** Keys in Electron's accelerator syntax: 'J', 'Shift+Enter', 'CmdOrCtrl+Enter', 'Down'. */
  keys?: readonly string[];
  /** Whether the command can run now (a dataset is open, a sample is selected…). */
  when?: () => boolean;
  /** List it in the command palette (default true). */
  palette?: boolean;
}

export interface Command {
  id: string;
  title: string;
  group: string;
  keys: readonly string[];
  /** An item of the native menu, whose accelerator the desktop app handles. */
  inMenu: boolean;
  /** A platform action (clipboard, zoom, quit): the page leaves its keys to the platform. */
  native: boolean;
  palette: boolean;
  when: () => boolean;
  run: CommandHandler;
}

const GROUP_TITLES: Record<CommandGroup, string> = { file: 'File', edit: 'Edit', view: 'View', run: 'Run', help: 'Help' };

/**
 * Shared commands the platform performs itself: text editing on the focused field, page zoom and
 * quitting (native menu roles in the desktop app, the browser's own keys in the browser host).
 */
export const NATIVE_COMMANDS: ReadonlySet<string> = new Set(['edit.cut', 'edit.copy', 'edit.paste', 'edit.selectAll', 'view.zoomIn', 'view.zoomOut', 'view.resetZoom', 'app.quit']);

const always = (): boolean => true;

export class CommandRegistry {
  /** Handlers by id, the newest last: the newest one answers. */
  private readonly stacks = new Map<string, Command[]>();
  private readonly listeners = new Set<() => void>();

  /** Adds a handler for `id`; returns the function that removes it again. */
  register(id: string, run: CommandHandler, opts: CommandOptions = {}): () => void {
    const shared = isCommandId(id) ? COMMANDS.find((c) => c.id === id)! : null;
    const title = opts.title ?? shared?.title;
    if (!title) throw new Error(`command '${id}' needs a title`);
    const sharedKeys: string[] = shared && 'accelerator' in shared ? [shared.accelerator] : [];
    const cmd: Command = {
      id,
      title,
      group: opts.group ?? (shared ? GROUP_TITLES[shared.group] : 'Commands'),
      keys: opts.keys ?? sharedKeys,
      inMenu: shared !== null,
      native: NATIVE_COMMANDS.has(id),
      palette: opts.palette ?? !NATIVE_COMMANDS.has(id),
      when: opts.when ?? always,
      run,
    };
    let stack = this.stacks.get(id);
    if (!stack) this.stacks.set(id, (stack = []));
    stack.push(cmd);
    this.changed();
    return () => {
      const s = this.stacks.get(id);
      const i = s ? s.lastIndexOf(cmd) : -1;
      if (i < 0) return;
      s!.splice(i, 1);
      if (s!.length === 0) this.stacks.delete(id);
      this.changed();
    };
  }

  /** The handler answering `id` now, or undefined. */
  get(id: string): Command | undefined {
    return this.stacks.get(id)?.at(-1);
  }

  /** Every command (its answering handler), the shared ones in menu order, then the others as added. */
  list(): Command[] {
    const out: Command[] = [];
    for (const c of COMMANDS) {
      const cmd = this.get(c.id);
      if (cmd) out.push(cmd);
    }
    for (const [id, stack] of this.stacks) if (!isCommandId(id)) out.push(stack.at(-1)!);
    return out;
  }

  /** The commands the palette offers now. */
  available(): Command[] {
    return this.list().filter((c) => c.palette && isAvailable(c));
  }

  /**
   * Runs a command. Returns false (and does nothing) when no handler has the id or the command
   * cannot run now; a handler's failure is the caller's to report.
   */
  async run(id: string, args: readonly unknown[] = [], source: CommandSource = 'palette'): Promise<boolean> {
    const cmd = this.get(id);
    if (!cmd || !isAvailable(cmd)) return false;
    await cmd.run({ source, args });
    return true;
  }

  /** The available command bound to a chord, or undefined. */
  forChord(chord: string, platform: string): Command | undefined {
    // Newer registrations first: a view's key shadows an older one.
    const all = this.list().reverse();
    return all.find((c) => c.keys.some((k) => sameChord(k, chord, platform)) && isAvailable(c));
  }

  /** Called after every register / unregister (the palette refreshes its list). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function isAvailable(c: Command): boolean {
  try {
    return c.when();
  } catch {
    return false;
  }
}

export interface KeyContext {
  host: Host;
  /** Focus is in a text field (input, textarea, select, contenteditable). */
  editable: boolean;
  /** The chord uses Ctrl, Alt or Cmd. */
  commandModifier: boolean;
}

/**
 * Whether the page should run `cmd` for a key press (and stop the browser's default), or leave the
 * key alone. See the module comment for the rules.
 */
export function routeKey(cmd: Command | undefined, ctx: KeyContext): boolean {
  if (!cmd || cmd.native) return false;
  // The desktop app's menu has the accelerator and sends app:command itself.
  if (ctx.host === 'electron' && cmd.inMenu) return false;
  // A plain key in a text field is typing, whatever view commands use it.
  if (ctx.editable && !ctx.commandModifier) return false;
  return true;
}
