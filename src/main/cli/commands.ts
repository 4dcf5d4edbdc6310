/** The CLI's commands, each declaring its options (which also make its --help). */
import { ALGORITHM_NAMES, METRIC_NAMES, fitClustering, scoreClustering, type AlgorithmName, type MetricName } from '../../core/cluster/registry';
import { ALGORITHM_PARAMS, type ParamSpec } from '../../core/cluster/params';
import { parseKRange, sweepK, SWEEPABLE } from '../../core/cluster/sweep';
import { silhouetteSamples } from '../../core/metrics';
import { PCA } from '../../core/decomposition';
import { writeFileSync } from 'node:fs';
import { writeNpy } from '../backend/importers/npy';
import { formatOptions, parseArgs, UsageError, type OptionSpec, type OptionType } from './args';
import { loadData } from './data';
import { COMMON, COMMON_KEYS, fileFields, loadFrom, loadOptions, progressReporter } from './common';
import { fitFromDiskCommand } from './from-disk';
import { toJSON } from './json';
import { anomaliesCommand } from './anomalies';
import { LABELING_COMMANDS } from './labeling';

export interface Command {
  name: string;
  synopsis: string;
  description: string;
  options: readonly OptionSpec[];
  run(argv: string[]): Promise<string>;
}

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

function noExtra(extra: string[]): void {
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
}

const fit: Command = {
  name: 'fit',
  synopsis: 'fit <algorithm> <data.csv|data.npy> [options] --json',
  description: [
    'Fits one clustering algorithm and prints what it learned as JSON (labels, centers, inertia, nIter, …).',
    `Algorithms: ${ALGORITHM_NAMES.join(', ')}.`,
    'fit minibatch-kmeans <data> --from-disk fits data larger than the memory budget: the .npy or CSV file is read in',
    'batches of --batch-size rows, in file order, at each of at most --max-iter passes (one partial_fit step per batch; the',
    'best of --n-init starts drawn from the first --init-size rows; shuffle a sorted file first), then once more to label every row.',
  ].join('\n'),
  options: [
    ...algorithmOptions(),
    { flag: '--metrics', type: 'list', help: `metrics to compute: ${METRIC_NAMES.join(', ')} (ari and nmi need --label-column)` },
    {
      flag: '--from-disk',
      type: 'flag',
      help: 'minibatch-kmeans: read the .npy or CSV file in batches at every pass instead of loading it (memory: one batch and the labels)',
    },
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
    const { quiet, metrics, fromDisk, ...rest } = options;
    for (const [k, v] of Object.entries(rest)) {
      if (COMMON_KEYS.has(k)) continue;
      if (!allowed.has(k)) throw new UsageError(`${kebab(k)} does not apply to ${algo}`);
      params[k] = v;
    }
    if (fromDisk) return fitFromDiskCommand(algo, path, params, options);
    const metricNames = ((metrics as string[] | undefined) ?? []) as MetricName[];
    for (const m of metricNames) if (!(METRIC_NAMES as readonly string[]).includes(m)) throw new UsageError(`unknown metric '${m}'; choose from ${METRIC_NAMES.join(', ')}`);
    const data = await loadData(path, loadOptions(options));
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
      ...fileFields(data),
    });
  },
};

const sweep: Command = {
  name: 'sweep',
  synopsis: 'sweep <algorithm> <data> --k 1..10 [--covariance-type full,tied,diag,spherical] --json',
  description: `Fits an algorithm for every k and prints the model-selection curves: inertia (elbow), silhouette, Calinski-Harabasz, Davies-Bouldin, BIC and AIC (mixtures), with the suggested k by each.\nAlgorithms: ${SWEEPABLE.join(', ')}. On more than 10,000 samples the silhouette is estimated on a sample (silhouetteSampleSize says so).`,
  options: [
    { flag: '--k', type: 'string', help: "the values of k: '1..10', '2,4,8' or '5'", default: '1..10' },
    { flag: '--covariance-type', type: 'list', help: 'mixtures: one curve per covariance type (full, tied, diag, spherical)' },
    ...algorithmOptions().filter((o) => !['--n-clusters', '--n-components', '--covariance-type'].includes(o.flag)),
    ...COMMON,
  ],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    const [algorithm, path, ...extra] = positionals;
    noExtra(extra);
    if (!algorithm) throw new UsageError(`usage: clusterscope ${this.synopsis}`);
    if (!(SWEEPABLE as readonly string[]).includes(algorithm)) throw new UsageError(`sweep needs one of ${SWEEPABLE.join(', ')}, not '${algorithm}'`);
    const algo = algorithm as AlgorithmName;
    const { k, covarianceType, quiet, randomState, ...all } = options;
    const rest = Object.fromEntries(Object.entries(all).filter(([key]) => !COMMON_KEYS.has(key)));
    const allowed = new Set(ALGORITHM_PARAMS[algo].map((p) => p.name));
    for (const key of Object.keys(rest)) if (!allowed.has(key)) throw new UsageError(`${kebab(key)} does not apply to ${algo}`);
    if (covarianceType && algo !== 'gmm' && algo !== 'bgmm') throw new UsageError('--covariance-type applies to gmm and bgmm');
    const ks = parseKRange((k as string | undefined) ?? '1..10');
    const data = await loadFrom(path, options, this.synopsis);
    const result = sweepK(algo, data.X, ks, {
      params: rest,
      covarianceTypes: covarianceType as string[] | undefined,
      randomState: randomState as number | undefined,
      onProgress: progressReporter(Boolean(quiet)),
    });
    return toJSON({ nSamples: data.X.rows, nFeatures: data.X.cols, ...result });
  },
};

