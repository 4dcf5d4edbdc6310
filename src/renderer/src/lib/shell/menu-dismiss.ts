/**
 * How the title bar's drop-down menus close: a press anywhere outside the menu closes it, and
 * Escape closes it and gives the focus back to the menu's button (`button[aria-haspopup]`).
 * Returns the function removing the listeners (an `$effect`'s cleanup).
 */
export function closeOnOutsideOrEscape(root: HTMLElement, close: () => void): () => void {
  const away = (e: PointerEvent): void => {
    if (!root.contains(e.target as Node)) close();
  };
  const esc = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    close();
    root.querySelector<HTMLButtonElement>('button[aria-haspopup]')?.focus();
  };
  document.addEventListener('pointerdown', away);
  document.addEventListener('keydown', esc);
  return () => {
    document.removeEventListener('pointerdown', away);
    document.removeEventListener('keydown', esc);
  };
}
