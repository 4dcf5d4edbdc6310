/**
 * The clustering form, generated from the core's parameter table (`ALGORITHM_PARAMS`): one field
 * per hyperparameter with scikit-learn's name, default and help, and the validation that turns
 * the typed text into parameters — or into one message per field saying what is wrong. A field
 * left empty where scikit-learn's default is None is simply not sent.
 */
import { ALGORITHM_PARAMS, type ParamSpec } from '../../../core/cluster/params';
import type { AlgorithmName, MetricName } from '../../../core/cluster/registry';

export type { AlgorithmName, MetricName, ParamSpec };

/** Every algorithm of the core, in the order the picker lists them. */
export const ALGORITHMS = Object.keys(ALGORITHM_PARAMS) as AlgorithmName[];

export const ALGORITHM_TITLES: Record<AlgorithmName, string> = {
  kmeans: 'K-Means',
  'minibatch-kmeans': 'Mini-batch K-Means',
  dbscan: 'DBSCAN',
  gmm: 'Gaussian mixture',
  bgmm: 'Bayesian Gaussian mixture',
  agglomerative: 'Agglomerative',
  spectral: 'Spectral',
};

/** The title of an algorithm by its job name, or the name itself for one this build does not know. */
export function algorithmTitle(name: string): string {
  return (ALGORITHM_TITLES as Record<string, string>)[name] ?? name;
}

export function isAlgorithm(name: unknown): name is AlgorithmName {
  return typeof name === 'string' && (ALGORITHMS as string[]).includes(name);
}

/** The metrics a run can be scored with, scikit-learn's names, and whether they need ground truth. */
export const METRICS: ReadonlyArray<{ name: MetricName; title: string; help: string; needsTruth: boolean }> = [
  { name: 'silhouette', title: 'silhouette_score', help: 'Mean silhouette coefficient (−1..1, higher is better); estimated on 10,000 samples above that.', needsTruth: false },
  { name: 'calinski-harabasz', title: 'calinski_harabasz_score', help: 'Between- over within-cluster dispersion (higher is better).', needsTruth: false },
  { name: 'davies-bouldin', title: 'davies_bouldin_score', help: 'Mean similarity of each cluster to its most similar one (lower is better).', needsTruth: false },
  { name: 'ari', title: 'adjusted_rand_score', help: 'Agreement with the label column, corrected for chance (1 = identical).', needsTruth: true },
  { name: 'nmi', title: 'normalized_mutual_info_score', help: 'Shared information with the label column (0..1).', needsTruth: true },
];

export function defaultMetrics(hasTruth: boolean): MetricName[] {
  return hasTruth ? ['silhouette', 'ari'] : ['silhouette'];
}

/** A field's typed value: text for numbers and names, a flag for booleans. */
export type FieldValue = string | boolean;
export type Fields = Record<string, FieldValue>;
export type FieldErrors = Record<string, string>;

/** The parameter that is "k" (n_clusters or n_components), or null (DBSCAN). */
export function kParam(algorithm: AlgorithmName): ParamSpec | null {
  return ALGORITHM_PARAMS[algorithm].find((p) => p.name === 'nClusters' || p.name === 'nComponents') ?? null;
}

/** The form's test hook of a parameter: `param-` and its scikit-learn name in kebab case. */
export function paramTestId(spec: ParamSpec): string {
  return `param-${spec.sklearn.replaceAll('_', '-')}`;
}

/** Whether a parameter is optional: scikit-learn's default is None (or, for agglomerative's n_clusters, may be). */
export function isOptional(algorithm: AlgorithmName, spec: ParamSpec): boolean {
  return spec.default === undefined || (algorithm === 'agglomerative' && spec.name === 'nClusters');
}

/**
 * scikit-learn's defaults as typed text; k starts at the number of known classes when there are
 * labels, and random_state at the default seed of the Preferences when there is one.
 */
