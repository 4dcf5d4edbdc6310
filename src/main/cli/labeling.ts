/**
 * The chapter's "clustering for semi-supervised learning" on the command line:
 *   represent         the sample nearest each K-Means centroid: the few to label by hand;
 *   simulate-labeling the whole workflow played with the ground truth as the labeler — a
 *                     held-out split (scikit-learn's train_test_split, so digits with
 *                     --random-state 42 is the chapter's split), K-Means on the training rows,
 *                     the representatives labeled, their labels propagated to whole clusters
 *                     and to each cluster's closest percentile, and the test accuracy of the
 *                     chapter's logistic regression trained on each, beside the same number of
 *                     random labels: what clustering saves on a person's own labeled data.
 */
import { readFileSync } from 'node:fs';
import { fitClustering } from '../../core/cluster/registry';
import { distancesToCenters } from '../../core/cluster/kmeans/predict';
import { PCA } from '../../core/decomposition';
import { LogisticRegression } from '../../core/linear';
import { takeRows, type Matrix } from '../../core/math/matrix';
import { UNLABELED, nearestSamples, ownCentroidDistances, propagateToClusters, propagateToPercentile } from '../../core/semisupervised';
import { CHAPTER_CLASSIFIER } from '../../shared/analyses/labeling';
import { trainTestSplit, type Split } from '../worker/labeling/split';
import { parseArgs, UsageError, type OptionSpec } from './args';
import type { Command } from './commands';
import { COMMON, fileFields, loadFrom, progressReporter } from './common';
import { toJSON } from './json';

const KMEANS_OPTIONS: OptionSpec[] = [
  { flag: '--n-clusters', type: 'int', help: 'clusters, so representatives to label (the chapter: 50) [n_clusters]' },
  { flag: '--n-init', type: 'int', help: 'K-Means initialisations, the best kept [n_init]', default: '10' },
  { flag: '--max-iter', type: 'int', help: 'K-Means iterations per initialisation [max_iter]', default: '300' },
  { flag: '--random-state', type: 'int', help: 'seed of K-Means (and of the split of simulate-labeling); drawn and reported when absent [random_state]' },
  { flag: '--pca-variance', type: 'number', help: 'cluster on the principal components keeping this share of the variance (the chapter: 0.99 for faces), in (0, 1)' },
];

const PERCENT = (v: number): boolean => v > 0 && v < 1;

function checkKMeans(options: Record<string, unknown>): { nClusters: number; nInit: number; maxIter: number; randomState: number; pcaVariance: number | null } {
  const nClusters = options.nClusters as number | undefined;
  if (nClusters === undefined) throw new UsageError('give --n-clusters (the number of representatives to label, e.g. 50)');
  if (nClusters < 1) throw new UsageError(`--n-clusters must be at least 1, got ${nClusters}`);
  const pcaVariance = (options.pcaVariance as number | undefined) ?? null;
  if (pcaVariance !== null && !PERCENT(pcaVariance)) throw new UsageError(`--pca-variance must be in (0, 1), got ${pcaVariance}`);
  const given = options.randomState as number | undefined;
  if (given !== undefined && !(given >= 0 && given <= 0xffffffff)) throw new UsageError(`--random-state must be in [0, 2^32 - 1], got ${given}`);
  return {
    nClusters,
    nInit: (options.nInit as number | undefined) ?? 10,
    maxIter: (options.maxIter as number | undefined) ?? 300,
    // A seed drawn here serves K-Means and the split alike, and is reported: every result can be repeated.
    randomState: given ?? Math.floor(Math.random() * 2147483647),
    pcaVariance,
  };
}

interface Clustered {
  labels: Int32Array;
  /** Distances of every row of the fitted data to every centroid, (nRows, nClusters). */
  distances: Matrix<Float64Array>;
  inertia: number;
  nComponents: number | null;
}

/** K-Means (after PCA when asked) on `X`; `pca` is fitted on `X` too and returned for other rows. */
function cluster(X: Matrix, k: ReturnType<typeof checkKMeans>, quiet: boolean): Clustered & { reduce: (M: Matrix) => Matrix } {
  if (k.nClusters > X.rows) throw new UsageError(`--n-clusters ${k.nClusters} is more than the ${X.rows} samples`);
  let reduce = (M: Matrix): Matrix => M;
  let nComponents: number | null = null;
  if (k.pcaVariance !== null) {
    const pca = new PCA({ nComponents: k.pcaVariance }).fit(X);
    nComponents = pca.nComponents_;
    reduce = (M) => pca.transform(M);
  }
  const Z = reduce(X);
  const outcome = fitClustering('kmeans', { nClusters: k.nClusters, nInit: k.nInit, maxIter: k.maxIter, randomState: k.randomState }, Z, {
    onProgress: progressReporter(quiet, 'K-Means'),
  });
  return { labels: outcome.labels, distances: distancesToCenters(Z, outcome.centers!), inertia: outcome.scalars.inertia, nComponents, reduce };
}

