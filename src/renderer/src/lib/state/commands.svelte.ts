/**
 * The app's command registry (lib/shell/command-registry.ts), one for the whole window. Views add
 * their commands with `register`, typically in an effect so that they go when the view goes:
 *
 *   $effect(() => register('labeling.next', () => queue.next(), { title: 'Next Sample', group: 'Labeling', keys: ['J', 'Down'], when: () => queue.size > 0 }));
 *
 * The palette lists them, their keys work in both hosts, and `commands.run(id)` runs any of them.
 */
import { CommandRegistry, type CommandHandler, type CommandOptions } from '../shell/command-registry';

export const commands = new CommandRegistry();

class Revision {
  /** Bumped at every register / unregister: read it to recompute a list of commands. */
  n = $state(0);
}

export const commandsRevision = new Revision();
// Views register in their effects: the bump waits for the end of the current task, once, so no
// state is written while an effect runs and a view adding ten commands costs one refresh.
let bumpQueued = false;
commands.onChange(() => {
  if (bumpQueued) return;
  bumpQueued = true;
  queueMicrotask(() => {
    bumpQueued = false;
    commandsRevision.n++;
  });
});

/** Adds a command (or the current handler of a shared one); returns the function removing it. */
export function register(id: string, run: CommandHandler, opts: CommandOptions = {}): () => void {
  return commands.register(id, run, opts);
}

export type { CommandContext, CommandHandler, CommandOptions } from '../shell/command-registry';
