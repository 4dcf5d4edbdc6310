/**
 * Latency of the decision-boundary grid (issue 4's budget: a 500 × 500 grid for k ≤ 20 computes
 * in under 0.5 s). For K-Means and a Gaussian mixture with k = 5, 10 and 20 on 2-D blobs:
 *
 * - compute: the worker's own function (`predictRegions`, the same code a job runs), in this
 *   process after a warm-up run; best and median of the repeats, wall clock and CPU;
 * - job: the `boundaries` analysis through the backend and a real worker process (queue, data
 *   sent to the worker, the grid predicted, the result saved in the project and read back);
 * - contour: the renderer's part, the label grid turned into region polygons (d3-contour).
 *
 *   npx tsx bench/ui-latency-boundaries.ts [--repeat 5] [--json FILE]
 *
 * Prints a table and one JSON object (also written to --json, default bench/.data/boundaries.json).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeBlobs } from '../src/core/datasets';
import { fitClustering } from '../src/core/cluster/registry';
import { predictRegions } from '../src/main/worker/analyses/geometry';
import { Backend } from '../src/main/backend/backend';
import { WorkerPool } from '../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../src/main/backend/jobs/child-process';
import { labelRegions } from '../src/renderer/src/lib/geometry/grid';
import type { ApiEvents } from '../src/shared/api';
import type { JobInfo } from '../src/shared/dto';
import type { AnalysisInput, JobSpec } from '../src/shared/jobs';
import type { BoundariesResult, GridSpec, Plane } from '../src/shared/analyses/geometry';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { repeat: { type: 'string', default: '5' }, json: { type: 'string', default: join(ROOT, 'bench/.data/boundaries.json') } } });
const REPEAT = Math.max(1, Number(args.repeat));
const BUDGET_MS = 500;
const SIDE = 500;
const KS = [5, 10, 20];
const ALGORITHMS = ['kmeans', 'gmm'] as const;
const PLANE: Plane = { origin: [0, 0], axes: [[1, 0], [0, 1]] };

interface Row {
  algorithm: string;
  k: number;
  computeBestMs: number;
  computeMedianMs: number;
  computeCpuMedianMs: number;
  jobMedianMs: number;
  jobComputeMedianMs: number;
  contourMedianMs: number;
  withinBudget: boolean;
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

// The backend with one real worker process, as the app runs jobs.
const dir = mkdtempSync(join(tmpdir(), 'cs-bench-boundaries-'));
const ended = new Map<string, JobInfo>();
const waiters = new Map<string, (j: JobInfo) => void>();
function emit<E extends keyof ApiEvents>(name: E, payload: ApiEvents[E]): void {
  if (name !== 'job:done' && name !== 'job:failed' && name !== 'job:cancelled') return;
  const job = payload as JobInfo;
  ended.set(job.id, job);
  waiters.get(job.id)?.(job);
}
const pool = new WorkerPool(childProcessSpawner({ workerPath: join(ROOT, 'src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] }), 1);
const backend = new Backend({ dataDir: dir, resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'bench' });

async function run(spec: JobSpec): Promise<JobInfo> {
  const job = await backend.jobs.start(spec);
  const end = ended.get(job.id) ?? (await new Promise<JobInfo>((ok) => waiters.set(job.id, ok)));
  if (end.state !== 'done') throw new Error(`${spec.kind} job ${end.state}: ${end.error}`);
  return end;
}

const rows: Row[] = [];
try {
  await backend.project.create();
  for (const k of KS) {
    // 2,000 points around k centres in the plane (seeded), saved as a dataset for the jobs.
    const { X } = makeBlobs({ nSamples: 2000, centers: k, randomState: k });
    const csv = join(dir, `blobs${k}.csv`);
    const lines = ['x0,x1'];
    for (let i = 0; i < X.rows; i++) lines.push(`${X.data[2 * i]},${X.data[2 * i + 1]}`);
    writeFileSync(csv, lines.join('\n'));
    backend.grantPath(csv);
    const ds = await backend.data.importCsv({ file: { kind: 'path', path: csv }, columns: [0, 1], labelColumn: null });
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < X.rows; i++) {
      [x0, x1] = [Math.min(x0, X.data[2 * i]), Math.max(x1, X.data[2 * i])];
      [y0, y1] = [Math.min(y0, X.data[2 * i + 1]), Math.max(y1, X.data[2 * i + 1])];
    }
    const grid: GridSpec = { extent: { x0: x0 - 0.5, x1: x1 + 0.5, y0: y0 - 0.5, y1: y1 + 0.5 }, nx: SIDE, ny: SIDE };

    for (const algorithm of ALGORITHMS) {
      const params = algorithm === 'kmeans' ? { nClusters: k, nInit: 1, randomState: 0 } : { nComponents: k, randomState: 0 };
      const fitted = fitClustering(algorithm, params, X);
      const input: AnalysisInput = {
        X,
        y: null,
        labelClasses: null,
        featureNames: ['x0', 'x1'],
        itemNames: null,
        run: { algorithm, labels: fitted.labels, centers: fitted.centers, model: fitted.model, params },
      };
      let result: BoundariesResult | null = null;
      const compute = () => (result = predictRegions(input, { plane: PLANE, grid }, () => {}));
      compute();
      const c = Array.from({ length: REPEAT }, () => time(compute));
      const contour = Array.from({ length: REPEAT }, () => time(() => labelRegions(result!.labels, result!.grid)).wall);

      const fit = await run({ kind: 'fit', datasetId: ds.id, algorithm, params, metrics: [] });
      const job: number[] = [], jobCompute: number[] = [];
      for (let r = 0; r < Math.min(REPEAT, 3); r++) {
        const t0 = performance.now();
        const end = await run({ kind: 'analysis', analysis: 'boundaries', datasetId: ds.id, runId: fit.runId, params: { plane: PLANE, grid } });
        const saved = (await backend.analyses.get(end.analysisId!)).result as BoundariesResult;
        job.push(performance.now() - t0);
        jobCompute.push(saved.computeMs);
        await backend.analyses.remove(end.analysisId!);
      }
      const row: Row = {
        algorithm,
        k,
        computeBestMs: Math.min(...c.map((t) => t.wall)),
        computeMedianMs: median(c.map((t) => t.wall)),
        computeCpuMedianMs: median(c.map((t) => t.cpu)),
        jobMedianMs: median(job),
        jobComputeMedianMs: median(jobCompute),
        contourMedianMs: median(contour),
        withinBudget: median(c.map((t) => t.wall)) < BUDGET_MS,
      };
      rows.push(row);
      console.log(
        `${algorithm.padEnd(7)} k=${String(k).padStart(2)}  compute best ${row.computeBestMs.toFixed(1)} ms, median ${row.computeMedianMs.toFixed(1)} ms (cpu ${row.computeCpuMedianMs.toFixed(1)})` +
          `  | job ${row.jobMedianMs.toFixed(0)} ms (worker compute ${row.jobComputeMedianMs.toFixed(1)} ms)  | contour ${row.contourMedianMs.toFixed(1)} ms  ${row.withinBudget ? 'ok' : 'OVER BUDGET'}`,
      );
    }
  }
} finally {
  backend.dispose();
  pool.dispose();
  rmSync(dir, { recursive: true, force: true });
}

const report = { grid: `${SIDE}x${SIDE}`, budgetMs: BUDGET_MS, repeat: REPEAT, node: process.versions.node, rows };
mkdirSync(dirname(args.json!), { recursive: true });
writeFileSync(args.json!, JSON.stringify(report, null, 2));
console.log(JSON.stringify(report));
