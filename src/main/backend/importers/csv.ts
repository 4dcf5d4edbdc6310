/**
 * CSV and TSV tables: a strict parse with csv-parse (quotes honoured, every record the same
 * number of fields, BOM stripped, CRLF/LF/CR line ends), with the delimiter and header guessed
 * from the first records unless given. `inspectCsv` describes a file's columns so that a person
 * can choose; `readCsv` turns the chosen numeric columns into a matrix. The `...File` variants
 * stream from disk with progress and never hold the whole text in memory; `readCsvBatches` hands
 * the chosen columns on in row batches and never holds the table either.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { CsvError, Parser, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { Matrix } from '../../../core/math/matrix';
import { budgetOf, checkBudget, fromDiskOffer, type BudgetOptions } from './budget';
import { describeMissing, parseCell, quoteCell } from './csv-cells';
import { SNIFF_FIRST_BYTES, SNIFF_MAX_BYTES, detectHeader, sniffBytes, type CsvDelimiter } from './csv-sniff';
import { ImportError } from './errors';
import { asImportError, fileSize, readFileHead } from './io';
import { Utf8Checker } from './utf8';

export type { CsvDelimiter } from './csv-sniff';

/** Rows of data `inspectCsv` returns as they are written. */
export const PREVIEW_ROWS = 20;
/** `distinctCount` stops counting here: a count of DISTINCT_CAP means at least that many. */
export const DISTINCT_CAP = 1000;
/** Generous: the arrays and a small Set of the statistics of one column. */
const STATS_BYTES_PER_COLUMN = 512;
/** The most distinct values a label column may have. */
const LABEL_MAX_DISTINCT = 100;
/** Names that mark an integer column as labels rather than a feature. */
const LABEL_NAMES = /^(label|labels|class|classes|target|targets|y|species|category|categories|cluster|group|digit|person|outcome)$/i;
/**
 * The longest record accepted, in characters: far above any real row, it stops a stray quote from
 * swallowing the rest of a large file into one field.
 */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;
/** Bytes read from disk (and handed to the UTF-8 check) at a time. */
const CHUNK_BYTES = 1 << 20;

export interface CsvColumn {
  /** 0-based position in the file. */
  index: number;
  /** The header cell, or `column N` (1-based) when the file has no header. */
  name: string;
  /** Every non-missing cell is a finite number, and there is at least one. */
  numeric: boolean;
  /** Cells that are empty, a NaN/NA spelling or infinite. */
  missing: number;
  /** The first cell that is text, for telling why a column is not numeric. */
  nonNumericExample?: { line: number; value: string };
  /** Distinct non-missing values, counted up to DISTINCT_CAP. */
  distinctCount: number;
  /** Few distinct values, text or integer codes under a label-like name: likely the classes. */
  isLabelCandidate: boolean;
}

export interface CsvPreview {
  file: string;
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  columns: CsvColumn[];
  /** Data rows, header excluded. */
  nRows: number;
  /** The first PREVIEW_ROWS data rows, as written. */
  rows: string[][];
}

/** The dialect, when the caller knows better than the guess (e.g. after a person corrected it). */
export interface CsvDialect {
  delimiter?: CsvDelimiter;
  hasHeader?: boolean;
}

/** For `inspectCsv`: the dialect, and the budget for the statistics kept per column. */
export interface CsvInspectOptions extends CsvDialect, BudgetOptions {}

/** For the `...File` functions. */
export interface CsvStreamOptions {
  /** Bytes read from disk at a time, default 1 MiB. */
  chunkBytes?: number;
}

/** A column by header name (or `column N` without a header) or by 0-based index. */
export type ColumnRef = string | number;

export interface CsvReadOptions extends CsvDialect, BudgetOptions {
  /** The numeric columns to use, in this order; default every numeric column but the label. */
  columns?: ColumnRef[];
  /** The column of class labels, kept as strings; default none. */
  labelColumn?: ColumnRef | null;
  /** What a missing cell in a used column does: fail (default) or drop its row. */
  missing?: 'error' | 'drop-rows';
}

