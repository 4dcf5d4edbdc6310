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
/** The guess first looks at this much of the file, and only reads on for very wide rows... */
export const SNIFF_FIRST_BYTES = 1024 * 1024;
/** ...up to this much. */
export const SNIFF_MAX_BYTES = 16 * 1024 * 1024;

export interface Sniffed {
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  /** The sampled records split with each candidate delimiter. */
  samples: Record<CsvDelimiter, string[][]>;
  /** Characters per record in the sample, to estimate the row count of the whole file. */
  charsPerRecord: number;
  /**
   * The sample is final: it stopped at its record or character limit, or at the end of the file.
   * Otherwise more of the file could change the guess.
   */
  settled: boolean;
}

/**
 * The dialect of a file whose first bytes are `head` (all of it when `complete`): from its first
 * SNIFF_FIRST_BYTES when that settles the guess, from all of `head` otherwise. The guess depends
 * only on the file, not on how much of it the caller had read, as long as `head` reaches either
 * SNIFF_MAX_BYTES or the end of the file whenever the first bytes do not settle it.
 */
export function sniffBytes(head: Uint8Array, complete: boolean): Sniffed {
  const first = head.subarray(0, SNIFF_FIRST_BYTES);
  const s = sniff(new TextDecoder().decode(first, { stream: true }), complete && first.length === head.length);
  if (s.settled || first.length === head.length) return s;
  const more = head.subarray(0, SNIFF_MAX_BYTES);
  return sniff(new TextDecoder().decode(more, { stream: true }), complete && more.length === head.length);
}

/**
 * The dialect of a file whose text starts with `text` (the whole file when `complete`; a trailing
 * partial record is dropped otherwise).
 */
export function sniff(text: string, complete: boolean): Sniffed {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const samples = {} as Record<CsvDelimiter, string[][]>;
  let chars = 0;
  let settled = true;
  for (const d of BY_PRIORITY) {
    const r = splitSample(text, d, complete);
    samples[d] = r.records;
    chars = r.chars;
    settled &&= r.settled;
  }
  const delimiter = chooseDelimiter(samples);
  const n = samples[delimiter].length;
  return { delimiter, hasHeader: detectHeader(samples[delimiter]), samples, charsPerRecord: n > 0 ? chars / n : text.length, settled };
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
 * lines. Returns them, the characters they span, and whether the sample stopped at its limits
 * (at a record boundary, so that a longer `text` gives the same sample) or at the end of the file.
 */
function splitSample(text: string, delimiter: CsvDelimiter, complete: boolean): { records: string[][]; chars: number; settled: boolean } {
  const records: string[][] = [];
  const end = Math.min(text.length, SNIFF_MAX_BYTES);
  const d = delimiter.charCodeAt(0);
  let fields: string[] = [];
  let recordEnd = 0;
  let stopped = false;
  let i = 0;
  const finishRecord = () => {
    if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
    fields = [];
  };
  while (true) {
    if (fields.length === 0) {
      if (records.length >= SNIFF_RECORDS || (i >= SNIFF_CHARS && records.length >= 2)) {
        stopped = true;
        break;
      }
      if (i >= end) break;
    }
    // One field: quoted (doubled quotes inside, anything up to the delimiter kept after the
    // closing quote) or plain.
    let value = '';
    if (text.charCodeAt(i) === 34) {
      let j = i + 1;
      while (true) {
        const q = text.indexOf('"', j);
        if (q < 0 || q >= end) {
          value += text.slice(j, end);
          i = end;
          break;
        }
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    let k = i;
    for (let c = text.charCodeAt(k); k < end && c !== d && c !== 10 && c !== 13; c = text.charCodeAt(++k));
    value += text.slice(i, k);
    i = k;
    fields.push(value);
    if (i >= end) break;
    if (text.charCodeAt(i) === d) {
      i++;
      continue;
    }
    if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i++;
    i++;
    finishRecord();
    recordEnd = i;
  }
  // A record cut by the end of the sample counts only if it is the end of the file.
  if (complete && !stopped && fields.length > 0) {
    finishRecord();
    recordEnd = i;
  }
  return { records, chars: recordEnd, settled: complete || stopped };
}
