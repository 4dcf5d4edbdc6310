import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, NotFittedError } from '../../../../src/core/errors';
import { LogisticRegression, type LogisticRegressionParams } from '../../../../src/core/linear/logistic';
import { binaryLossGradient, multinomialLossGradient } from '../../../../src/core/linear/loss';
import { fromRows, takeRows, toFloat64, type Matrix } from '../../../../src/core/math/matrix';
import { describeConformance } from '../conformance';
import { dataset, REFERENCE } from '../reference';

interface SkCase {
  name: string;
  params: { C?: number; max_iter?: number; tol?: number; multi_class?: 'ovr' | 'multinomial'; penalty?: 'none'; fit_intercept?: boolean };
  classes: number[];
  n_iter: number[];
  coef: number[][];
  intercept: number[];
  predict_proba: number[][];
  decision_function: number[][];
  predict: number[];
  test_predict?: number[];
  test_score?: number;
}
interface SkLoss { n_classes: number; l2_reg_strength: number; fit_intercept: boolean; coef: number[]; loss: number; grad: number[] }

// Generated once with scikit-learn 1.2.1 by gen_logistic_reference.py (see the files' meta).
const fixture = <T>(name: string): T => JSON.parse(readFileSync(resolve(__dirname, '../../../fixtures/reference-extra', name), 'utf8')) as T;
const IRIS = fixture<{ cases: SkCase[]; loss: SkLoss[] }>('logistic_iris.json');
const DIGITS = fixture<{ cases: SkCase[] }>('logistic_digits.json');

function params(p: SkCase['params']): Partial<LogisticRegressionParams> {
  const out: Partial<LogisticRegressionParams> = {};
  if (p.C !== undefined) out.C = p.C;
  if (p.max_iter !== undefined) out.maxIter = p.max_iter;
  if (p.tol !== undefined) out.tol = p.tol;
  if (p.multi_class !== undefined) out.multiClass = p.multi_class;
  if (p.penalty !== undefined) out.penalty = p.penalty;
  if (p.fit_intercept !== undefined) out.fitIntercept = p.fit_intercept;
  return out;
}

