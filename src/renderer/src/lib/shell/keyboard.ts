/**
 * Key presses in the page, through the command registry: the chord is looked up among the
 * commands' keys and `routeKey` decides whether the page runs it (see command-registry.ts). While
 * a modal dialog is open only the palette's own shortcut acts: the dialog has the keyboard.
 */
import { chordOf, hasCommandModifier } from './keys';
import { routeKey, type CommandRegistry, type Host } from './command-registry';
import { isEditable } from './focus';

export interface KeyboardOptions {
  registry: CommandRegistry;
  host: () => Host;
  platform: () => string;
  onError: (e: unknown) => void;
}

export function installKeyboard(opts: KeyboardOptions): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.isComposing) return;
    const chord = chordOf(e);
    if (!chord) return;
    const cmd = opts.registry.forChord(chord, opts.platform());
    if (!routeKey(cmd, { host: opts.host(), editable: isEditable(document.activeElement), commandModifier: hasCommandModifier(e) })) return;
    if (document.querySelector('dialog[open]') && cmd!.id !== 'view.commandPalette') return;
    e.preventDefault();
    opts.registry.run(cmd!.id, [], 'key').catch(opts.onError);
  };
  // Bubbling, on the window: a component that handles a key itself (and prevents the default) wins.
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
