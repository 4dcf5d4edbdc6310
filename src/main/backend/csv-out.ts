/** CSV text for exports (RFC 4180: quotes where needed, CRLF line ends). */
function cell(v: string): string {
  // A leading =, +, - or @ would be read as a formula by spreadsheets: quote it with a tick.
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
