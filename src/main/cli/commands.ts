/** The CLI's commands, each declaring its options (which also make its --help). */
import { ALGORITHM_NAMES, METRIC_NAMES, fitClustering, scoreClustering, type AlgorithmName, type MetricName } from '../../core/cluster/registry';
import { ALGORITHM_PARAMS, type ParamSpec } from '../../core/cluster/params';
import { formatOptions, parseArgs, UsageError, type OptionSpec, type OptionType } from './args';
import { loadData } from './data';
import { toJSON } from './json';

export interface Command {
  name: string;
  synopsis: string;
  description: string;
  options: readonly OptionSpec[];
  run(argv: string[]): Promise<string>;
}

const COMMON: OptionSpec[] = [
  { flag: '--label-column', type: 'string', help: 'CSV column holding ground-truth labels (excluded from the features; enables ari/nmi)' },
  { flag: '--labels', type: 'string', help: '.npy file of ground-truth labels for .npy data' },
  { flag: '--json', type: 'flag', help: 'print one JSON object (the default output format; the flag is accepted for clarity)' },
  { flag: '--quiet', type: 'flag', help: 'no progress on stderr' },
];

function kebab(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function optionType(p: ParamSpec): OptionType {
  return p.type === 'boolean' ? 'flag' : p.type;
}

/** Every hyperparameter of every algorithm, as flags (one flag may serve several algorithms). */
function algorithmOptions(): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const algo of ALGORITHM_NAMES) {
    for (const p of ALGORITHM_PARAMS[algo]) {
      const flag = kebab(p.name);
      if (!seen.has(flag)) seen.set(flag, { flag, type: optionType(p), key: p.name, help: `${p.help} [${p.sklearn}]` });
    }
  }
  return [...seen.values()];
}

function progressReporter(quiet: boolean): ((f: number, m?: string) => void) | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let last = -1;
  return (f, m) => {
    const pct = Math.floor(f * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r${m ?? 'working'} ${pct}%   `);
    if (f >= 1) process.stderr.write('\r\x1b[K');
  };
}

const fit: Command = {
  name: 'fit',
  synopsis: 'fit <algorithm> <data.csv|data.npy> [options] --json',
  description: `Fits one clustering algorithm and prints what it learned as JSON (labels, centers, inertia, nIter, …).\nAlgorithms: ${ALGORITHM_NAMES.join(', ')}.`,
  options: [
    ...algorithmOptions(),
    { flag: '--metrics', type: 'list', help: `metrics to compute: ${METRIC_NAMES.join(', ')} (ari and nmi need --label-column)` },
    ...COMMON,
  ],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    const [algorithm, path, ...extra] = positionals;
    if (!algorithm || !path) throw new UsageError(`usage: clusterscope ${this.synopsis}`);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (!(ALGORITHM_NAMES as readonly string[]).includes(algorithm)) {
      throw new UsageError(`unknown algorithm '${algorithm}'; choose one of ${ALGORITHM_NAMES.join(', ')}`);
    }
    const algo = algorithm as AlgorithmName;
    const allowed = new Set(ALGORITHM_PARAMS[algo].map((p) => p.name));
    const params: Record<string, unknown> = {};
    const { labelColumn, labels, json: _json, quiet, metrics, ...rest } = options;
    for (const [k, v] of Object.entries(rest)) {
      if (!allowed.has(k)) throw new UsageError(`${kebab(k)} does not apply to ${algo}`);
      params[k] = v;
    }
    const metricNames = ((metrics as string[] | undefined) ?? []) as MetricName[];
    for (const m of metricNames) if (!(METRIC_NAMES as readonly string[]).includes(m)) throw new UsageError(`unknown metric '${m}'; choose from ${METRIC_NAMES.join(', ')}`);
    const data = await loadData(path, { labelColumn: labelColumn as string | undefined, labels: labels as string | undefined });
    if ((metricNames.includes('ari') || metricNames.includes('nmi')) && !data.y) {
      throw new UsageError('ari and nmi compare with ground truth: give --label-column (CSV) or --labels (.npy)');
    }
    const onProgress = progressReporter(Boolean(quiet));
    const outcome = fitClustering(algo, params, data.X, { onProgress });
    const scores = scoreClustering(metricNames, data.X, outcome.labels, data.y, { randomState: outcome.randomState ?? 0 });
    return toJSON({
      algorithm: algo,
      nSamples: data.X.rows,
      nFeatures: data.X.cols,
      params: { ...params, ...(outcome.randomState !== null ? { randomState: outcome.randomState } : {}) },
      labels: outcome.labels,
      centers: outcome.centers,
      nClusters: outcome.nClusters,
      ...outcome.scalars,
      ...outcome.extra,
      ...scores,
    });
  },
};

export const COMMANDS: readonly Command[] = [fit];

export function usage(topic?: string): string {
  const c = topic ? COMMANDS.find((x) => x.name === topic) : undefined;
  if (topic && !c) return `unknown command '${topic}'`;
  if (c) return `Usage: clusterscope ${c.synopsis}\n\n${c.description}\n\nOptions:\n${formatOptions(c.options)}`;
  return [
    'Clusterscope — exploratory clustering on the command line (the same core as the app).',
    '',
    'Usage: clusterscope <command> [arguments] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((x) => `  ${x.synopsis}`),
    '',
    "Run 'clusterscope help <command>' or 'clusterscope <command> --help' for the options of a command.",
    'Data: CSV/TSV (every numeric column is a feature, except --label-column) or .npy (2-D, C or Fortran order).',
  ].join('\n');
}