export interface ImportedTable {
  /** (nSamples, nFeatures), the chosen columns in order. */
  X: Matrix<Float64Array>;
  featureNames: string[];
  /** One label per row of X, or null without a label column. */
  labels: string[] | null;
  labelName: string | null;
  /** Rows left out for missing values (with `missing: 'drop-rows'`). */
  nDroppedRows: number;
}

/** Describes the columns of a CSV/TSV file held in memory. */
export function inspectCsv(bytes: Uint8Array, file: string, opts: CsvInspectOptions = {}): CsvPreview {
  const d = dialectOf(bytes, opts, bytes.length, file);
  const scan = new StatsScan(file, d.hasHeader, budgetOf(opts), d.width);
  parseBytes(bytes, file, d.delimiter, scan);
  return scan.result(d.delimiter);
}

/** Describes the columns of a CSV/TSV file on disk, streaming it. */
export async function inspectCsvFile(
  path: string,
  opts: CsvInspectOptions & CsvStreamOptions = {},
  onProgress?: (fraction: number) => void,
): Promise<CsvPreview> {
  const file = basename(path);
  const chunk = chunkBytesOf(opts);
  const { size, dialect: d } = await fileDialect(path, file, opts);
  const scan = new StatsScan(file, d.hasHeader, budgetOf(opts), d.width);
  await parseFile(path, file, size, d.delimiter, scan, chunk, onProgress);
  return scan.result(d.delimiter);
}

/** Reads the chosen numeric columns (and labels) of a CSV/TSV file held in memory. */
export function readCsv(bytes: Uint8Array, file: string, opts: CsvReadOptions = {}): ImportedTable {
  const d = dialectOf(bytes, opts, bytes.length, file);
  const scan = new TableScan(file, d.hasHeader, opts, budgetOf(opts), bytes.length / Math.max(1, d.charsPerRecord));
  parseBytes(bytes, file, d.delimiter, scan);
  return scan.result();
}

/**
 * Reads the chosen numeric columns (and labels) of a CSV/TSV file on disk, streaming it with
 * csv-parse and growing the matrix as rows arrive; `onProgress` gets the fraction of bytes read.
 */
export async function readCsvFile(
  path: string,
  opts: CsvReadOptions & CsvStreamOptions = {},
  onProgress?: (fraction: number) => void,
): Promise<ImportedTable> {
  const file = basename(path);
  const chunk = chunkBytesOf(opts);
  const { size, dialect: d } = await fileDialect(path, file, opts);
  const scan = new TableScan(file, d.hasHeader, opts, budgetOf(opts), size / Math.max(1, d.charsPerRecord));
  await parseFile(path, file, size, d.delimiter, scan, chunk, onProgress);
  return scan.result();
}

/** For {@link readCsvBatches}. */
export interface CsvBatchOptions extends CsvDialect, CsvStreamOptions {
  /** The numeric columns to read, in this order (inspect the file first to choose them). */
  columns: ColumnRef[];
  /** Rows per batch (the last batch may be shorter). */
  batchSize: number;
  /** What a missing cell in a chosen column does: fail (default) or drop its row. */
  missing?: 'error' | 'drop-rows';
}

/**
 * The chosen numeric columns of a CSV/TSV file on disk as batches of `batchSize` rows, in file
 * order, parsed and checked as `readCsvFile` checks them (same errors, same lines): what is held
 * at a time is one read chunk and the batches parsed from it, never the table. Each batch is a
 * fresh (rows, columns.length) matrix; `onProgress` gets the fraction of bytes read.
 */
export async function* readCsvBatches(
  path: string,
  opts: CsvBatchOptions,
  onProgress?: (fraction: number) => void,
): AsyncGenerator<Matrix<Float64Array>, void, undefined> {
  const file = basename(path);
  const chunk = chunkBytesOf(opts);
  const { size, dialect: d } = await fileDialect(path, file, opts);
  const scan = new BatchScan(file, d.hasHeader, opts);
  for await (const _ of feedFile(path, file, size, d.delimiter, scan, chunk, onProgress)) yield* scan.take();
  yield* scan.finish();
}

