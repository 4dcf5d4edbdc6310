/**
 * Keyboard movement in a grid of label fields laid out in rows of `columns`: arrows move (left and
 * right only when the caret is at that end of the text, so editing a label still works), Enter and
 * Tab go to the next field, Shift+Enter and Shift+Tab to the previous, Home / End (with Ctrl) to the
 * first / last. Returns the index to focus, or null to let the key do what it normally does.
 */

export interface NavKey {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export interface Caret {
  /** Caret position and text length of the field the key was pressed in. */
  start: number;
  end: number;
  length: number;
}

export function gridMove(index: number, count: number, columns: number, e: NavKey, caret: Caret): number | null {
  if (count === 0 || e.altKey) return null;
  const cols = Math.max(1, columns);
  const clamp = (i: number): number | null => (i >= 0 && i < count && i !== index ? i : null);
  const collapsed = caret.start === caret.end;
  switch (e.key) {
    case 'ArrowRight':
      return collapsed && caret.end === caret.length ? clamp(index + 1) : null;
    case 'ArrowLeft':
      return collapsed && caret.start === 0 ? clamp(index - 1) : null;
    case 'ArrowDown':
      return clamp(index + cols);
    case 'ArrowUp':
      return clamp(index - cols);
    case 'Enter':
      return clamp(index + (e.shiftKey ? -1 : 1));
    case 'Tab':
      // At either end of the grid Tab leaves it, as it should.
      return clamp(index + (e.shiftKey ? -1 : 1));
    case 'Home':
      return e.ctrlKey || e.metaKey ? clamp(0) : null;
    case 'End':
      return e.ctrlKey || e.metaKey ? clamp(count - 1) : null;
    default:
      return null;
  }
}

/** Columns of a CSS grid whose tiles are `tile` px wide with `gap` px between them in `width` px. */
export function columnsFor(width: number, tile: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (tile + gap)));
}
