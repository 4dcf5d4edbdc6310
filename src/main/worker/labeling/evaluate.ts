/**
 * Evaluation of the labels a person gave (the chapter's semi-supervised experiment with a person
 * as the labeler): a classifier trained on the hand and propagated labels of the training rows,
 * tested on held-out rows against the ground truth, next to the same classifier trained on the
 * hand labels alone, on as many random true labels (the baseline), and on every true label (the
 * upper bound); then active learning: the training rows the classifier is least sure about,
 * spread over the clusters.
 */
import { ParameterError } from '../../../core/errors';
import { leastConfident } from '../../../core/semisupervised';
import { takeRows, type Matrix } from '../../../core/math/matrix';
import { makeRandom } from '../../../core/math/random';
import { checkInt } from '../../../core/validate';
import type { LogisticRegression } from '../../../core/linear';
import {
  CHAPTER_SPLIT,
  type BaselineAccuracy,
  type EvaluateLabelsParams,
  type EvaluateLabelsResult,
  type SplitSpec,
} from '../../../shared/analyses/labeling';
import type { AnalysisInput } from '../../../shared/jobs';
import { makeClassifier, requireRun, runRows, type Progress } from './common';
import { checkSplitSpec, trainTestSplit } from './split';

/** Sources per row (`EncodedLabels.source`); 0 = unlabeled. */
const NONE = 0;
const HAND = 1;
const PROPAGATED = 2;

/** The labels of the params as per-row class codes and sources, checked against the data. */
export interface EncodedLabels {
  /** Class code per row, −1 where unlabeled; codes of ground-truth classes are their index in `labelClasses`. */
  code: Int32Array;
  /** HAND, PROPAGATED or NONE per row. */
  source: Uint8Array;
}

/**
 * Decodes the flat [row, classIndex] pairs. With ground truth a label equal to a class name gets
 * that class's code (so it can be right); other names get codes after them (always wrong). A row
 * given both a hand and a propagated label keeps the hand one.
 */
export function encodeLabels(params: EvaluateLabelsParams, nRows: number, labelClasses: string[] | null): EncodedLabels {
  const { classes, hand, propagated } = params;
  if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string')) throw new ParameterError('classes must be a list of label names');
  const codeOfClass = new Int32Array(classes.length);
  let extra = labelClasses ? labelClasses.length : 0;
  classes.forEach((name, i) => {
    const known = labelClasses ? labelClasses.indexOf(name) : -1;
    codeOfClass[i] = known >= 0 ? known : labelClasses ? extra++ : i;
  });
  const code = new Int32Array(nRows).fill(-1);
  const source = new Uint8Array(nRows);
  const read = (pairs: unknown, what: string, kind: number): void => {
    if (!Array.isArray(pairs) || pairs.length % 2 !== 0) throw new ParameterError(`${what} must be flat [row, classIndex] pairs`);
    for (let p = 0; p < pairs.length; p += 2) {
      const row = pairs[p], cls = pairs[p + 1];
      if (!Number.isInteger(row) || row < 0 || row >= nRows) throw new ParameterError(`${what}: row ${String(row)} is outside 0..${nRows - 1}`);
      if (!Number.isInteger(cls) || cls < 0 || cls >= classes.length) throw new ParameterError(`${what}: class index ${String(cls)} is outside 0..${classes.length - 1}`);
      if (source[row] === HAND) continue;
      code[row] = codeOfClass[cls];
      source[row] = kind;
    }
  };
  read(hand, 'hand', HAND);
  read(propagated, 'propagated', PROPAGATED);
  return { code, source };
}

function countClasses(codes: ArrayLike<number>): number {
  return new Set(Array.from(codes)).size;
}

function accuracyOf(pred: Int32Array, truth: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) hits++;
  return hits / pred.length;
}

