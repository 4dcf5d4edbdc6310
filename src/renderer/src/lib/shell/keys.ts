/**
 * Key presses as accelerators, in Electron's syntax (`Ctrl+Shift+Z`, `Cmd+K`, `J`, `Down`), so a
 * key the page sees can be compared with the accelerators of `shared/commands` and with the keys
 * views give their commands (`normalizeAccelerator` makes both sides canonical).
 */
import { normalizeAccelerator, type AcceleratorPlatform } from '../../../../shared/commands';

/** What the page needs of a KeyboardEvent (a plain object in tests). */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const NAMED: Record<string, string> = {
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  ' ': 'Space',
  Escape: 'Escape',
  Enter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Insert: 'Insert',
  '+': 'Plus',
};

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'OS', 'Fn']);

/**
 * The accelerator a key press is, or null for a lone modifier or a key with no name. Letters
 * come from `key` (so the chord follows the keyboard layout, as Electron's do), digits from
 * `code` (Shift+1 stays "Shift+1" rather than "!"); for other printed characters Shift is part
 * of the character (`?` is Shift+/ on one layout and not on another) and is left out.
 */
export function chordOf(e: KeyLike): string | null {
  if (MODIFIER_KEYS.has(e.key) || e.key === 'Dead' || e.key === 'Unidentified' || e.key === '') return null;
  let key: string;
  let shift = e.shiftKey;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(e.key) || NAMED[e.key]) key = NAMED[e.key] ?? e.key;
  else if (e.code?.startsWith('Digit')) key = e.code.slice(5);
  else if (e.key.length === 1 && /\p{L}/u.test(e.key)) key = e.key.toUpperCase();
  else if (e.key.length === 1) {
    key = e.key;
    shift = false;
  } else return null;
  const mods = [e.ctrlKey && 'Ctrl', e.altKey && 'Alt', shift && 'Shift', e.metaKey && 'Cmd'].filter(Boolean);
  return [...mods, key].join('+');
}

/** Whether a chord uses Ctrl, Alt or Cmd (a plain letter is typing when a text field has focus). */
export function hasCommandModifier(e: KeyLike): boolean {
  return e.ctrlKey || e.metaKey || e.altKey;
}

/** Whether two accelerators are the same key chord on `platform` (false when either is malformed). */
export function sameChord(a: string, b: string, platform: AcceleratorPlatform): boolean {
  try {
    return normalizeAccelerator(a, platform) === normalizeAccelerator(b, platform);
  } catch {
    return false;
  }
}
