/**
 * Label completion as a shell suggests: while typing, the rest of the most used label that starts
 * with the text is shown greyed after it; → at the end of the text takes it, while Enter and Tab
 * keep exactly what was typed (so "1" stays "1" when "12" is in use).
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

/** The greyed rest shown after `typed` (empty when there is no suggestion). */
export function suggestionRest(typed: string, known: readonly string[]): string {
  const match = completeLabel(typed, known);
  return match ? match.slice(typed.length) : '';
}