function columns(X: Matrix, cols: number[]): Matrix<Float64Array> {
  return fromRows(Array.from({ length: X.rows }, (_, i) => cols.map((j) => X.data[i * X.cols + j])));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const maxAbs = (a: number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Compares a fit with scikit-learn's. `coef` bounds max|Δcoef| and max|Δintercept| relative to
 * max|coef| (and 10·`coef` the decision values relative to their largest); `proba` bounds max|Δp|;
 * `exactIter` asks for the same iteration counts.
 */
function expectLikeSklearn(lr: LogisticRegression, c: SkCase, Xeval: Matrix, tol: { coef: number; proba: number; exactIter: boolean }): void {
  expect(Array.from(lr.classes_)).toEqual(c.classes);
  const coef = c.coef.flat();
  expect([lr.coef_.rows, lr.coef_.cols]).toEqual([c.coef.length, c.coef[0].length]);
  const scale = Math.max(maxAbs(coef), 1e-3);
  expect(maxAbsDiff(lr.coef_.data, coef)).toBeLessThanOrEqual(tol.coef * scale);
  expect(maxAbsDiff(lr.intercept_, c.intercept)).toBeLessThanOrEqual(tol.coef * scale);
  const decision = c.decision_function.flat();
  expect(maxAbsDiff(lr.decisionFunction(Xeval).data, decision)).toBeLessThanOrEqual(10 * tol.coef * maxAbs(decision));
  expect(maxAbsDiff(lr.predictProba(Xeval).data, c.predict_proba.flat())).toBeLessThanOrEqual(tol.proba);
  expect(Array.from(lr.predict(Xeval))).toEqual(c.predict);
  if (tol.exactIter) {
    expect(Array.from(lr.nIter_)).toEqual(c.n_iter);
  } else {
    for (let k = 0; k < c.n_iter.length; k++) expect(Math.abs(lr.nIter_[k] - c.n_iter[k])).toBeLessThanOrEqual(Math.ceil(0.1 * c.n_iter[k]));
  }
}

const iris = dataset('iris.csv');
const irisX = iris.X;
const irisY = iris.y!;
const irisEval = takeRows(irisX, Array.from({ length: 50 }, (_, i) => 3 * i));
const irisCase = (name: string) => {
  const c = IRIS.cases.find((k) => k.name === name);
  if (!c) throw new Error(`no fixture case '${name}'`);
  return c;
};

describe('LogisticRegression against scikit-learn 1.2 on iris', () => {
  // These fits follow scipy's iterates to the last bits (measured: coef within 1e-14..1e-12 of
  // max|coef|, probabilities within 1e-14): same loss, same L-BFGS-B steps, same stopping.
  const samePath: Array<[string, Matrix, ArrayLike<number>, Matrix]> = [
    ['ovr', irisX, irisY, irisEval],
    ['ovr tight', irisX, irisY, irisEval],
    ['ovr C=10 tight', irisX, irisY, irisEval],
    ['binary y==2', irisX, irisY.map((v) => +(v === 2)), irisEval],
    ['binary y==2 multinomial', irisX, irisY.map((v) => +(v === 2)), irisEval],
    ['binary y==1 sepal features, no penalty', columns(irisX, [0, 1]), irisY.map((v) => +(v === 1)), columns(irisEval, [0, 1])],
    ['multinomial C=0.1 without intercept', irisX, irisY, irisEval],
  ];
  for (const [name, X, y, E] of samePath) {
    it(`reproduces '${name}' to 1e-9 with the same iteration counts`, () => {
      const c = irisCase(name);
      expectLikeSklearn(new LogisticRegression(params(c.params)).fit(X, y), c, E, { coef: 1e-9, proba: 1e-9, exactIter: true });
    });
  }

  it('reproduces the unscaled multinomial fit to the accuracy its stopping rule allows', () => {
    // Stopped by the relative-reduction test after ~120 iterations; with the unpenalized
    // intercepts' flat direction, rounding differences of 1e-16 in the first iterates grow to
    // 1e-6 in f by iteration 70, so both runs stop at slightly different points of the same
    // valley. Measured: coef within 9e-5·max|coef|, probabilities within 3.4e-5, 124 vs 121 iterations.
    const c = irisCase('multinomial');
    expectLikeSklearn(new LogisticRegression(params(c.params)).fit(irisX, irisY), c, irisEval, { coef: 1e-3, proba: 1e-4, exactIter: false });
  });

  it('stops at the default maxIter of 100 on unscaled iris, as scikit-learn does, with the same predictions', () => {
    const c = irisCase('multinomial default (stops at max_iter=100)');
    const lr = new LogisticRegression().fit(irisX, irisY);
    expect(lr.converged_).toBe(false);
    // Not converged: the two paths differ by their accumulated rounding (measured max|Δp| 1.3e-3).
    expectLikeSklearn(lr, c, irisEval, { coef: 2e-2, proba: 5e-3, exactIter: true });
  });

  it('computes the objective and gradient of LinearModelLoss.loss_gradient (rel 1e-12)', () => {
    for (const l of IRIS.loss) {
      const params = Float64Array.from(l.coef);
      const grad = new Float64Array(params.length);
      const f =
        l.n_classes === 2
          ? binaryLossGradient(irisX, irisY.map((v) => +(v === 2)), params, l.l2_reg_strength, l.fit_intercept, grad)
          : multinomialLossGradient(irisX, irisY, l.n_classes, params, l.l2_reg_strength, l.fit_intercept, grad);
      expect(Math.abs(f - l.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(l.loss));
      expect(maxAbsDiff(grad, l.grad)).toBeLessThanOrEqual(1e-12 * maxAbs(l.grad));
    }
  });
});

describe('LogisticRegression against scikit-learn 1.2 on digits', () => {
  const digits = dataset('digits.csv');
  const split = JSON.parse(readFileSync(resolve(REFERENCE, 'datasets/digits_split.json'), 'utf8')) as { train_idx: number[]; test_idx: number[] };
  const Xtr = takeRows(digits.X, split.train_idx);
  const ytr = Int32Array.from(split.train_idx, (i) => digits.y![i]);
  const Xte = takeRows(digits.X, split.test_idx);
  const yte = Int32Array.from(split.test_idx, (i) => digits.y![i]);
  const Xte40 = takeRows(Xte, Array.from({ length: 40 }, (_, i) => i));

  it('matches the default multinomial fit (100 iterations, 1347×64, 10 classes)', () => {
    // Measured: coef within 2.5e-7·max|coef|, probabilities within 2.1e-6, all 450 test predictions equal.
    const c = DIGITS.cases.find((k) => k.name.startsWith('multinomial default'))!;
    const lr = new LogisticRegression(params(c.params)).fit(Xtr, ytr);
    expectLikeSklearn(lr, c, Xte40, { coef: 1e-5, proba: 1e-5, exactIter: true });
    expect(Array.from(lr.predict(Xte))).toEqual(c.test_predict);
    expect(lr.score(Xte, yte)).toBe(c.test_score);
  });
});

describe('LogisticRegression', () => {
  const randomProblem = fc.record({
    n: fc.integer({ min: 2, max: 30 }),
    d: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 2, max: 4 }),
    values: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 150, maxLength: 150 }),
    multiClass: fc.constantFrom<'auto' | 'ovr' | 'multinomial'>('auto', 'ovr', 'multinomial'),
    C: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
  });

  it('predicts probabilities in [0, 1] whose rows sum to 1, and classes that maximize them', () => {
    fc.assert(
      fc.property(randomProblem, ({ n, d, k, values, multiClass, C }) => {
        const X = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, i) => values[i % values.length]) };
        // Every class present at least once.
        const y = Int32Array.from({ length: n }, (_, i) => (i < k ? i : Math.abs(Math.round(values[(i * 7) % values.length])) % k));
        if (new Set(y).size < 2) return;
        const lr = new LogisticRegression({ multiClass, C, maxIter: 30 }).fit(X, y);
        const P = lr.predictProba(X);
        const pred = lr.predict(X);
        const K = lr.classes_.length;
        expect(P.cols).toBe(K);
        for (let i = 0; i < n; i++) {
          let sum = 0, best = 0;
          for (let c = 0; c < K; c++) {
            const p = P.data[i * K + c];
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
            sum += p;
            if (p > P.data[i * K + best]) best = c;
          }
          expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
          // Ties in probability may round either way; compare by probability, not index.
          expect(P.data[i * K + lr.classes_.indexOf(pred[i])]).toBeCloseTo(P.data[i * K + best], 12);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('fits float32 data like the same values in float64', () => {
    const X32 = { rows: irisX.rows, cols: irisX.cols, data: Float32Array.from(irisX.data) };
    const a = new LogisticRegression().fit(X32, irisY);
    const b = new LogisticRegression().fit(toFloat64(X32), irisY);
    expect(Array.from(a.coef_.data)).toEqual(Array.from(b.coef_.data));
    expect(Array.from(a.predictProba(X32).data)).toEqual(Array.from(b.predictProba(toFloat64(X32)).data));
  });

  it('keeps arbitrary integer labels as classes, sorted', () => {
    const X = fromRows([[0], [1], [2], [3], [10], [11], [12], [13], [20], [21]]);
    const y = [7, 7, 7, 7, -3, -3, -3, -3, 42, 42];
    const lr = new LogisticRegression({ C: 100 }).fit(X, y);
    expect(Array.from(lr.classes_)).toEqual([-3, 7, 42]);
    expect(Array.from(lr.predict(fromRows([[1.5], [11.5], [20.5]])))).toEqual([7, -3, 42]);
    expect(lr.score(X, y)).toBe(1);
  });

  it('reports progress from the optimizer, ending at 1', () => {
    const seen: number[] = [];
    new LogisticRegression({ multiClass: 'ovr' }).fit(irisX, irisY, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('refuses a single class, unlabeled data, non-integer labels and a wrong feature count', () => {
    const X = fromRows([[0], [1], [2]]);
    expect(() => new LogisticRegression().fit(X, [1, 1, 1])).toThrow(DataError);
    expect(() => new LogisticRegression().fit(X)).toThrow(DataError);
    expect(() => new LogisticRegression().fit(X, [0, 1])).toThrow(DataError);
    expect(() => new LogisticRegression().fit(X, [0, 0.5, 1])).toThrow(DataError);
    const lr = new LogisticRegression().fit(X, [0, 1, 1]);
    expect(() => lr.predict(fromRows([[0, 1]]))).toThrow(DataError);
    expect(() => new LogisticRegression().predict(X)).toThrow(NotFittedError);
  });
});

describeConformance('LogisticRegression', {
  make: () => new LogisticRegression({ multiClass: 'ovr', maxIter: 200 }),
  X: irisX,
  y: irisY,
  fingerprint: (e) => ({ coef: Array.from(e.coef_.data), intercept: Array.from(e.intercept_), classes: Array.from(e.classes_), nIter: Array.from(e.nIter_) }),
  fromJSON: (j) => LogisticRegression.fromJSON(j),
  badParams: [
    () => new LogisticRegression({ C: 0 }),
    () => new LogisticRegression({ C: -1 }),
    () => new LogisticRegression({ penalty: 'l1' as never }),
    () => new LogisticRegression({ multiClass: 'crammer' as never }),
    () => new LogisticRegression({ maxIter: 0 }),
    () => new LogisticRegression({ maxIter: 2.5 }),
    () => new LogisticRegression({ tol: -1 }),
    () => new LogisticRegression({ fitIntercept: 'yes' as never }),
    () => new LogisticRegression({ solver: 'saga' as never }),
  ],
});