export function defaultFields(algorithm: AlgorithmName, classCount: number | null, seed: number | null = null): Fields {
  const out: Fields = {};
  const k = kParam(algorithm);
  for (const p of ALGORITHM_PARAMS[algorithm]) {
    if (p.type === 'boolean') out[p.name] = p.default === true;
    else out[p.name] = p.default === undefined ? '' : String(p.default);
  }
  if (k && classCount && classCount >= 2) out[k.name] = String(classCount);
  if (seed !== null && 'randomState' in out) out.randomState = String(seed);
  return out;
}

const MAX_SEED = 2 ** 32 - 1;

function fmt(v: number): string {
  return v.toLocaleString('en-US');
}

/** One typed value → the parameter's value, or a message. `undefined` means "not sent". */
function parseField(algorithm: AlgorithmName, spec: ParamSpec, raw: FieldValue | undefined, nSamples: number): { value?: unknown; error?: string } {
  const name = spec.sklearn;
  if (spec.type === 'boolean') return { value: raw === true };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') {
    if (isOptional(algorithm, spec)) return { value: undefined };
    return { error: spec.type === 'int' ? `${name} must be a whole number` : `${name} is required` };
  }
  if (spec.choices && (spec.type === 'string' || !Number.isFinite(Number(text)))) {
    if (spec.choices.includes(text)) return { value: text };
    if (spec.type === 'string') return { error: `${name} must be one of ${spec.choices.join(', ')}` };
  }
  if (spec.type === 'string') return { value: text };
  const v = Number(text);
  const isInt = spec.type === 'int' || spec.type === 'int-or-string';
  if (isInt && !Number.isInteger(v)) return { error: `${name} must be a whole number` };
  if (!Number.isFinite(v)) {
    const example = typeof spec.default === 'number' ? `, e.g. ${spec.default}` : '';
    return { error: `${name} must be a number${example}` };
  }
  const min = spec.min ?? -Infinity;
  const max = spec.name === 'randomState' ? MAX_SEED : (spec.max ?? Infinity);
  if (v < min) return { error: min === 0 && !isInt ? `${name} cannot be negative` : `${name} must be at least ${fmt(min)}` };
  if (v > max) return { error: `${name} must be at most ${fmt(max)}` };
  if ((spec.name === 'nClusters' || spec.name === 'nComponents') && v > nSamples) {
    return { error: `${name} cannot exceed the ${fmt(nSamples)} samples` };
  }
  return { value: v };
}

/**
 * Validates the fields of an algorithm for a dataset of `nSamples` rows: the parameters by the
 * core's names (optional ones left out when empty), or one message per field.
 */
export function validateFields(algorithm: AlgorithmName, fields: Fields, nSamples: number): { params: Record<string, unknown> | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const params: Record<string, unknown> = {};
  for (const spec of ALGORITHM_PARAMS[algorithm]) {
    const r = parseField(algorithm, spec, fields[spec.name], nSamples);
    if (r.error) errors[spec.name] = r.error;
    else if (r.value !== undefined) params[spec.name] = r.value;
  }
  if (algorithm === 'agglomerative' && !errors.nClusters && !errors.distanceThreshold) {
    // scikit-learn wants exactly one of the two, the other None.
    const hasK = params.nClusters !== undefined, hasT = params.distanceThreshold !== undefined;
    if (hasK && hasT) errors.distanceThreshold = 'leave n_clusters empty when distance_threshold is set';
    else if (!hasK && !hasT) errors.nClusters = 'set n_clusters, or leave it empty and set distance_threshold';
    else if (!hasK) params.nClusters = null;
  }
  if (Object.keys(errors).length > 0) return { params: null, errors };
  return { params, errors };
}

/** How a parameter's default reads in the form's placeholder and help. */
export function defaultText(algorithm: AlgorithmName, spec: ParamSpec): string {
  if (spec.name === 'randomState') return 'fresh seed';
  if (spec.default === undefined || (algorithm === 'agglomerative' && spec.name === 'nClusters')) return 'None';
  return String(spec.default);
}

/** A parameter's help line, saying what an empty field means when it may be left empty. */
export function helpText(algorithm: AlgorithmName, spec: ParamSpec): string {
  return isOptional(algorithm, spec) ? `${spec.help} Empty: ${defaultText(algorithm, spec)}.` : spec.help;
}