// ---------------------------------------------------------------------------------------------
// The dialect

interface Dialect {
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  charsPerRecord: number;
  /** Fields of the first sampled record (0 when none was sampled whole). */
  width: number;
}

/** The dialect of a file starting with `head`, given overrides first. */
function dialectOf(head: Uint8Array, given: CsvDialect, size: number, file: string): Dialect {
  if (head.length === 0 || (head.length >= size && isBlank(head))) throw new ImportError(file, 'empty-file', 'the file is empty');
  if (given.delimiter !== undefined && !(given.delimiter === ',' || given.delimiter === '\t' || given.delimiter === ';')) {
    throw new ImportError(file, 'bad-option', `delimiter ${JSON.stringify(given.delimiter)} is not one of ',', tab, ';'`);
  }
  const s = sniffBytes(head, head.length >= size);
  const delimiter = given.delimiter ?? s.delimiter;
  const hasHeader = given.hasHeader ?? (delimiter === s.delimiter ? s.hasHeader : detectHeader(s.samples[delimiter]));
  return { delimiter, hasHeader, charsPerRecord: s.charsPerRecord, width: s.samples[delimiter][0]?.length ?? 0 };
}

function chunkBytesOf(opts: CsvStreamOptions): number {
  const n = opts.chunkBytes ?? CHUNK_BYTES;
  if (!(Number.isInteger(n) && n >= 16)) throw new RangeError(`chunkBytes must be an integer of at least 16, got ${n}`);
  return n;
}

async function fileDialect(path: string, file: string, given: CsvDialect): Promise<{ size: number; dialect: Dialect }> {
  const size = await fileSize(path);
  if (size === 0) throw new ImportError(file, 'empty-file', 'the file is empty');
  // The guess sees the same bytes as from memory: the first mebibyte, or up to 16 MiB when
  // the rows are so wide that the first does not settle it.
  let head = await readFileHead(path, file, Math.min(size, SNIFF_FIRST_BYTES));
  if (size > head.length && !sniffBytes(head, false).settled) head = await readFileHead(path, file, Math.min(size, SNIFF_MAX_BYTES));
  return { size, dialect: dialectOf(head, given, size, file) };
}

