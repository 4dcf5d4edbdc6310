/**
 * The one error every importer throws. Untrusted files fail in many ways; the caller needs a
 * stable machine-readable reason (`code`) to branch on and a sentence a person can act on
 * (`message`), both naming the file, e.g. `iris.csv, line 7: expected 5 fields, found 4`.
 */

export type ImportErrorCode =
  /** The file has no content (or only whitespace / a byte order mark). */
  | 'empty-file'
  /** Text that is not valid UTF-8. */
  | 'bad-encoding'
  /** A CSV record with a different number of fields than the first one. */
  | 'ragged-row'
  /** A CSV quote that is not closed, opened mid-field, or followed by junk. */
  | 'bad-quote'
  /** A CSV record longer than the record-size guard (usually a stray quote). */
  | 'record-too-long'
  /** A cell of a chosen numeric column that is not a number. */
  | 'non-numeric'
  /** An empty, NaN or infinite cell in a chosen column. */
  | 'missing-value'
  /** No column of the table is numeric. */
  | 'no-numeric-columns'
  /** A header but no data rows, or no rows left after dropping. */
  | 'no-data'
  /** A column asked for by name or index that the file does not have. */
  | 'unknown-column'
  /** Options that contradict each other (a column chosen twice, the label also a feature). */
  | 'bad-option'
  /** The file ends before the data its header announces. */
  | 'truncated'
  /** More bytes than the header announces, or element sizes that disagree with the shape. */
  | 'length-mismatch'
  /** A header that does not follow the format's grammar. */
  | 'bad-header'
  /** The first bytes are not this format's signature. */
  | 'bad-magic'
  /** A format version this reader does not implement. */
  | 'unsupported-version'
  /** An element type this reader does not convert (object, string, complex...). */
  | 'unsupported-dtype'
  /** A number of dimensions this reader does not turn into a matrix. */
  | 'unsupported-shape'
  /** A pixel or value outside the range the header declares. */
  | 'bad-value'
  /** Corrupt gzip / zlib data. */
  | 'bad-compression'
  /** More memory than the budget, or dimensions past a format's cap. */
  | 'too-large'
  /** The file does not exist. */
  | 'not-found'
  /** Any other failure to read the file from disk. */
  | 'io-error';

export interface ImportErrorLocation {
  /** 1-based line of a text file. */
  line?: number;
  /**
   * The column: its header name when the file has a header, otherwise its 1-based position,
   * matching how the message names it.
   */
  column?: number | string;
}

export class ImportError extends Error {
  override name = 'ImportError';
  readonly file: string;
  readonly code: ImportErrorCode;
  readonly line?: number;
  readonly column?: number | string;

  /**
   * @param file the file's display name (usually its base name), put first in the message
   * @param detail what is wrong, as the end of a sentence: `expected 5 fields, found 4`
   */
  constructor(file: string, code: ImportErrorCode, detail: string, where: ImportErrorLocation = {}) {
    super(`${file}${describeLocation(where)}: ${detail}`);
    this.file = file;
    this.code = code;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
  }
}

function describeLocation({ line, column }: ImportErrorLocation): string {
  let s = '';
  if (line !== undefined) s += `, line ${line}`;
  if (column !== undefined) s += typeof column === 'number' ? `, column ${column}` : `, column ${JSON.stringify(column)}`;
  return s;
}