export function evaluateLabels(input: AnalysisInput, params: EvaluateLabelsParams, onProgress: Progress): EvaluateLabelsResult {
  const run = requireRun(input);
  const n = input.X.rows;
  const { space, split: runSplit } = runRows(input);
  const classifier = makeClassifier(params.classifier);
  const draws = checkInt('baselineDraws', params.baselineDraws ?? 10, 0, 100);
  const next = checkInt('next', params.next ?? 10, 0, 1000);
  const baselineSeed = checkInt('baselineSeed', params.baselineSeed ?? 0, 0, 2 ** 32 - 1);
  const truth = input.y;
  const labels = encodeLabels(params, n, truth ? input.labelClasses ?? [] : null);

  // The evaluation split: the run's own (its held-out rows were never clustered nor shown), or the params'.
  let split: EvaluateLabelsResult['split'] = null;
  const isTrain = new Uint8Array(n).fill(1);
  let test: Int32Array = new Int32Array(0);
  if (truth) {
    let spec: SplitSpec;
    let source: 'run' | 'params';
    if (space.holdout && runSplit) {
      spec = space.holdout;
      source = 'run';
      test = runSplit.test;
    } else {
      try {
        spec = checkSplitSpec(params.split ?? CHAPTER_SPLIT, 'split');
      } catch (e) {
        throw new ParameterError((e as Error).message);
      }
      source = 'params';
      test = trainTestSplit(n, spec).test;
    }
    for (const r of test) isTrain[r] = 0;
    split = { source, spec, nTrain: n - test.length, nTest: test.length };
  }

  const trainRows: number[] = [];
  const handRows: number[] = [];
  let nHand = 0, nPropagated = 0, nHeldOutLabels = 0;
  for (let r = 0; r < n; r++) {
    if (labels.source[r] === NONE) continue;
    if (!isTrain[r]) {
      nHeldOutLabels++;
      continue;
    }
    trainRows.push(r);
    if (labels.source[r] === HAND) {
      handRows.push(r);
      nHand++;
    } else nPropagated++;
  }

  onProgress(0.02, 'features');
  const Xm = space.toModelSpace(input.X);
  const Xtest = truth ? takeRows(Xm, test) : null;
  const yTest = truth ? Int32Array.from(test, (r) => truth[r]) : null;
  const notes: string[] = [];

  // One step of the progress bar per classifier trained.
  const steps = 2 + (truth ? draws + (params.supervised === false ? 0 : 1) : 0);
  let step = 0;
  const fit = (rows: ArrayLike<number>, y: ArrayLike<number>, what: string): LogisticRegression => {
    const s = step++;
    const clf = classifier().fit(takeRows(Xm, rows), y, { onProgress: (f) => onProgress(0.05 + (0.9 * (s + f)) / steps, what) });
    return clf;
  };
  const score = (clf: LogisticRegression): number => accuracyOf(clf.predict(Xtest as Matrix), yTest as Int32Array);

  // The person's labels (hand and propagated): the classifier of the workflow, also asked what to label next.
  const yLabels = Int32Array.from(trainRows, (r) => labels.code[r]);
  let main: LogisticRegression | null = null;
  if (countClasses(yLabels) >= 2) main = fit(trainRows, yLabels, 'classifier on your labels');
  else {
    step++;
    notes.push('label at least two different classes to train a classifier');
  }
  // Without propagated labels the hand-only classifier is the same one.
  const yHand = Int32Array.from(handRows, (r) => labels.code[r]);
  let handOnly: LogisticRegression | null = null;
  if (nPropagated > 0 && countClasses(yHand) >= 2) handOnly = fit(handRows, yHand, 'classifier on hand labels');
  else step++;

  let labelAccuracy: EvaluateLabelsResult['labelAccuracy'] = { all: null, hand: null, propagated: null };
  let accuracy: number | null = null, handOnlyAccuracy: number | null = null, supervisedAccuracy: number | null = null;
  let randomBaseline: BaselineAccuracy | null = null;
  if (truth) {
    labelAccuracy = labelAccuracies(labels, trainRows, truth);
    if (main) accuracy = score(main);
    handOnlyAccuracy = handOnly ? score(handOnly) : nPropagated === 0 ? accuracy : null;
    const pool = [];
    for (let r = 0; r < n; r++) if (isTrain[r]) pool.push(r);
    if (nHand >= 2) randomBaseline = baseline(pool, nHand, draws, baselineSeed, truth, fit, score);
    else step += draws;
    if (params.supervised !== false) supervisedAccuracy = score(fit(pool, Int32Array.from(pool, (r) => truth[r]), 'classifier on every true label'));
  } else {
    notes.push('the dataset has no ground truth: accuracies cannot be measured');
  }

  // Active learning: training rows without a hand label, least confident first, spread over clusters.
  let nextRows = new Int32Array(0), nextConfidence = new Float64Array(0);
  if (main && next > 0) {
    const candidates: number[] = [];
    for (let r = 0; r < n; r++) if (isTrain[r] && labels.source[r] !== HAND) candidates.push(r);
    if (candidates.length > 0) {
      const proba = main.predictProba(takeRows(Xm, candidates));
      const clusters = Int32Array.from(candidates, (r) => run.labels[r]);
      const picked = leastConfident(proba, clusters, Math.min(next, candidates.length));
      nextRows = Int32Array.from(picked, (i) => candidates[i]);
      const K = proba.cols;
      nextConfidence = Float64Array.from(picked, (i) => {
        let max = 0;
        for (let c = 0; c < K; c++) max = Math.max(max, proba.data[i * K + c]);
        return max;
      });
    }
  }
  onProgress(1, 'done');
  return {
    hasTruth: !!truth,
    split,
    nHand,
    nPropagated,
    nHeldOutLabels,
    labelAccuracy,
    accuracy,
    handOnlyAccuracy,
    randomBaseline,
    supervisedAccuracy,
    next: nextRows,
    nextConfidence,
    note: notes.length ? notes.join('; ') : null,
  };
}