/** Only blanks, line breaks and a byte order mark. */
function isBlank(b: Uint8Array): boolean {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  for (; i < b.length; i++) {
    const c = b[i];
    if (!(c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Driving csv-parse

/** What receives the records, with the 1-based line each starts on. */
interface RecordSink {
  /** Fields of the first record, once known: a ragged row is reported against it. */
  readonly width: number;
  record(fields: string[], line: number): void;
}

/**
 * Turns csv-parse's line counts into the line each record starts on. csv-parse counts a CRLF
 * inside a quoted field as two lines; the drift this causes is subtracted.
 */
class LineTracker {
  private previous = 0;
  private drift = 0;

  /** The start line of `fields`, a record csv-parse finished on its line `lines`. */
  startLine(fields: string[], lines: number): number {
    let inner = 0;
    // Only a record that spans lines (or follows blank ones) can hold line breaks.
    if (lines - this.previous > 1) {
      for (const f of fields) {
        if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
        for (let k = 0; k < f.length; k++) {
          const c = f.charCodeAt(k);
          if (c === 13) {
            inner++;
            if (f.charCodeAt(k + 1) === 10) {
              k++;
              this.drift++;
            }
          } else if (c === 10) inner++;
        }
      }
    }
    this.previous = lines;
    return lines - this.drift - inner;
  }

  /** csv-parse's line for an error, corrected. */
  line(lines: number): number {
    return Math.max(1, lines - this.drift);
  }

  /** The line after the last complete record. */
  get next(): number {
    return this.previous - this.drift + 1;
  }
}

function csvOptions(delimiter: CsvDelimiter, tracker: LineTracker, sink: RecordSink): Options {
  return {
    delimiter,
    bom: true,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: false,
    relax_quotes: false,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[], context) => {
      sink.record(record, tracker.startLine(record, context.lines));
      // Nothing is collected: the sink keeps what it needs.
      return null;
    },
  };
}

function parseBytes(bytes: Uint8Array, file: string, delimiter: CsvDelimiter, sink: RecordSink): void {
  const checker = new Utf8Checker(file);
  for (let o = 0; o < bytes.length; o += CHUNK_BYTES) checker.push(bytes.subarray(o, o + CHUNK_BYTES));
  checker.end();
  const tracker = new LineTracker();
  try {
    parseSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), csvOptions(delimiter, tracker, sink));
  } catch (e) {
    throw csvError(e, file, tracker, sink);
  }
}

async function parseFile(
  path: string,
  file: string,
  size: number,
  delimiter: CsvDelimiter,
  sink: RecordSink,
  chunkBytes: number,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  for await (const _ of feedFile(path, file, size, delimiter, sink, chunkBytes, onProgress));
}

/**
 * Streams the file through csv-parse into `sink`, pausing (yielding) after each chunk so that a
 * caller can take what the sink collected from it; every failure is thrown as an ImportError.
 */
async function* feedFile(
  path: string,
  file: string,
  size: number,
  delimiter: CsvDelimiter,
  sink: RecordSink,
  chunkBytes: number,
  onProgress?: (fraction: number) => void,
): AsyncGenerator<void, void, undefined> {
  const checker = new Utf8Checker(file);
  const tracker = new LineTracker();
  const parser = new Parser(csvOptions(delimiter, tracker, sink));
  let failure: unknown = undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  const source = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (failure !== undefined) break;
      checker.push(chunk);
      // The parser handles each chunk synchronously and emits nothing (on_record keeps the
      // records), so nothing piles up behind it and its backpressure signal can be ignored.
      parser.write(chunk);
      onProgress?.(Math.min(1, source.bytesRead / Math.max(1, size)));
      yield;
    }
    if (failure === undefined) {
      checker.end();
      await new Promise<void>((resolve, reject) => {
        parser.once('error', reject);
        parser.once('end', resolve);
        parser.end();
        parser.resume();
      });
    }
  } catch (e) {
    failure ??= e;
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (failure !== undefined) throw csvError(failure, file, tracker, sink);
  onProgress?.(1);
}

/** csv-parse's errors (and file-system ones) as ImportErrors with a corrected line. */
function csvError(e: unknown, file: string, tracker: LineTracker, sink: RecordSink): ImportError {
  if (e instanceof ImportError) return e;
  if (!(e instanceof CsvError)) return asImportError(e, file, 0);
  const lines = typeof e.lines === 'number' ? e.lines : tracker.next;
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const record = Array.isArray(e.record) ? (e.record as string[]) : [];
      const inner = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      const expected = sink.width;
      return new ImportError(file, 'ragged-row', `expected ${expected} field${expected === 1 ? '' : 's'}, found ${record.length}`, {
        line: Math.max(1, tracker.line(lines) - inner),
      });
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportError(file, 'bad-quote', 'a quoted field opened here is never closed', { line: tracker.next });
    case 'INVALID_OPENING_QUOTE':
      return new ImportError(file, 'bad-quote', 'a quote inside an unquoted field; quote the whole field and double the inner quotes', { line: tracker.line(lines) });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new ImportError(file, 'bad-quote', 'a closing quote is followed by something other than a delimiter or a line end', { line: tracker.line(lines) });
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportError(file, 'record-too-long', `a record longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (often a quote that is never closed)`, {
        line: tracker.next,
      });
    default:
      return new ImportError(file, 'bad-value', `the file cannot be parsed as CSV (${e.message})`, { line: tracker.line(lines) });
  }
}

