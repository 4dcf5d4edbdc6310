/**
 * What a CSV cell holds: a finite number, a missing value (empty, NaN, NA, infinite...), or text.
 * Called once per cell of files with tens of millions of cells, so it allocates nothing on the
 * common path.
 */

/** Spellings of a missing value (compared in lower case, after trimming), as pandas reads them. */
const MISSING_TOKENS = new Set([
  'nan', '-nan', '+nan', 'na', 'n/a', '#n/a', '#na', '<na>', 'null', 'none', '?',
  'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity',
]);

/**
 * The number in cell `s`: a finite number, NaN when the cell is missing (empty, a NaN or NA
 * spelling, or infinite), undefined when it is text. Numbers are decimal, with an optional sign,
 * fraction and exponent, and may be surrounded by blanks; hexadecimal and the like are text.
 */
export function parseCell(s: string): number | undefined {
  if (s.length === 0) return NaN;
  const c = s.charCodeAt(0);
  // digit, '-', '+', '.': Number() accepts exactly the decimal forms wanted, plus a few others
  // ruled out below ('0x1f', '0b1', '0o7', 'Infinity').
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    const v = Number(s);
    if (v === v) {
      if (c === 48 && s.length > 1) {
        const c1 = s.charCodeAt(1) | 0x20;
        if (c1 === 0x78 || c1 === 0x6f || c1 === 0x62) return undefined;
      }
      // '-Infinity' and '1e999' overflow to infinity: a missing value like 'inf'.
      return v - v === 0 ? v : NaN;
    }
  }
  return parseRareCell(s);
}

function parseRareCell(s: string): number | undefined {
  const t = s.trim();
  if (t.length === 0) return NaN;
  if (t !== s) {
    const v = parseCell(t);
    if (v !== undefined) return v;
  }
  return MISSING_TOKENS.has(t.toLowerCase()) ? NaN : undefined;
}

/** How a missing cell reads in a message: `an empty cell`, `"NaN"`. */
export function describeMissing(s: string): string {
  return s.trim().length === 0 ? 'an empty cell' : `${JSON.stringify(s)}`;
}

/** A cell value shortened for a message. */
export function quoteCell(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
