/**
 * The strict file readers of the backend. Every one takes untrusted bytes (or a path), checks
 * what a header claims against the real length and the memory budget before allocating, and
 * fails with an ImportError that names the file, the place and the problem.
 */
export { ImportError, type ImportErrorCode, type ImportErrorLocation } from './errors';
export { DEFAULT_BUDGET_BYTES, checkBudget, type BudgetOptions } from './budget';
export { readBytes } from './io';
export {
  DISTINCT_CAP,
  PREVIEW_ROWS,
  inspectCsv,
  inspectCsvFile,
  readCsv,
  readCsvFile,
  type ColumnRef,
  type CsvColumn,
  type CsvDelimiter,
  type CsvDialect,
  type CsvInspectOptions,
  type CsvPreview,
  type CsvReadOptions,
  type CsvStreamOptions,
  type ImportedTable,
} from './csv';
export { readNpy, writeNpy, type NpyArray } from './npy';
export { DEFAULT_MAX_PIXELS, readPgm, type PgmImage, type PgmOptions } from './pgm';
export { readIdx, readIdxFile, type IdxArray, type IdxData, type IdxDtype } from './idx';
export { readMat, type MatClassName, type MatData, type MatVariable } from './mat';