// ---------------------------------------------------------------------------------------------
// What is done with the records

/** Takes the first record as the header (or not) and hands the data rows on. */
abstract class Scan implements RecordSink {
  width = -1;
  names: string[] = [];

  constructor(
    protected readonly file: string,
    protected readonly hasHeader: boolean,
  ) {}

  record(fields: string[], line: number): void {
    if (this.width < 0) {
      this.width = fields.length;
      this.names = fields.map((f, j) => (this.hasHeader && f.trim() !== '' ? f.trim() : `column ${j + 1}`));
      this.start();
      if (this.hasHeader) return;
    }
    this.row(fields, line);
  }

  /** How messages name column `j`. */
  protected ref(j: number): string | number {
    return this.hasHeader ? this.names[j] : j + 1;
  }

  /** The 0-based index of column `ref` (a header name or an index), for messages called `what`. */
  protected resolve(ref: ColumnRef, what: string): number {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= this.width) {
        throw new ImportError(this.file, 'unknown-column', `${what} ${ref} does not exist: the columns are numbered 0 to ${this.width - 1}`);
      }
      return ref;
    }
    const hits: number[] = [];
    this.names.forEach((name, j) => name === ref && hits.push(j));
    if (hits.length === 0) {
      const some = this.names.slice(0, 8).map((s) => JSON.stringify(s)).join(', ') + (this.width > 8 ? ', …' : '');
      throw new ImportError(this.file, 'unknown-column', `no column is named ${JSON.stringify(ref)} (the columns are ${some})`);
    }
    if (hits.length > 1) {
      throw new ImportError(this.file, 'bad-option', `${hits.length} columns are named ${JSON.stringify(ref)}: choose the ${what} by index`);
    }
    return hits[0];
  }

  protected noRows(): ImportError {
    return this.width < 0
      ? new ImportError(this.file, 'empty-file', 'the file has no records')
      : new ImportError(this.file, 'no-data', 'the file has a header row but no data rows');
  }

  protected abstract start(): void;
  protected abstract row(fields: string[], line: number): void;
}

class StatsScan extends Scan {
  private nRows = 0;
  private readonly rows: string[][] = [];
  private numbers: number[] = [];
  private missing: number[] = [];
  private texts: number[] = [];
  private integers: boolean[] = [];
  private firstText: ({ line: number; value: string } | undefined)[] = [];
  /** Per column: the values seen, null once past DISTINCT_CAP, undefined before the first. */
  private distinct: (Set<string | number> | null | undefined)[] = [];

  constructor(
    file: string,
    hasHeader: boolean,
    private readonly budget: number,
    sampledWidth: number,
  ) {
    super(file, hasHeader);
    // Checked once from the sample, before csv-parse spends seconds on a record of millions of
    // fields, and again (in start) from the first record parsed.
    checkBudget(file, sampledWidth * STATS_BYTES_PER_COLUMN, budget);
  }

  protected start(): void {
    const w = this.width;
    // A few hundred bytes of statistics per column: a record of millions of empty fields
    // must not turn into gigabytes of them.
    checkBudget(this.file, w * STATS_BYTES_PER_COLUMN, this.budget);
    this.numbers = new Array(w).fill(0);
    this.missing = new Array(w).fill(0);
    this.texts = new Array(w).fill(0);
    this.integers = new Array(w).fill(true);
    this.firstText = new Array(w).fill(undefined);
    this.distinct = new Array(w).fill(undefined);
  }

  protected row(fields: string[], line: number): void {
    this.nRows++;
    if (this.rows.length < PREVIEW_ROWS) this.rows.push(fields);
    for (let j = 0; j < fields.length; j++) {
      const s = fields[j];
      const v = parseCell(s);
      if (v !== undefined && v !== v) {
        this.missing[j]++;
        continue;
      }
      if (v === undefined) {
        if (this.texts[j]++ === 0) this.firstText[j] = { line, value: s };
      } else {
        this.numbers[j]++;
        if (this.integers[j] && !Number.isInteger(v)) this.integers[j] = false;
      }
      const set = this.distinct[j];
      if (set === undefined) this.distinct[j] = new Set([v ?? s]);
      else if (set !== null) {
        // Numbers by value ('1' and '1.0' are one class), which also hashes faster than text.
        set.add(v ?? s);
        if (set.size > DISTINCT_CAP) this.distinct[j] = null;
      }
    }
  }

