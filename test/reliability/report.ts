/**
 * `npx tsx test/reliability/report.ts [run-id]`: prints the reliability report of the latest
 * vitest run (or of the run named), from the figures its suites recorded (see figures.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES_DIR, figuresFile, formatReport, readFigures } from './figures';

function latestRun(): string | null {
  let best: { run: string; mtime: number } | null = null;
  for (const name of readdirSync(FIGURES_DIR)) {
    if (!name.endsWith('.jsonl')) continue;
    const mtime = statSync(join(FIGURES_DIR, name)).mtimeMs;
    if (!best || mtime > best.mtime) best = { run: name.slice(0, -'.jsonl'.length), mtime };
  }
  return best?.run ?? null;
}

const run = process.argv[2] ?? latestRun();
if (!run) {
  console.log(`No reliability figures in ${FIGURES_DIR}: run \`npx vitest run test/reliability\` first.`);
} else {
  console.log(formatReport(readFigures(figuresFile(run)), run));
}
