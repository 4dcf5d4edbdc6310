/** Where the keyboard focus is, as the shortcuts need to know it. */

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', '']);

/** A field that edits text (so plain keys type, and Undo is the field's own). */
export function isTextField(el: Element | null): el is HTMLElement {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (el instanceof HTMLInputElement) return TEXT_INPUTS.has(el.type) && !el.readOnly && !el.disabled;
  return el instanceof HTMLElement && el.isContentEditable;
}

/** A control where a plain key has a meaning of its own (typing, choosing an option). */
export function isEditable(el: Element | null): boolean {
  return isTextField(el) || el instanceof HTMLSelectElement;
}
