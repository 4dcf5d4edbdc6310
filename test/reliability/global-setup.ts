/**
 * Optional vitest global setup for the reliability report: with
 * `globalSetup: ['test/reliability/global-setup.ts']` in vitest.config.ts, every test process of
 * the run records under one run id, and the report is printed once, after all files, by the
 * teardown (instead of by whichever suite finishes last; see figures.ts).
 */
import { figuresFile, formatReport, readFigures } from './figures';

export function setup(): void {
  process.env.RELIABILITY_RUN_ID = `vitest-${process.pid}-${Date.now()}`;
  process.env.RELIABILITY_REPORT_AT_TEARDOWN = '1';
}

export function teardown(): void {
  const records = readFigures(figuresFile());
  if (records.length > 0) console.log(formatReport(records, process.env.RELIABILITY_RUN_ID ?? ''));
}
