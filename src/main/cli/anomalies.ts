/**
 * `clusterscope anomalies`: one of the app's detectors on a file or an image folder, with the
 * same core code as the app's worker (src/core/anomalies): a score per sample (higher = more
 * anomalous), the threshold, the flagged samples most anomalous first.
 */
import { DETECTOR_METHODS, DETECTOR_PARAM_NAMES, DensityDetector, makeDetector, type DetectorMethod } from '../../core/anomalies';
import { COVARIANCE_TYPES } from '../../core/cluster/mixture';
import { INIT_PARAMS } from '../../core/cluster/mixture/base';
import { parseArgs, UsageError, type OptionSpec } from './args';
import type { Command } from './commands';
import { loadData } from './data';
import { toJSON } from './json';

const OPTIONS: OptionSpec[] = [
  { flag: '--method', type: 'string', choices: DETECTOR_METHODS, help: 'gmm: Gaussian-mixture density; pca: reconstruction error; dbscan: distance to the nearest core sample (noise)' },
  { flag: '--percentile', type: 'number', help: 'flag this share of the samples, in percent (gmm and pca default: 4, the chapter\'s)' },
  { flag: '--threshold', type: 'number', help: 'flag the samples whose score is above this value (gmm: minus the log density)' },
  { flag: '--n-components', type: 'int', help: 'gmm: mixture components [n_components] (default 1)' },
  { flag: '--covariance-type', type: 'string', choices: COVARIANCE_TYPES, help: 'gmm: shape of the covariances [covariance_type] (default full)' },
  { flag: '--n-init', type: 'int', help: 'gmm: initialisations, the best kept [n_init] (default 1)' },
  { flag: '--max-iter', type: 'int', help: 'gmm: EM iterations [max_iter] (default 100)' },
  { flag: '--tol', type: 'number', help: 'gmm: convergence threshold [tol] (default 1e-3)' },
  { flag: '--reg-covar', type: 'number', help: 'gmm: added to the covariances\' diagonal [reg_covar] (default 1e-6)' },
  { flag: '--init-params', type: 'string', choices: INIT_PARAMS, help: 'gmm: how EM starts [init_params] (default kmeans)' },
  { flag: '--pca-variance', type: 'number', help: 'gmm, dbscan: project on the principal components keeping this share of the variance first (e.g. 0.99 for faces), or a component count' },
  { flag: '--variance', type: 'number', help: 'pca: components kept, a variance ratio in (0, 1) or a count (default 0.99)' },
  { flag: '--eps', type: 'number', help: 'dbscan: neighbourhood radius [eps] (default 0.5)' },
  { flag: '--min-samples', type: 'int', help: 'dbscan: neighbours that make a core sample [min_samples] (default 5)' },
  { flag: '--random-state', type: 'int', help: 'gmm: seed of the initialisation [random_state] (drawn and reported when absent)' },
  { flag: '--label-column', type: 'string', help: 'CSV column holding labels (left out of the features)' },
  { flag: '--json', type: 'flag', help: 'print one JSON object (the default output format)' },
  { flag: '--quiet', type: 'flag', help: 'no progress on stderr' },
];

/** Options that are not detector hyperparameters. */
const GENERAL = new Set(['method', 'labelColumn', 'json', 'quiet']);

function kebab(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export const anomaliesCommand: Command = {
  name: 'anomalies',
  synopsis: 'anomalies <data> --method gmm|pca|dbscan [--percentile 4] [options] --json',
  description: [
    'Scores every sample by how anomalous it is and flags the most anomalous, as the app\'s anomaly review does:',
    '  gmm     score = −log density under a Gaussian mixture (the chapter flags the 4 % least likely)',
    '  pca     score = squared PCA reconstruction error (components for 99 % of the variance by default)',
    '  dbscan  score = distance to the nearest core sample; the noise (score above eps) is flagged',
    'Prints scores (one per sample), threshold, indices (the flagged samples, most anomalous first), and files for an image folder.',
  ].join('\n'),
  options: OPTIONS,
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    const [path, ...extra] = positionals;
    if (!path) throw new UsageError(`usage: clusterscope ${this.synopsis}`);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const method = options.method as DetectorMethod | undefined;
    if (!method) throw new UsageError(`anomalies needs --method (${DETECTOR_METHODS.join(', ')})`);
    const params: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) {
      if (GENERAL.has(key)) continue;
      if (!DETECTOR_PARAM_NAMES[method].includes(key)) throw new UsageError(`${kebab(key)} does not apply to --method ${method}`);
      params[key] = value;
    }
    if (params.percentile !== undefined && params.threshold !== undefined) throw new UsageError('give --percentile or --threshold, not both');
    const detector = makeDetector(method, params);
    const data = await loadData(path, { labelColumn: options.labelColumn as string | undefined });
    const onProgress = progress(Boolean(options.quiet));
    detector.fit(data.X, null, { onProgress });
    return toJSON({
      method,
      nSamples: data.X.rows,
      nFeatures: data.X.cols,
      params: detector instanceof DensityDetector ? { ...params, randomState: detector.randomState_ } : params,
      scores: detector.scores_,
      threshold: detector.threshold_,
      thresholdSource: detector.thresholdSource_,
      indices: detector.flagged_,
      nFlagged: detector.flagged_!.length,
      summary: detector.summary(),
      ...(data.files ? { files: data.files } : {}),
    });
  },
};

function progress(quiet: boolean): ((f: number) => void) | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let last = -1;
  return (f) => {
    const pct = Math.floor(f * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\rscoring ${pct}%   `);
    if (f >= 1) process.stderr.write('\r\x1b[K');
  };
}
