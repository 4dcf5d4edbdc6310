/**
 * `npm run bench [-- options]`: the core against scikit-learn 1.2 (and ml-kmeans for K-Means) on
 * the workloads of shared/reference/bench_data, all measured in this one run. Each workload's
 * results are compared first; a workload whose results disagree is reported and not timed.
 *
 * Options:
 *   --only a,b        workloads whose id starts with one of these (groups: kmeans, minibatch,
 *                     silhouette, dbscan, gmm, sweep, parallel; or e.g. kmeans/mix784_f32)
 *   --quick           the small workloads only, fewer repeats
 *   --all             also the workloads that take minutes per run (K-Means k=50 on 70,000×784)
 *   --repeats N       timed runs per workload and side (default: per workload)
 *   --no-sklearn      our times only;  --no-default-threads  skip scikit-learn's threaded column
 *   --no-mlkmeans     skip ml-kmeans;  --no-parallel         skip the worker-pool measurements
 *   --md FILE         where the markdown report goes (default bench/.data/latest.md; JSON beside it)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Matrix } from '../src/core/math/matrix';
import { ensureBigFiles, isBig, referenceInitRows, releaseData } from './data';
import { best, fmtRatio, fmtTime, timeRuns, type Timing } from './measure';
import { mlKMeans, mlKMeansVersion, nested, runMlKMeans } from './mlkmeans';
import { runParallelBench, type ParallelRow } from './parallel';
import { SklearnProcess, sklearnAvailable, type PyAnswer } from './sklearn';
import { allWorkloads, type Summary, type Workload } from './workloads';
import { Random } from '../src/core/math/random';

export interface Options {
  only: string[] | null;
  quick: boolean;
  all: boolean;
  repeats: number | null;
  sklearn: boolean;
  defaultThreads: boolean;
  mlkmeans: boolean;
  parallel: boolean;
  md: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    only: null,
    quick: false,
    all: false,
    repeats: null,
    sklearn: true,
    defaultThreads: true,
    mlkmeans: true,
    parallel: true,
    md: resolve(import.meta.dirname, '.data/latest.md'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--quick') o.quick = true;
    else if (a === '--all') o.all = true;
    else if (a === '--repeats') o.repeats = Number(argv[++i]);
    else if (a === '--no-sklearn') o.sklearn = false;
    else if (a === '--no-default-threads') o.defaultThreads = false;
    else if (a === '--no-mlkmeans') o.mlkmeans = false;
    else if (a === '--no-parallel') o.parallel = false;
    else if (a === '--md') o.md = resolve(argv[++i]);
    else throw new Error(`unknown option ${a} (see the header of bench/run.ts)`);
  }
  return o;
}

export interface Row {
  id: string;
  title: string;
  check: string;
  ours: Timing | null;
  skSingle: Timing | null;
  skDefault: Timing | null;
  ml: Timing | null;
  mlNote: string;
  repeats: number;
  notes: string[];
}

const log = (s: string): void => void process.stderr.write(s + '\n');

function selected(o: Options, id: string): boolean {
  return !o.only || o.only.some((p) => id === p || id.startsWith(p.endsWith('/') ? p : p + '/') || id.startsWith(p));
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = new Date();
  const workloads = allWorkloads().filter((w) => selected(o, w.id) && (!o.quick || w.quick) && (o.all || !w.heavy));
  if (workloads.some((w) => w.data.some(isBig))) ensureBigFiles(log);

  const havePy = o.sklearn && sklearnAvailable();
  if (o.sklearn && !havePy) log('scikit-learn: /usr/bin/python3 not found (apt-get install python3-sklearn); its columns stay empty');
  const single = havePy ? new SklearnProcess('single') : null;
  const threaded = havePy && o.defaultThreads ? new SklearnProcess('default') : null;
  const pyInfo = single ? await single.request({ op: 'info' }) : null;
  const pyThreadedInfo = threaded ? await threaded.request({ op: 'info' }) : null;
  const ml = o.mlkmeans ? await mlKMeans() : null;
  const mlVersion = ml ? mlKMeansVersion() : null;
  if (o.mlkmeans && !ml) log('ml-kmeans not installed: its column says so');

  const rows: Row[] = [];
  const mlData = new Map<string, number[][]>();
  const mlDone = new Map<string, { timing: Timing | null; note: string }>();
  let lastData = '';
  for (const w of workloads) {
    // Keep at most one big dataset in memory at a time.
    if (lastData && lastData !== w.data[0] && isBig(lastData)) {
      releaseData(lastData);
      mlData.clear();
    }
    lastData = w.data[0];
    log(`— ${w.id}`);
    rows.push(await runWorkload(w, o, single, threaded, ml ? { fn: ml, data: mlData, done: mlDone } : null));
    printRow(rows[rows.length - 1]);
  }

  let parallel: ParallelRow[] = [];
  if (o.parallel && selected(o, 'parallel/')) parallel = await runParallelBench({ quick: o.quick, sklearn: single, threaded, log });

  single?.close();
  threaded?.close();

  const md = renderMarkdown(o, started, rows, parallel, { pyInfo, pyThreadedInfo, mlVersion, mlWanted: o.mlkmeans });
  mkdirSync(dirname(o.md), { recursive: true });
  writeFileSync(o.md, md);
  writeFileSync(o.md.replace(/\.md$/, '') + '.json', JSON.stringify({ started, options: o, rows, parallel }, null, 1));
  process.stdout.write('\n' + md);
  log(`\nmarkdown: ${o.md}`);
}

async function initRowsFor(w: Workload, py: SklearnProcess | null): Promise<{ rows: number[] | undefined; note: string | null }> {
  if (!w.initKey) return { rows: undefined, note: null };
  const [key, n, k] = w.initKey;
  const ref = referenceInitRows(key);
  if (ref) return { rows: ref, note: null };
  if (py) {
    const a = await py.request({ op: 'initrows', n, k });
    if (a.ok) return { rows: a.rows as number[], note: `initial rows: RandomState(0).choice(${n}, ${k}) (not in init_rows.json)` };
  }
  // No NumPy here: a seeded sample of our own (scikit-learn's column is empty anyway).
  return { rows: Array.from(new Random(0).sample(n, k)), note: 'initial rows: the core generator (no NumPy available)' };
}

interface MlContext {
  fn: NonNullable<Awaited<ReturnType<typeof mlKMeans>>>;
  data: Map<string, number[][]>;
  done: Map<string, { timing: Timing | null; note: string }>;
}

async function runWorkload(
  w: Workload,
  o: Options,
  single: SklearnProcess | null,
  threaded: SklearnProcess | null,
  ml: MlContext | null,
): Promise<Row> {
  const repeats = o.repeats ?? (o.quick ? Math.min(2, w.repeats) : w.repeats);
  const warmup = o.quick ? Math.min(1, w.warmup) : w.warmup;
  const row: Row = { id: w.id, title: w.title, check: 'not checked', ours: null, skSingle: null, skDefault: null, ml: null, mlNote: '', repeats, notes: [] };
  const init = await initRowsFor(w, single);
  if (init.note) row.notes.push(init.note);
  const made = w.make(init.rows);

  // The first run of ours is the check run and a warm-up.
  const mine = made.ours();
  if (single) {
    const theirs = await single.request({ op: 'run', w: made.py, repeats: 0 });
    if (!theirs.ok) row.check = `scikit-learn failed: ${theirs.error}`;
    else {
      const why = w.compare(mine, theirs.result as Summary);
      row.check = why === null ? 'agree' : `DISAGREE: ${why}`;
    }
  } else {
    row.check = 'no scikit-learn to compare with';
  }
  if (row.check.startsWith('DISAGREE') || row.check.startsWith('scikit-learn failed')) {
    log(`  ${row.check} — not timed`);
    return row;
  }

  row.ours = timeRuns(made.ours, Math.max(0, warmup - 1), repeats);
  if (single) {
    const a = await single.request({ op: 'run', w: made.py, repeats, warmup: Math.max(0, warmup - 1), noResult: true });
    if (a.ok) row.skSingle = { wall: a.wall as number[], cpu: a.cpu as number[] };
  }
  if (threaded) {
    const a = await threaded.request({ op: 'run', w: made.py, repeats, warmup, noResult: true });
    if (a.ok) row.skDefault = { wall: a.wall as number[], cpu: a.cpu as number[] };
  }

  if (made.mlKMeans) {
    if (!ml) row.mlNote = o.mlkmeans ? 'ml-kmeans not installed' : 'skipped';
    else {
      const spec = made.mlKMeans;
      const key = `${spec.key}/${mine.nIter}`;
      let done = ml.done.get(key);
      if (!done) {
        const dataset = spec.key.split('/')[0];
        let data = ml.data.get(dataset);
        if (!data) {
          data = nested(spec.X);
          ml.data.clear();
          ml.data.set(dataset, data);
        }
        const centers = mine.centers as Matrix;
        const why = runMlKMeans(ml.fn, spec, data, mine.nIter as number, centers);
        if (why) done = { timing: null, note: why };
        else {
          const heavy = isBig(w.data[0]);
          const timing = timeRuns(() => runMlKMeans(ml.fn, spec, data, mine.nIter as number, centers), 0, heavy ? 1 : Math.min(3, repeats));
          done = { timing, note: '' };
        }
        ml.done.set(key, done);
      }
      row.ml = done.timing;
      row.mlNote = done.note;
    }
  }
  return row;
}

function printRow(r: Row): void {
  const o = best(r.ours?.wall), s = best(r.skSingle?.wall), t = best(r.skDefault?.wall), m = best(r.ml?.wall);
  log(
    `  ${r.check}; ours ${fmtTime(o)} (cpu ${fmtTime(best(r.ours?.cpu))}), sklearn 1 thread ${fmtTime(s)} (cpu ${fmtTime(best(r.skSingle?.cpu))}) → ${fmtRatio(o, s)}` +
      `, sklearn default ${fmtTime(t)} → ${fmtRatio(o, t)}${r.mlNote ? `, ${r.mlNote}` : m !== null ? `, ml-kmeans ${fmtTime(m)} → ${fmtRatio(o, m)}` : ''}`,
  );
}

function renderMarkdown(
  o: Options,
  started: Date,
  rows: Row[],
  parallel: ParallelRow[],
  info: { pyInfo: PyAnswer | null; pyThreadedInfo: PyAnswer | null; mlVersion: string | null; mlWanted: boolean },
): string {
  const cpu = cpus();
  const lines: string[] = [];
  lines.push(`# Benchmark run ${started.toISOString()}`, '');
  lines.push(
    `Machine: ${cpu[0]?.model ?? '?'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end), ` +
      `load average ${loadavg().map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min, at the end); Node ${process.version}.`,
  );
  if (info.pyInfo?.ok) {
    const pools = (info.pyInfo.threadpools as Array<{ api: string; threads: number; arch?: string }> | null) ?? [];
    const poolsDefault = (info.pyThreadedInfo?.threadpools as Array<{ api: string; threads: number }> | null) ?? [];
    lines.push(
      `scikit-learn ${info.pyInfo.sklearn}, NumPy ${info.pyInfo.numpy}, Python ${info.pyInfo.python} (/usr/bin/python3); ` +
        `single-thread column: ${pools.map((p) => `${p.api} ${p.threads}${p.arch ? ` (${p.arch})` : ''}`).join(', ')}; ` +
        `default column: ${poolsDefault.map((p) => `${p.api} ${p.threads}`).join(', ') || 'not run'}.`,
    );
  } else lines.push('scikit-learn: not available in this run.');
  lines.push(`ml-kmeans: ${info.mlVersion ? info.mlVersion : info.mlWanted ? 'not installed' : 'skipped'}.`);
  lines.push(`Command: \`npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}\`.`, '');
  lines.push(
    'Times are the best of the timed runs (count in the "runs" column) after untimed warm-ups; the first run of ours is also the check run. ' +
      'Ratio = our time / theirs (below 1: we are faster). CPU ratio uses process CPU time (user + system), steadier than wall time on a loaded machine.',
    '',
  );
  lines.push('| workload | results | runs | ours | ours CPU | sklearn 1 thread | CPU | ratio | CPU ratio | sklearn default threads | ratio | ml-kmeans | ratio |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ow = best(r.ours?.wall), oc = best(r.ours?.cpu), sw = best(r.skSingle?.wall), sc = best(r.skSingle?.cpu), tw = best(r.skDefault?.wall), mw = best(r.ml?.wall);
    const mlCell = r.mlNote ? r.mlNote : mw !== null ? fmtTime(mw) : '';
    lines.push(
      `| ${r.title} | ${r.check} | ${r.repeats} | ${fmtTime(ow)} | ${fmtTime(oc)} | ${fmtTime(sw)} | ${fmtTime(sc)} | ${fmtRatio(ow, sw)} | ${fmtRatio(oc, sc)} | ${fmtTime(tw)} | ${fmtRatio(ow, tw)} | ${mlCell} | ${fmtRatio(ow, mw)} |`,
    );
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `- ${r.id}: ${n}`));
  if (notes.length) lines.push('', ...notes);
  if (parallel.length) {
    lines.push('', '## Worker pool', '');
    lines.push('| measurement | results | ours | sklearn 1 thread | ratio | sklearn default threads | ratio | note |');
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const p of parallel) {
      lines.push(
        `| ${p.title} | ${p.check} | ${fmtTime(p.ours)} | ${fmtTime(p.skSingle)} | ${fmtRatio(p.ours, p.skSingle)} | ${fmtTime(p.skDefault)} | ${fmtRatio(p.ours, p.skDefault)} | ${p.note} |`,
      );
    }
  }
  lines.push('', `Finished ${new Date().toISOString()} (${((Date.now() - started.getTime()) / 60000).toFixed(1)} min).`, '');
  return lines.join('\n');
}

await main();