  result(delimiter: CsvDelimiter): CsvPreview {
    if (this.nRows === 0) throw this.noRows();
    const n = this.nRows;
    const maxDistinct = Math.min(LABEL_MAX_DISTINCT, Math.max(2, Math.floor(n / 2)));
    const columns: CsvColumn[] = this.names.map((name, j) => {
      const numeric = this.texts[j] === 0 && this.numbers[j] > 0;
      const set = this.distinct[j];
      const distinctCount = set === undefined ? 0 : set === null ? DISTINCT_CAP : set.size;
      const few = distinctCount >= 2 && distinctCount <= maxDistinct;
      const isLabelCandidate = numeric ? few && this.integers[j] && this.missing[j] === 0 && LABEL_NAMES.test(name) : few && this.texts[j] > 0;
      const column: CsvColumn = { index: j, name, numeric, missing: this.missing[j], distinctCount, isLabelCandidate };
      const example = this.firstText[j];
      if (example !== undefined) column.nonNumericExample = example;
      return column;
    });
    return { file: this.file, delimiter, hasHeader: this.hasHeader, columns, nRows: n, rows: this.rows };
  }
}

/**
 * Builds the matrix. With explicit columns, a text cell or (by default) a missing one fails at
 * once; by default every column is stored until the end shows which are numeric.
 */
class TableScan extends Scan {
  /** The file column of each stored column. */
  private slots = new Int32Array(0);
  private explicit = false;
  private label = -1;
  private data = new Float64Array(0);
  private capacity = 0;
  private n = 0;
  private textSeen = new Uint8Array(0);
  private numberSeen = new Uint8Array(0);
  private firstMissing: ({ line: number; value: string } | undefined)[] = [];
  private labels: string[] | null = null;
  private readonly dropRows: boolean;

  constructor(
    file: string,
    hasHeader: boolean,
    private readonly opts: CsvReadOptions,
    private readonly budget: number,
    private readonly expectedRows: number,
  ) {
    super(file, hasHeader);
    const missing = opts.missing ?? 'error';
    if (missing !== 'error' && missing !== 'drop-rows') {
      throw new ImportError(file, 'bad-option', `missing must be 'error' or 'drop-rows', got ${JSON.stringify(missing)}`);
    }
    this.dropRows = missing === 'drop-rows';
  }

  protected start(): void {
    const { columns, labelColumn } = this.opts;
    this.label = labelColumn === undefined || labelColumn === null ? -1 : this.resolve(labelColumn, 'label column');
    if (this.label >= 0) this.labels = [];
    if (columns !== undefined) {
      if (columns.length === 0) throw new ImportError(this.file, 'bad-option', 'no columns are chosen');
      const chosen = columns.map((c) => this.resolve(c, 'column'));
      const seen = new Set<number>();
      for (const j of chosen) {
        if (seen.has(j)) throw new ImportError(this.file, 'bad-option', `column ${JSON.stringify(this.names[j])} is chosen twice`);
        if (j === this.label) throw new ImportError(this.file, 'bad-option', `column ${JSON.stringify(this.names[j])} is both a feature and the label`);
        seen.add(j);
      }
      this.slots = Int32Array.from(chosen);
      this.explicit = true;
    } else {
      const all: number[] = [];
      for (let j = 0; j < this.width; j++) if (j !== this.label) all.push(j);
      this.slots = Int32Array.from(all);
    }
    const w = this.slots.length;
    this.textSeen = new Uint8Array(w);
    this.numberSeen = new Uint8Array(w);
    this.firstMissing = new Array(w).fill(undefined);
    const fits = w === 0 ? Infinity : Math.floor(this.budget / 8 / w);
    this.grow(Math.min(fits, Math.ceil(this.expectedRows * 1.05) + 16));
  }

