/**
 * Step-for-step parity with scikit-learn 1.2.1: EM and variational runs started from the same
 * fixed responsibilities must reach the same parameters, lower bound and densities.
 * The numbers come from `fixtures/make_sklearn_trajectories.py` (scikit-learn itself), and the
 * algorithm is the same, so the tolerance is the reference README's deterministic one, rel 1e-9.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture } from '../../../../../src/core/cluster/mixture';
import { matrix, type Matrix } from '../../../../../src/core/math/matrix';
import { benchMatrix, dataset, expectClose } from '../../reference';

interface TrajectoryCase {
  estimator: 'GaussianMixture' | 'BayesianGaussianMixture';
  data: 'gm3' | 'faces';
  params: Record<string, unknown>;
  n_iter: number;
  lower_bound: number;
  weights: number[];
  means?: number[][];
  covariances?: number[];
  precisions_cholesky?: number[];
  score_samples: number[];
  predict_proba: number[][];
  degrees_of_freedom?: number[];
  mean_precision?: number[];
}

const fixture = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/sklearn_trajectories.json'), 'utf8')) as {
  cases: TrajectoryCase[];
};
const DATA: Record<string, Matrix> = {
  gm3: dataset('gm3.csv').X,
  faces: benchMatrix('faces280x199_f64.bin', 280, 199),
};

/** One-hot starting responsibilities: sample i in component (i · 7) mod k, as the fixture. */
function fixedStart(n: number, k: number): Matrix {
  const r = new Float64Array(n * k);
  for (let i = 0; i < n; i++) r[i * k + ((i * 7) % k)] = 1;
  return matrix(n, k, r);
}

function closeAll(actual: ArrayLike<number>, wanted: number[], rel = 1e-9, abs = 1e-12): void {
  expect(actual.length).toBe(wanted.length);
  for (let i = 0; i < wanted.length; i++) expectClose(actual[i], wanted[i], rel, abs);
}

function name(c: TrajectoryCase): string {
  const p = c.params;
  const extras = Object.keys(p).filter((key) => !['nComponents', 'covarianceType', 'maxIter', 'tol', 'weightConcentrationPriorType'].includes(key));
  return `${c.estimator} ${c.data} ${p.covarianceType}${p.weightConcentrationPriorType ? ` ${p.weightConcentrationPriorType}` : ''}, ${p.maxIter} iteration(s)${extras.length ? ` with ${extras.join(', ')}` : ''}`;
}

describe('mixtures started from the same responsibilities as scikit-learn', () => {
  for (const c of fixture.cases) {
    it(`${name(c)} matches scikit-learn's trajectory`, () => {
      const X = DATA[c.data];
      const k = c.params.nComponents as number;
      const model =
        c.estimator === 'GaussianMixture' ? new GaussianMixture(c.params) : new BayesianGaussianMixture(c.params);
      model.fit(X, null, { initialResponsibilities: fixedStart(X.rows, k) });
      const rows = matrix(c.score_samples.length, X.cols, X.data.slice(0, c.score_samples.length * X.cols) as Float64Array);
      expect(model.nIter_).toBe(c.n_iter);
      expectClose(model.lowerBound_, c.lower_bound);
      closeAll(model.weights_, c.weights);
      if (c.means) closeAll(model.means_.data, c.means.flat());
      if (c.covariances) closeAll(model.covariances_, c.covariances);
      if (c.precisions_cholesky) closeAll(model.precisionsCholesky_, c.precisions_cholesky);
      closeAll(model.scoreSamples(rows), c.score_samples);
      closeAll(model.predictProba(rows).data, c.predict_proba.flat());
      if (model instanceof BayesianGaussianMixture) {
        closeAll(model.meanPrecision_, c.mean_precision!);
        const dof = c.params.covarianceType === 'tied' ? model.degreesOfFreedom_.subarray(0, 1) : model.degreesOfFreedom_;
        closeAll(dof, c.degrees_of_freedom!);
      }
    });
  }
});