function labelAccuracies(labels: EncodedLabels, trainRows: number[], truth: Int32Array): EvaluateLabelsResult['labelAccuracy'] {
  const hits = [0, 0, 0], counts = [0, 0, 0];
  for (const r of trainRows) {
    const s = labels.source[r];
    const ok = labels.code[r] === truth[r] ? 1 : 0;
    counts[0]++;
    hits[0] += ok;
    counts[s]++;
    hits[s] += ok;
  }
  const share = (i: number): number | null => (counts[i] ? hits[i] / counts[i] : null);
  return { all: share(0), hand: share(HAND), propagated: share(PROPAGATED) };
}

/** Classifiers on `size` random training rows with their true labels, `draws` times (draws of one class only are redrawn). */
function baseline(
  pool: number[],
  size: number,
  draws: number,
  seed: number,
  truth: Int32Array,
  fit: (rows: ArrayLike<number>, y: ArrayLike<number>, what: string) => LogisticRegression,
  score: (clf: LogisticRegression) => number,
): BaselineAccuracy | null {
  if (draws === 0 || size > pool.length) return null;
  const rng = makeRandom(seed);
  const scores: number[] = [];
  for (let d = 0; d < draws; d++) {
    let rows: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      rows = Array.from(rng.sample(pool.length, size), (i) => pool[i]);
      if (countClasses(rows.map((r) => truth[r])) >= 2) break;
    }
    const y = Int32Array.from(rows, (r) => truth[r]);
    if (countClasses(y) < 2) continue;
    scores.push(score(fit(rows, y, 'random-label baseline')));
  }
  if (scores.length === 0) return null;
  return {
    mean: scores.reduce((a, b) => a + b, 0) / scores.length,
    min: Math.min(...scores),
    max: Math.max(...scores),
    draws: scores.length,
    size,
  };
}
