/**
 * Inline label completion, as an address bar does it: while typing, the rest of the most used
 * label that starts with what was typed is offered selected after the caret, so Enter or Tab
 * accepts it and typing on replaces it.
 */

/**
 * The label to complete `typed` with: the first of `known` (ordered by preference, most used
 * first) that starts with `typed` ignoring case and is longer; null when none or nothing typed.
 */
export function completeLabel(typed: string, known: readonly string[]): string | null {
  if (typed.trim() === '') return null;
  const lower = typed.toLowerCase();
  for (const k of known) if (k.length > typed.length && k.toLowerCase().startsWith(lower)) return k;
  return null;
}

/**
 * What the input shows after a keystroke that inserted text at the end: the typed text followed
 * by the completion's remainder (the typed letters keep their case), and the selection of that
 * remainder. Null when there is nothing to offer.
 */
export function inlineCompletion(typed: string, known: readonly string[]): { value: string; selectionStart: number; selectionEnd: number } | null {
  const match = completeLabel(typed, known);
  if (!match) return null;
  return { value: typed + match.slice(typed.length), selectionStart: typed.length, selectionEnd: match.length };
}