const represent: Command = {
  name: 'represent',
  synopsis: 'represent <data> --n-clusters 50 [--random-state 0] [--pca-variance 0.99] --json',
  description:
    "Clusters the data with K-Means and prints, for each cluster, the sample nearest its centroid (representatives: row indices, in cluster order) — the samples to label by hand — and each sample's cluster (labels). For a folder of images, files gives the file of each row and representativeFiles the files to label.",
  options: [...KMEANS_OPTIONS, ...COMMON],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const k = checkKMeans(options);
    const data = await loadFrom(positionals[0], options, this.synopsis);
    const c = cluster(data.X, k, Boolean(options.quiet));
    const reps = nearestSamples(c.distances);
    const own = ownCentroidDistances(c.distances, c.labels);
    return toJSON({
      nSamples: data.X.rows,
      nFeatures: data.X.cols,
      nClusters: k.nClusters,
      params: { nClusters: k.nClusters, nInit: k.nInit, maxIter: k.maxIter, randomState: k.randomState, ...(k.pcaVariance !== null ? { pcaVariance: k.pcaVariance, nComponents: c.nComponents } : {}) },
      representatives: reps,
      labels: c.labels,
      inertia: c.inertia,
      /** How far each representative lies from its centroid. */
      representativeDistances: Float64Array.from(reps, (i) => own[i]),
      ...(data.files ? { representativeFiles: Array.from(reps, (i) => data.files![i]) } : {}),
      ...(data.y && data.labelClasses ? { representativeLabels: Array.from(reps, (i) => data.labelClasses![data.y![i]]) } : {}),
      ...fileFields(data),
    });
  },
};

/** A split file as reference/datasets/digits_split.json: { train_idx, test_idx } of row indices. */
function readSplit(path: string, n: number): Split {
  let o: { train_idx?: unknown; test_idx?: unknown };
  try {
    o = JSON.parse(readFileSync(path, 'utf8')) as typeof o;
  } catch (e) {
    throw new UsageError(`--split ${path}: not a readable JSON file (${(e as Error).message})`);
  }
  const rows = (v: unknown, what: string): Int32Array => {
    if (!Array.isArray(v) || v.length === 0 || !v.every((i) => Number.isInteger(i) && i >= 0 && i < n)) throw new UsageError(`--split ${path}: ${what} must be a list of row indices in 0..${n - 1}`);
    return Int32Array.from(v as number[]);
  };
  const split = { train: rows(o.train_idx, 'train_idx'), test: rows(o.test_idx, 'test_idx') };
  const seen = new Set<number>();
  for (const i of [...split.train, ...split.test]) {
    if (seen.has(i)) throw new UsageError(`--split ${path}: row ${i} is listed twice`);
    seen.add(i);
  }
  return split;
}