  protected row(fields: string[], line: number): void {
    const w = this.slots.length;
    if (this.n === this.capacity) this.grow(this.n + 1);
    const data = this.data;
    const base = this.n * w;
    for (let s = 0; s < w; s++) {
      const j = this.slots[s];
      const cell = fields[j];
      const v = parseCell(cell);
      if (v === undefined) {
        if (this.explicit) throw new ImportError(this.file, 'non-numeric', `${quoteCell(cell)} is not a number`, { line, column: this.ref(j) });
        this.textSeen[s] = 1;
        data[base + s] = NaN;
        continue;
      }
      if (v !== v) {
        if (this.explicit && !this.dropRows) throw this.missingError(line, j, cell);
        this.firstMissing[s] ??= { line, value: cell };
      } else this.numberSeen[s] = 1;
      data[base + s] = v;
    }
    this.labels?.push(fields[this.label]);
    this.n++;
  }

  private missingError(line: number, j: number, cell: string): ImportError {
    return new ImportError(this.file, 'missing-value', `${describeMissing(cell)} where a number is needed (rows with missing values can be dropped instead)`, {
      line,
      column: this.ref(j),
    });
  }

  /** Room for at least `rows` rows: 1.5 times more each time, within the budget. */
  private grow(rows: number): void {
    const w = this.slots.length;
    const old = this.capacity;
    let capacity = Math.max(rows, Math.ceil(old * 1.5), 64);
    // The old and the new buffer live together while the rows are copied.
    const room = w === 0 ? Infinity : Math.floor(this.budget / 8 / w) - old;
    if (capacity > room) capacity = Math.max(rows, room);
    checkBudget(this.file, (old + capacity) * w * 8, this.budget, fromDiskOffer(this.file));
    const data = new Float64Array(capacity * w);
    data.set(this.data.subarray(0, this.n * w));
    this.data = data;
    this.capacity = capacity;
  }

  result(): ImportedTable {
    if (this.n === 0) throw this.noRows();
    const w = this.slots.length;
    const keepSlots: number[] = [];
    for (let s = 0; s < w; s++) if (this.explicit || (this.textSeen[s] === 0 && this.numberSeen[s] === 1)) keepSlots.push(s);
    if (keepSlots.length === 0) {
      throw new ImportError(this.file, 'no-numeric-columns', this.label >= 0 ? 'no column but the label holds numbers' : 'no column holds numbers');
    }
    if (!this.explicit && !this.dropRows) {
      let first = -1;
      for (const s of keepSlots) {
        const m = this.firstMissing[s];
        if (m !== undefined && (first < 0 || m.line < this.firstMissing[first]!.line)) first = s;
      }
      if (first >= 0) throw this.missingError(this.firstMissing[first]!.line, this.slots[first], this.firstMissing[first]!.value);
    }

    const n = this.n;
    const keep = new Uint8Array(n).fill(1);
    let kept = n;
    if (this.dropRows) {
      for (let i = 0; i < n; i++) {
        for (const s of keepSlots) {
          if (this.data[i * w + s] !== this.data[i * w + s]) {
            keep[i] = 0;
            kept--;
            break;
          }
        }
      }
      if (kept === 0) throw new ImportError(this.file, 'no-data', `all ${n} rows have a missing value in the chosen columns`);
    }

    const d = keepSlots.length;
    let X: Float64Array;
    if (d === w && kept === n && this.capacity === n) {
      X = this.data;
    } else if (d === w && kept === n) {
      checkBudget(this.file, (this.capacity + n) * w * 8, this.budget, fromDiskOffer(this.file));
      X = this.data.slice(0, n * w);
    } else {
      checkBudget(this.file, (this.capacity * w + kept * d) * 8, this.budget, fromDiskOffer(this.file));
      X = new Float64Array(kept * d);
      for (let i = 0, r = 0; i < n; i++) {
        if (!keep[i]) continue;
        for (let k = 0; k < d; k++) X[r * d + k] = this.data[i * w + keepSlots[k]];
        r++;
      }
    }
    this.data = new Float64Array(0);
    const labels = this.labels === null ? null : kept === n ? this.labels : this.labels.filter((_, i) => keep[i] === 1);
    return {
      X: { rows: kept, cols: d, data: X },
      featureNames: keepSlots.map((s) => this.names[this.slots[s]]),
      labels,
      labelName: this.label >= 0 ? this.names[this.label] : null,
      nDroppedRows: n - kept,
    };
  }
}

