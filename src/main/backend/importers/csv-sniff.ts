/**
 * Guessing a CSV file's dialect from its first records: the delimiter (',', tab or ';') and
 * whether the first row is a header. The guess only reads a sample leniently; the strict parse
 * that follows is what validates the file.
 */
import { parseCell } from './csv-cells';

export type CsvDelimiter = ',' | '\t' | ';';

/** When several delimiters split every sampled record evenly, the least likely in content wins. */
const BY_PRIORITY: readonly CsvDelimiter[] = ['\t', ';', ','];

/** The guess reads SNIFF_RECORDS records, or what SNIFF_CHARS hold if that is at least two. */
const SNIFF_RECORDS = 200;
const SNIFF_CHARS = 64 * 1024;
/** The most of a file the guess reads, for files of very wide rows. */
export const SNIFF_MAX_BYTES = 16 * 1024 * 1024;

export interface Sniffed {
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  /** The sampled records split with each candidate delimiter. */
  samples: Record<CsvDelimiter, string[][]>;
  /** Characters per record in the sample, to estimate the row count of the whole file. */
  charsPerRecord: number;
}

/**
 * The dialect of a file whose text starts with `text` (the whole file when `complete`; a trailing
 * partial record is dropped otherwise).
 */
export function sniff(text: string, complete: boolean): Sniffed {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const samples = {} as Record<CsvDelimiter, string[][]>;
  let chars = 0;
  for (const d of BY_PRIORITY) {
    const r = splitSample(text, d, complete);
    samples[d] = r.records;
    chars = r.chars;
  }
  const delimiter = chooseDelimiter(samples);
  const n = samples[delimiter].length;
  return { delimiter, hasHeader: detectHeader(samples[delimiter]), samples, charsPerRecord: n > 0 ? chars / n : text.length };
}

function chooseDelimiter(samples: Record<CsvDelimiter, string[][]>): CsvDelimiter {
  // A delimiter that splits every record into the same number (> 1) of fields.
  for (const d of BY_PRIORITY) {
    const recs = samples[d];
    if (recs.length > 0 && recs[0].length > 1 && recs.every((r) => r.length === recs[0].length)) return d;
  }
  // Otherwise (a ragged file) the one found in most records, so that the strict parse reports
  // the ragged rows; and ',' for a single-column file.
  let best: CsvDelimiter = ',', bestCount = 0;
  for (const d of BY_PRIORITY) {
    const count = samples[d].filter((r) => r.length > 1).length;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * A header row has a text cell above a column whose sampled data is numeric. When no column
 * decides it, a first row of distinct text cells is taken for a header.
 */
export function detectHeader(records: string[][]): boolean {
  if (records.length === 0) return false;
  const first = records[0];
  const firstIsText = first.map((s) => parseCell(s) === undefined);
  if (records.length === 1) return firstIsText.some(Boolean);
  for (let j = 0; j < first.length; j++) {
    if (!firstIsText[j]) continue;
    let numbers = 0, text = 0;
    for (let i = 1; i < records.length && j < records[i].length; i++) {
      const v = parseCell(records[i][j]);
      if (v === undefined) text++;
      else if (v === v) numbers++;
    }
    if (numbers > 0 && text === 0) return true;
  }
  return firstIsText.every(Boolean) && new Set(first).size === first.length;
}

/**
 * Splits the sampled records of `text` with `delimiter`, honouring double quotes, skipping empty
 * lines. Returns them and the characters they span.
 */
function splitSample(text: string, delimiter: CsvDelimiter, complete: boolean): { records: string[][]; chars: number } {
  const records: string[][] = [];
  const end = Math.min(text.length, SNIFF_MAX_BYTES);
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let recordEnd = 0;
  let i = 0;
  const finishRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
    fields = [];
    field = '';
  };
  for (; i < end && records.length < SNIFF_RECORDS && !(i >= SNIFF_CHARS && records.length >= 2); i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
    } else if (c === '"' && field === '') inQuotes = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      finishRecord();
      recordEnd = i + 1;
    } else field += c;
  }
  // The last record counts only if the sample reached the true end of the file.
  if (complete && i >= text.length && (field !== '' || fields.length > 0)) {
    finishRecord();
    recordEnd = i;
  }
  return { records, chars: recordEnd };
}