const simulate: Command = {
  name: 'simulate-labeling',
  synopsis: 'simulate-labeling <data> --label-column y --n-clusters 50 [--percentile 20] [--random-state 42] --json',
  description: [
    'Plays the labeling workflow with the ground truth as the labeler and prints test accuracies of the chapter\'s classifier',
    "(LogisticRegression(multi_class='ovr', max_iter=5000)) trained on:",
    '  randomBaseline        as many random labels as clusters (the first rows of the shuffled training set)',
    '  representatives       the labels of the samples nearest each centroid',
    '  propagatedAll         those labels spread to every sample of their cluster',
    '  propagatedPercentile  spread only to the --percentile % of each cluster closest to its centroid',
    'and propagatedLabelAccuracy / percentileLabelAccuracy, how many spread labels are right.',
    "The split is scikit-learn's train_test_split(test_size=0.25, random_state=seed) to the row (digits with --random-state 42: the chapter's), or --split FILE.json.",
  ].join('\n'),
  options: [
    ...KMEANS_OPTIONS,
    { flag: '--percentile', type: 'number', help: 'share of each cluster (closest to its centroid) that receives the propagated label, in percent', default: '20' },
    { flag: '--test-size', type: 'number', help: 'share of the rows held out for testing, in (0, 1)', default: '0.25' },
    { flag: '--split', type: 'string', help: 'a JSON file { train_idx, test_idx } of row indices, instead of the seeded split' },
    { flag: '--supervised', type: 'flag', help: 'also train on every training label (fullySupervised: the ceiling)' },
    ...COMMON,
  ],
  async run(argv) {
    const { positionals, options } = parseArgs(argv, this.options);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const k = checkKMeans(options);
    const percentile = (options.percentile as number | undefined) ?? 20;
    if (!(percentile > 0 && percentile <= 100)) throw new UsageError(`--percentile must be in (0, 100], got ${percentile}`);
    const testSize = (options.testSize as number | undefined) ?? 0.25;
    if (!PERCENT(testSize)) throw new UsageError(`--test-size must be in (0, 1), got ${testSize}`);
    if (options.split && options.testSize !== undefined) throw new UsageError('give --split or --test-size, not both');
    const data = await loadFrom(positionals[0], options, this.synopsis);
    if (!data.y) throw new UsageError('simulate-labeling plays the labeler with the ground truth: give --label-column (CSV), --labels (.npy), or a folder with labels');
    const n = data.X.rows;
    const split = options.split ? readSplit(options.split as string, n) : trainTestSplit(n, { testSize, randomState: k.randomState });
    if (k.nClusters > split.train.length) throw new UsageError(`--n-clusters ${k.nClusters} is more than the ${split.train.length} training samples`);
    const y = data.y;
    const Xtrain = takeRows(data.X, Array.from(split.train));
    const yTrain = Int32Array.from(split.train, (i) => y[i]);
    const yTest = Int32Array.from(split.test, (i) => y[i]);
    const quiet = Boolean(options.quiet);

    const c = cluster(Xtrain, k, quiet);
    const Ftrain = c.reduce(Xtrain);
    const Ftest = c.reduce(takeRows(data.X, Array.from(split.test)));
    const score = (rows: ArrayLike<number>, labels: ArrayLike<number>): number => {
      const idx = Array.from(rows);
      const yy = Int32Array.from(idx, (i) => labels[i]);
      if (new Set(yy).size < 2) return NaN; // one class: no classifier to train
      return new LogisticRegression({ multiClass: CHAPTER_CLASSIFIER.multiClass, maxIter: CHAPTER_CLASSIFIER.maxIter, C: CHAPTER_CLASSIFIER.C }).fit(takeRows(Ftrain, idx), yy).score(Ftest, yTest);
    };
    const all = Array.from({ length: split.train.length }, (_, i) => i);
    const labeledRows = (labels: Int32Array): number[] => all.filter((i) => labels[i] !== UNLABELED);
    const labelAccuracy = (labels: Int32Array, rows: number[]): number => rows.filter((i) => labels[i] === yTrain[i]).length / rows.length;

    const reps = nearestSamples(c.distances);
    const repLabels = Int32Array.from(reps, (i) => yTrain[i]);
    const full = propagateToClusters(c.labels, reps, repLabels);
    const partial = propagateToPercentile(ownCentroidDistances(c.distances, c.labels), c.labels, reps, repLabels, percentile);
    const partialRows = labeledRows(partial);
    const out = {
      nSamples: n,
      nFeatures: data.X.cols,
      nTrain: split.train.length,
      nTest: split.test.length,
      nClusters: k.nClusters,
      percentile,
      params: { nClusters: k.nClusters, nInit: k.nInit, maxIter: k.maxIter, randomState: k.randomState, ...(k.pcaVariance !== null ? { pcaVariance: k.pcaVariance, nComponents: c.nComponents } : {}) },
      split: options.split ? { file: options.split } : { testSize, randomState: k.randomState },
      /** The held-out rows, in the split's order. */
      testIndices: split.test,
      classifier: { multiClass: CHAPTER_CLASSIFIER.multiClass, maxIter: CHAPTER_CLASSIFIER.maxIter, C: CHAPTER_CLASSIFIER.C },
      randomBaseline: score(all.slice(0, k.nClusters), yTrain),
      representatives: score(reps, yTrain),
      propagatedAll: score(labeledRows(full), full),
      propagatedPercentile: score(partialRows, partial),
      propagatedLabelAccuracy: labelAccuracy(full, labeledRows(full)),
      percentileLabelAccuracy: labelAccuracy(partial, partialRows),
      nPropagatedPercentile: partialRows.length,
      ...(options.supervised ? { fullySupervised: score(all, yTrain) } : {}),
      inertia: c.inertia,
      /** The representatives as rows of the input. */
      representativeIndices: Int32Array.from(reps, (i) => split.train[i]),
      ...(data.files ? { representativeFiles: Array.from(reps, (i) => data.files![split.train[i]]) } : {}),
      ...fileFields(data),
    };
    return toJSON(out);
  },
};

export const LABELING_COMMANDS: readonly Command[] = [represent, simulate];
