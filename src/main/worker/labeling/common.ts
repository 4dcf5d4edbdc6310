/** What the labeling analyses share: the run they are about, restored, and its labelable rows. */
import { ParameterError } from '../../../core/errors';
import type { KMeans, MiniBatchKMeans } from '../../../core/cluster/kmeans';
import { LogisticRegression } from '../../../core/linear';
import { checkInt, checkNumber, checkOneOf } from '../../../core/validate';
import { CHAPTER_CLASSIFIER, type ClassifierSpec } from '../../../shared/analyses/labeling';
import type { AnalysisInput } from '../../../shared/jobs';
import { restoreCentroidModel, restoreRunSpace, type RunSpace } from './preprocess';
import { trainTestSplit, type Split } from './split';

export type Progress = (fraction: number, message?: string) => void;

export function requireRun(input: AnalysisInput): NonNullable<AnalysisInput['run']> {
  if (!input.run) throw new ParameterError('this analysis is about a clustering: choose a run first');
  if (input.run.labels.length !== input.X.rows) throw new ParameterError(`the run has ${input.run.labels.length} labels for ${input.X.rows} rows`);
  return input.run;
}

export interface RunRows {
  model: KMeans | MiniBatchKMeans;
  space: RunSpace;
  /** The run's held-out split, or null. */
  split: Split | null;
  /** Rows a person may label: the training part of the split in its order, or every row. */
  rows: Int32Array;
  heldOut: Int32Array;
}

/** Restores a centroid run's model and fitting space, and the rows open to labeling. */
export function runRows(input: AnalysisInput): RunRows {
  const run = requireRun(input);
  const model = restoreCentroidModel(run.algorithm, run.model);
  const space = restoreRunSpace(run.model);
  const split = space.holdout ? trainTestSplit(input.X.rows, space.holdout) : null;
  const rows = split ? split.train : Int32Array.from({ length: input.X.rows }, (_, i) => i);
  return { model, space, split, rows, heldOut: split ? split.test : new Int32Array(0) };
}

/** The classifier of the chapter's settings, or the given ones (validated). */
export function makeClassifier(spec: ClassifierSpec | undefined): () => LogisticRegression {
  const s = { ...CHAPTER_CLASSIFIER, ...(spec ?? {}) };
  checkNumber('classifier.C', s.C, 0, Infinity, { minExclusive: true });
  checkInt('classifier.maxIter', s.maxIter, 1, 100_000);
  checkOneOf('classifier.multiClass', s.multiClass, ['ovr', 'multinomial', 'auto'] as const);
  return () => new LogisticRegression({ C: s.C, maxIter: s.maxIter, multiClass: s.multiClass, solver: 'lbfgs' });
}
