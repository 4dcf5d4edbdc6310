/**
 * The figures of the reliability suite and the report that sums them up.
 *
 * Every suite runs in its own process (vitest's `forks` pool), so the figures travel through a
 * file. The protocol, for any suite that wants its numbers in the report:
 *
 * - The file is `<os.tmpdir()>/clusterscope-reliability/<run>.jsonl`, one JSON object per line,
 *   appended with a single `appendFileSync` per record (an O_APPEND write of one short line, so
 *   records of concurrent processes never interleave).
 * - `<run>` names one vitest run: `$RELIABILITY_RUN_ID` when set (the global setup of this folder
 *   sets it), otherwise `vitest-<pid of the vitest main process>-<its start time>`, which every
 *   forked test process can work out for itself from its parent.
 * - A record is a {@link SuiteFigures}: `suite` (a short name, e.g. `fuzz csv`), `file` (the test
 *   file, relative to the repository, so the report knows which files have reported), and the
 *   counts `trials`, `faults`, `inputsFuzzed`, `writesChecked`, `dataLost`, `failures`, with
 *   `notes` for measured numbers. A suite may record several times; the counts add up.
 * - `recordFigures()` (below) writes a record, and prints the combined report when it finds that
 *   every participating test file of the folder has recorded in this run: a file participates
 *   when its source text calls `recordFigures(`. Whichever suite finishes last therefore prints
 *   the report (vitest runs the files in any order, one or several at a time). With the global
 *   setup wired in vitest.config.ts, the report is printed once by its teardown instead.
 *
 * `npx tsx test/reliability/report.ts` prints the report of the latest run again.
 */
import { appendFileSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Figures {
  /** Fault-injection trials run (one kill, one damaged file, one cancelled job…). */
  trials: number;
  /** Faults actually inflicted (a kill that landed while the process ran, a full disk hit…). */
  faults: number;
  /** Generated inputs fed to parsers. */
  inputsFuzzed: number;
  /** Acknowledged writes (or saved items) checked after a fault. */
  writesChecked: number;
  /** Acknowledged writes missing or changed after a fault. Must be 0. */
  dataLost: number;
  /** Cases that did not behave as required (unexpected errors, crashes). Must be 0. */
  failures: number;
}

export interface SuiteFigures extends Partial<Figures> {
  suite: string;
  /** The test file, relative to the repository root. */
  file: string;
  notes?: string[];
}

interface StoredRecord extends SuiteFigures {
  pid: number;
  at: string;
}

const FOLDER = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(FOLDER, '../..');
export const FIGURES_DIR = join(tmpdir(), 'clusterscope-reliability');
const COUNTS: (keyof Figures)[] = ['trials', 'faults', 'inputsFuzzed', 'writesChecked', 'dataLost', 'failures'];

/** The vitest main process's start time (Linux: field 22 of /proc/<pid>/stat), to tell runs apart when pids are reused. */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '0';
  } catch {
    return '0';
  }
}

/** The name of this vitest run, the same in every test process of the run. */
export function runId(): string {
  return process.env.RELIABILITY_RUN_ID ?? `vitest-${process.ppid}-${startTimeOf(process.ppid)}`;
}

export function figuresFile(run = runId()): string {
  return join(FIGURES_DIR, `${run.replace(/[^\w.-]/g, '_')}.jsonl`);
}

export function readFigures(file: string): StoredRecord[] {
  if (!existsSync(file)) return [];
  const out: StoredRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as StoredRecord);
    } catch {
      // A line cut short by a process killed mid-write: the report says so.
      out.push({ suite: '(unreadable record)', file: '', failures: 1, pid: 0, at: '' });
    }
  }
  return out;
}

/** Test files of this folder that call `recordFigures(`: the suites the report waits for. */
export function participatingFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts') && readFileSync(p, 'utf8').includes('recordFigures(')) files.push(relative(ROOT, p));
    }
  };
  walk(FOLDER);
  return files.sort();
}

/**
 * Appends one record of figures for this run, then prints the combined report if this was the
 * last participating file to report (and no global teardown will print it).
 */
export function recordFigures(figures: SuiteFigures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const record: StoredRecord = { ...figures, file: figures.file.startsWith('/') ? relative(ROOT, figures.file) : figures.file, pid: process.pid, at: new Date().toISOString() };
  const file = figuresFile();
  appendFileSync(file, `${JSON.stringify(record)}\n`);
  if (process.env.RELIABILITY_REPORT_AT_TEARDOWN === '1') return;
  const reported = new Set(readFigures(file).map((r) => r.file));
  if (!participatingFiles().every((f) => reported.has(f))) return;
  // Two suites finishing together may both see every file reported: the first to create the
  // marker prints.
  try {
    closeSync(openSync(`${file}.printed`, 'wx'));
  } catch {
    return;
  }
  console.log(formatReport(readFigures(file), runId()));
}

function sum(records: SuiteFigures[], key: keyof Figures): number {
  return records.reduce((n, r) => n + (r[key] ?? 0), 0);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The report: one line per suite, then the totals, ending with `data lost: N`. */
export function formatReport(records: SuiteFigures[], run: string): string {
  const bySuite = new Map<string, SuiteFigures[]>();
  for (const r of records) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), r]);
  const width = Math.max(24, ...[...bySuite.keys()].map((s) => s.length));
  const head = `${'suite'.padEnd(width)}  ${'trials'.padStart(7)} ${'faults'.padStart(7)} ${'fuzzed'.padStart(8)} ${'checked'.padStart(8)} ${'lost'.padStart(5)} ${'failed'.padStart(6)}`;
  const lines = [`Reliability report (${run})`, head, '-'.repeat(head.length)];
  for (const [suite, rs] of [...bySuite.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const [t, f, z, c, l, x] = COUNTS.map((k) => fmt(sum(rs, k)));
    lines.push(`${suite.padEnd(width)}  ${t.padStart(7)} ${f.padStart(7)} ${z.padStart(8)} ${c.padStart(8)} ${l.padStart(5)} ${x.padStart(6)}`);
    for (const note of rs.flatMap((r) => r.notes ?? [])) lines.push(`${''.padEnd(width)}    ${note}`);
  }
  lines.push('-'.repeat(head.length));
  const missingFuzz = !records.some((r) => (r.inputsFuzzed ?? 0) > 0);
  lines.push(
    `trials run: ${fmt(sum(records, 'trials'))}, faults injected: ${fmt(sum(records, 'faults'))}, ` +
      `inputs fuzzed: ${missingFuzz ? '0 (no fuzz suite recorded its figures; their own lines are printed above)' : fmt(sum(records, 'inputsFuzzed'))}, ` +
      `acknowledged writes checked: ${fmt(sum(records, 'writesChecked'))}, unexpected outcomes: ${fmt(sum(records, 'failures'))}, ` +
      `data lost: ${fmt(sum(records, 'dataLost'))}`,
  );
  return lines.join('\n');
}
