/** The book's digits split and the reference numbers of the semi-supervised section, shared by its tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LogisticRegression } from '../../../../src/core/linear';
import { takeRows, type Matrix } from '../../../../src/core/math/matrix';
import { dataset, expected, REFERENCE } from '../reference';

const digits = dataset('digits.csv');
const split = JSON.parse(readFileSync(resolve(REFERENCE, 'datasets/digits_split.json'), 'utf8')) as { train_idx: number[]; test_idx: number[] };

export const Xtrain = takeRows(digits.X, split.train_idx);
export const yTrain = Int32Array.from(split.train_idx, (i) => digits.y![i]);
export const Xtest = takeRows(digits.X, split.test_idx);
export const yTest = Int32Array.from(split.test_idx, (i) => digits.y![i]);

/** `expected/digits_semisupervised.json` (scikit-learn 1.2.1). */
export const REF = expected('digits_semisupervised.json');

/** The book's classifier: LogisticRegression(multi_class='ovr', solver='lbfgs', max_iter=5000). */
export function bookClassifier(): LogisticRegression {
  return new LogisticRegression({ multiClass: 'ovr', maxIter: 5000 });
}

/** Test accuracy of the book's classifier trained on `X`, `y`. */
export function testAccuracy(X: Matrix, y: ArrayLike<number>): number {
  return bookClassifier().fit(X, y).score(Xtest, yTest);
}

/** Fraction of `labels` equal to the true training labels at `indices` (all when omitted). */
export function labelAccuracy(labels: ArrayLike<number>, indices?: ArrayLike<number>): number {
  const idx = indices ?? Array.from({ length: labels.length }, (_, i) => i);
  let hits = 0;
  for (let t = 0; t < idx.length; t++) if (labels[idx[t]] === yTrain[idx[t]]) hits++;
  return hits / idx.length;
}

/** Indices of the samples that received a label (not −1). */
export function labeledIndices(labels: ArrayLike<number>): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== -1) out.push(i);
  return Int32Array.from(out);
}

/** One test sample of the 450, the resolution of an accuracy. */
export const ONE_TEST_SAMPLE = 1 / 450;