const silhouette: Command = {
  name: 'silhouette',
  synopsis: 'silhouette <data> --label-column y --json',
  description: 'The silhouette of a given labelling (the label column): the mean score and every sample\'s coefficient, exactly (no sampling).',
  options: [...COMMON],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    noExtra(positionals.slice(1));
    if (!options.labelColumn && !options.labels) throw new UsageError('silhouette scores a labelling: give --label-column (CSV) or --labels (.npy)');
    const data = await loadFrom(positionals[0], options, this.synopsis);
    const y = data.y!;
    const distinct = new Set(y).size;
    if (distinct < 2 || distinct > data.X.rows - 1) throw new UsageError(`the silhouette needs 2..${data.X.rows - 1} distinct labels, the label column has ${distinct}`);
    const samples = silhouetteSamples(data.X, y, { onProgress: progressReporter(Boolean(options.quiet)) });
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i];
    return toJSON({ nSamples: data.X.rows, nFeatures: data.X.cols, nLabels: distinct, score: sum / samples.length, samples, ...fileFields(data) });
  },
};

const pca: Command = {
  name: 'pca',
  synopsis: 'pca <data> [--n-components N | --variance 0.95] --json',
  description: 'Principal component analysis: how many components keep a share of the variance, and the explained-variance ratios.',
  options: [
    { flag: '--n-components', type: 'int', help: 'number of components to keep' },
    { flag: '--variance', type: 'number', help: 'keep the fewest components whose cumulative explained-variance ratio reaches this share, in (0, 1)' },
    { flag: '--components', type: 'flag', help: 'also print the principal axes (components)' },
    ...COMMON,
  ],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    noExtra(positionals.slice(1));
    if (options.nComponents !== undefined && options.variance !== undefined) throw new UsageError('give --n-components or --variance, not both');
    const v = options.variance as number | undefined;
    if (v !== undefined && !(v > 0 && v < 1)) throw new UsageError(`--variance must be in (0, 1), got ${v}`);
    const data = await loadFrom(positionals[0], options, this.synopsis);
    const model = new PCA({ nComponents: (options.nComponents as number | undefined) ?? v }).fit(data.X);
    let cumulative = 0;
    return toJSON({
      nSamples: data.X.rows,
      nFeatures: data.X.cols,
      nComponents: model.nComponents_,
      explainedVarianceRatio: model.explainedVarianceRatio_,
      cumulativeExplainedVarianceRatio: Array.from(model.explainedVarianceRatio_, (r) => (cumulative += r)),
      explainedVariance: model.explainedVariance_,
      singularValues: model.singularValues_,
      ...(options.components ? { components: model.components_, mean: model.mean_ } : {}),
    });
  },
};

const importCommand: Command = {
  name: 'import',
  synopsis: 'import <data> --out X.npy [--labels-out y.npy] --json',
  description: 'Writes the matrix the app would use for this file (numeric columns, label column excluded) as a .npy, and the label codes if asked.',
  options: [
    { flag: '--out', type: 'string', help: 'the .npy file to write (float64, C order; float32 data stays float32)' },
    { flag: '--labels-out', type: 'string', help: 'also write the label codes of --label-column (a float64 .npy of integer codes)' },
    ...COMMON,
  ],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    noExtra(positionals.slice(1));
    const out = options.out as string | undefined;
    if (!out) throw new UsageError('import needs --out FILE.npy');
    if (options.labelsOut && !options.labelColumn && !options.labels) throw new UsageError('--labels-out needs --label-column');
    const data = await loadFrom(positionals[0], options, this.synopsis);
    writeFileSync(out, writeNpy(data.X));
    if (options.labelsOut && data.y) writeFileSync(options.labelsOut as string, writeNpy({ rows: data.y.length, cols: 1, data: Float64Array.from(data.y) }));
    return toJSON({
      out,
      nSamples: data.X.rows,
      nFeatures: data.X.cols,
      dtype: data.X.data instanceof Float32Array ? 'float32' : 'float64',
      featureNames: data.featureNames,
      ...(data.labelClasses ? { labelClasses: data.labelClasses } : {}),
      ...fileFields(data),
    });
  },
};

export const COMMANDS: readonly Command[] = [fit, sweep, silhouette, pca, importCommand, anomaliesCommand, ...LABELING_COMMANDS];

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
    'Data: CSV/TSV (every numeric column is a feature, except --label-column), .npy (2-D, C or Fortran order), or a folder of',
    'PNG/JPEG/WebP/PGM/BMP images (one row per image, values scaled to [0, 1]; labels from labels.csv or sub-folders; files in the output).',
  ].join('\n');
}
