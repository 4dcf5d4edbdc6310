/** How numbers and times read in the UI. */

/** A metric value: 6 significant digits, "—" when undefined (NaN). */
export function formatMetric(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) >= 1e7 || Math.abs(v) < 1e-4)) return v.toExponential(4);
  return Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

// Made once: `toLocaleTimeString` with options builds a new formatter on every call, which a
// list of runs pays per row.
let timeFormat: Intl.DateTimeFormat | null = null;
let dateTimeFormat: Intl.DateTimeFormat | null = null;

/** A time of day for today's events, a short date and time for older ones. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date().toDateString() === d.toDateString();
  if (today) return (timeFormat ??= new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })).format(d);
  return (dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' })).format(d);
}

const DELIMITERS: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe', ' ': 'space' };

/** A delimiter by name ("comma", "tab"), or the character itself quoted. */
export function formatDelimiter(d: string): string {
  return DELIMITERS[d] ?? `"${d}"`;
}

/** An error's message as a person should read it (no "ApiError:" prefix). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