/** Cuts the chosen columns into row batches as the records arrive (explicit columns only). */
class BatchScan extends Scan {
  private slots = new Int32Array(0);
  private batch = new Float64Array(0);
  /** Rows in `batch`. */
  private n = 0;
  private ready: Matrix<Float64Array>[] = [];
  private kept = 0;
  private dropped = 0;
  private readonly batchSize: number;
  private readonly dropRows: boolean;

  constructor(
    file: string,
    hasHeader: boolean,
    private readonly opts: CsvBatchOptions,
  ) {
    super(file, hasHeader);
    const b = opts.batchSize;
    if (!(Number.isInteger(b) && b >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${b}`);
    this.batchSize = b;
    const missing = opts.missing ?? 'error';
    if (missing !== 'error' && missing !== 'drop-rows') {
      throw new ImportError(file, 'bad-option', `missing must be 'error' or 'drop-rows', got ${JSON.stringify(missing)}`);
    }
    this.dropRows = missing === 'drop-rows';
  }

  protected start(): void {
    if (this.opts.columns.length === 0) throw new ImportError(this.file, 'bad-option', 'no columns are chosen');
    const chosen = this.opts.columns.map((c) => this.resolve(c, 'column'));
    if (new Set(chosen).size !== chosen.length) {
      const j = chosen.find((x, i) => chosen.indexOf(x) !== i)!;
      throw new ImportError(this.file, 'bad-option', `column ${JSON.stringify(this.names[j])} is chosen twice`);
    }
    this.slots = Int32Array.from(chosen);
    this.batch = new Float64Array(this.batchSize * chosen.length);
  }

  protected row(fields: string[], line: number): void {
    const w = this.slots.length;
    const base = this.n * w;
    for (let s = 0; s < w; s++) {
      const j = this.slots[s];
      const cell = fields[j];
      const v = parseCell(cell);
      if (v === undefined) throw new ImportError(this.file, 'non-numeric', `${quoteCell(cell)} is not a number`, { line, column: this.ref(j) });
      if (v !== v) {
        if (!this.dropRows) {
          throw new ImportError(this.file, 'missing-value', `${describeMissing(cell)} where a number is needed (rows with missing values can be dropped instead)`, {
            line,
            column: this.ref(j),
          });
        }
        this.dropped++;
        return;
      }
      this.batch[base + s] = v;
    }
    this.kept++;
    if (++this.n === this.batchSize) {
      this.ready.push({ rows: this.n, cols: w, data: this.batch });
      this.batch = new Float64Array(this.batchSize * w);
      this.n = 0;
    }
  }

  /** The full batches made so far. */
  take(): Matrix<Float64Array>[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** The full batches left and the last, shorter one; fails when the file had no rows to give. */
  finish(): Matrix<Float64Array>[] {
    if (this.kept === 0) {
      if (this.dropped > 0) throw new ImportError(this.file, 'no-data', `all ${this.dropped} rows have a missing value in the chosen columns`);
      throw this.noRows();
    }
    const out = this.take();
    if (this.n > 0) out.push({ rows: this.n, cols: this.slots.length, data: this.batch.slice(0, this.n * this.slots.length) });
    this.batch = new Float64Array(0);
    this.n = 0;
    return out;
  }
}
