/**
 * GaussianMixture against scikit-learn 1.2.1 on the chapter's gm3 data
 * (`shared/reference/expected/gmm_gm3.json`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianMixture, type CovarianceType } from '../../../../../src/core/cluster/mixture';
import { DataError, NotFittedError, ParameterError } from '../../../../../src/core/errors';
import { fromRows, matrix, takeRows, type Matrix } from '../../../../../src/core/math/matrix';
import { describeConformance } from '../../conformance';
import { dataset, expectClose, expected } from '../../reference';

const { X } = dataset('gm3.csv');
const ref = expected('gmm_gm3.json');
const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const first10 = takeRows(X, Array.from({ length: 10 }, (_, i) => i));

/** The reference's fitted model, components in its canonical order. */
function referenceModel(type: CovarianceType): GaussianMixture {
  const r = ref[type];
  return GaussianMixture.fromParameters({
    covarianceType: type,
    weights: r.weights_canonical,
    means: r.means_canonical,
    covariances: r.covariances_canonical,
  });
}

/** numpy.percentile's default (linear interpolation between order statistics). */
function percentile(values: Float64Array, p: number): number {
  const s = Float64Array.from(values).sort();
  const h = ((s.length - 1) * p) / 100;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** The chapter's anomaly rule: densities below the p-th percentile. */
function anomalies(gm: GaussianMixture, p: number): { threshold: number; indices: number[] } {
  const densities = gm.scoreSamples(X);
  const threshold = percentile(densities, p);
  const indices: number[] = [];
  densities.forEach((v, i) => {
    if (v < threshold) indices.push(i);
  });
  return { threshold, indices };
}

function symmetricDifference(a: number[], b: number[]): number {
  const sa = new Set(a), sb = new Set(b);
  return a.filter((i) => !sb.has(i)).length + b.filter((i) => !sa.has(i)).length;
}

/** Component order sorted by mean (x, then y): the reference's canonical order. */
function canonicalOrder(gm: GaussianMixture): number[] {
  const m = gm.means_.data, d = gm.means_.cols;
  return Array.from({ length: gm.means_.rows }, (_, c) => c).sort((a, b) => m[a * d] - m[b * d] || m[a * d + 1] - m[b * d + 1]);
}

describe('GaussianMixture given scikit-learn fitted parameters', () => {
  for (const type of TYPES) {
    it(`reproduces score_samples, predict_proba and predict of the ${type} reference (rel 1e-9)`, () => {
      const gm = referenceModel(type);
      const r = ref[type];
      const ss = gm.scoreSamples(first10);
      r.score_samples_first10.forEach((v: number, i: number) => expectClose(ss[i], v));
      const proba = gm.predictProba(first10);
      r.predict_proba_first10_canonical.flat().forEach((v: number, i: number) => expectClose(proba.data[i], v, 1e-9, 1e-15));
      expect(Array.from(gm.predict(first10))).toEqual(r.predict_first10_canonical);
    });

    it(`reproduces the ${type} reference's score, BIC, AIC and number of parameters`, () => {
      const gm = referenceModel(type);
      const r = ref[type];
      expectClose(gm.score(X), r.score);
      expectClose(gm.bic(X), r.bic);
      expectClose(gm.aic(X), r.aic);
      expect(gm.nParameters()).toBe(r.n_parameters);
    });
  }

  it('finds the reference anomaly indices from the reference model at both thresholds', () => {
    for (const type of TYPES) {
      const gm = referenceModel(type);
      for (const p of [4, 2]) {
        const a = anomalies(gm, p);
        expectClose(a.threshold, ref[type][`density_threshold_pct${p}`]);
        expect(a.indices).toEqual(ref[type][`anomaly_indices_pct${p}`]);
      }
    }
  });

  it('keeps the density normalised: its integral over a fine grid is 1 (the chapter checks this too)', () => {
    const gm = referenceModel('full');
    const step = 0.05, lo = -10, count = 400;
    const grid = new Float64Array(count * count * 2);
    for (let a = 0; a < count; a++) {
      for (let b = 0; b < count; b++) {
        grid[(a * count + b) * 2] = lo + a * step;
        grid[(a * count + b) * 2 + 1] = lo + b * step;
      }
    }
    const logPdf = gm.scoreSamples(matrix(count * count, 2, grid));
    let mass = 0;
    for (const v of logPdf) mass += Math.exp(v) * step * step;
    expect(mass).toBeCloseTo(1, 4);
  });
});

describe('GaussianMixture(3, nInit=10, randomState=42) fitted on gm3', () => {
  // The reference README's seeded bound: mean log-likelihood ≥ best known − 1e-3 per sample.
  // Means and weights: EM stops once the bound gains < tol, on a flat optimum, so parameters are
  // only settled to a few 1e-3; the reference's own n_init=10 fit is 0.012 (means) and 0.006
  // (weights) from its best-of-50 fit for 'spherical'. We allow 0.02 and 0.01.
  // Anomalies: the reference gives the index lists but no tolerance; we allow the sets to differ
  // by at most 2 indices (4 % of the 50 at 4 %, 8 % of the 25 at 2 %) and the thresholds by
  // 0.01 in log-density. All of full/tied/spherical/diag(30 runs) currently match exactly.
  const cases: Array<[CovarianceType, number]> = [
    ['full', 10],
    ['tied', 10],
    ['spherical', 10],
    // 'diag' has an EM stopping plateau at a mean log-likelihood of −3.5588 (scikit-learn's single
    // runs stop there from seeds 1 and 27); with our generator all 10 runs of seed 42 end at or
    // below it (see the next test), while 30 runs reach the best known optimum.
    ['diag', 30],
  ];
  for (const [type, nInit] of cases) {
    it(`${type}${nInit !== 10 ? ` (nInit=${nInit})` : ''}: converges to within 1e-3 of the best known mean log-likelihood`, () => {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType: type, nInit, randomState: 42 }).fit(X);
      const best = ref[type].seed_independent_best_n_init50;
      expect(gm.converged_).toBe(true);
      expect(gm.score(X)).toBeGreaterThanOrEqual(best.score - 1e-3);
      const order = canonicalOrder(gm);
      order.forEach((c, rank) => {
        expect(Math.abs(gm.means_.data[c * 2] - best.means_canonical[rank][0])).toBeLessThan(0.02);
        expect(Math.abs(gm.means_.data[c * 2 + 1] - best.means_canonical[rank][1])).toBeLessThan(0.02);
        expect(Math.abs(gm.weights_[c] - best.weights_canonical[rank])).toBeLessThan(0.01);
      });
      for (const p of [4, 2]) {
        const a = anomalies(gm, p);
        expect(Math.abs(a.threshold - ref[type][`density_threshold_pct${p}`])).toBeLessThan(0.01);
        expect(symmetricDifference(a.indices, ref[type][`anomaly_indices_pct${p}`])).toBeLessThanOrEqual(2);
      }
    });
  }

  it("diag with 10 runs stops on the −3.5588 plateau, 2e-3 under the best, still a converged EM fit", () => {
    const gm = new GaussianMixture({ nComponents: 3, covarianceType: 'diag', nInit: 10, randomState: 42 }).fit(X);
    const best = ref.diag.seed_independent_best_n_init50.score;
    expect(gm.converged_).toBe(true);
    expect(gm.score(X)).toBeGreaterThanOrEqual(best - 2.5e-3);
    // Restarted from there with a much tighter tol, EM climbs past the best tol = 1e-3 optimum:
    // the plateau is a stopping point of the tolerance, not a fixed point.
    const toRows = (a: Float64Array, cols: number): number[][] =>
      Array.from({ length: a.length / cols }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));
    const total = gm.weights_.reduce((s, w) => s + w, 0);
    const tight = new GaussianMixture({
      nComponents: 3,
      covarianceType: 'diag',
      tol: 1e-7,
      maxIter: 1000,
      weightsInit: Array.from(gm.weights_, (w) => w / total),
      meansInit: toRows(gm.means_.data, 2),
      precisionsInit: toRows(gm.precisions_, 2),
      randomState: 0,
    }).fit(X);
    expect(tight.score(X)).toBeGreaterThan(best);
  });

  it('reports lowerBound_ as the last E-step mean log-likelihood, just under score(X)', () => {
    const gm = new GaussianMixture({ nComponents: 3, nInit: 10, randomState: 42 }).fit(X);
    // The lower bound is computed before the last M-step, which can only raise the likelihood.
    expect(gm.lowerBound_).toBeLessThanOrEqual(gm.score(X));
    expect(gm.score(X) - gm.lowerBound_).toBeLessThan(1e-3);
    expect(gm.nIter_).toBeGreaterThan(1);
    expect(gm.nIter_).toBeLessThanOrEqual(100);
  });

  it('labels the three blobs like the ground truth (the reference ARI is 0.96)', () => {
    const gm = new GaussianMixture({ nComponents: 3, nInit: 10, randomState: 42 }).fit(X);
    const truth = dataset('gm3.csv').y!;
    const labels = gm.predict(X);
    // Map every component to its majority true label: the mapping must be a bijection with
    // 97 % agreement (the ARI 0.96 of the reference corresponds to ~98.6 % here).
    const votes = Array.from({ length: 3 }, () => [0, 0, 0]);
    labels.forEach((l, i) => votes[l][truth[i]]++);
    const mapping = votes.map((v) => v.indexOf(Math.max(...v)));
    expect(new Set(mapping).size).toBe(3);
    const agree = labels.reduce((s, l, i) => s + (mapping[l] === truth[i] ? 1 : 0), 0);
    expect(agree / X.rows).toBeGreaterThan(0.97);
  });
});

describe('GaussianMixture.sample', () => {
  it('draws (n, nFeatures) samples grouped by component, with ids in 0..k−1', () => {
    const gm = referenceModel('full');
    const { X: S, y } = gm.sample(6);
    expect([S.rows, S.cols]).toEqual([6, 2]);
    expect(y.length).toBe(6);
    for (let i = 1; i < 6; i++) expect(y[i]).toBeGreaterThanOrEqual(y[i - 1]);
    for (const c of y) expect(c >= 0 && c < 3).toBe(true);
  });

  for (const type of TYPES) {
    it(`follows the ${type} model: counts ∝ weights, per-component mean and covariance`, () => {
      const gm = referenceModel(type);
      const n = 40_000;
      const { X: S, y } = gm.sample(n, 7);
      for (let c = 0; c < 3; c++) {
        const rows: number[] = [];
        y.forEach((l, i) => {
          if (l === c) rows.push(i);
        });
        // Binomial count: 5 standard deviations.
        const w = gm.weights_[c];
        expect(Math.abs(rows.length - n * w)).toBeLessThan(5 * Math.sqrt(n * w * (1 - w)));
        const part = takeRows(S, rows);
        const cov = gm.covarianceMatrix(c).data;
        for (let j = 0; j < 2; j++) {
          let mean = 0;
          for (let i = 0; i < part.rows; i++) mean += part.data[i * 2 + j];
          mean /= part.rows;
          // Standard error √(σ²/m), 5 of them.
          expect(Math.abs(mean - gm.means_.data[c * 2 + j])).toBeLessThan(5 * Math.sqrt(cov[j * 3] / part.rows));
        }
        let cxy = 0;
        const mx = gm.means_.data[c * 2], my = gm.means_.data[c * 2 + 1];
        for (let i = 0; i < part.rows; i++) cxy += (part.data[i * 2] - mx) * (part.data[i * 2 + 1] - my);
        expect(cxy / part.rows).toBeCloseTo(cov[1], 1);
      }
    });
  }

  it('repeats for the same random state (scikit-learn restarts from random_state) and changes with another', () => {
    const gm = GaussianMixture.fromParameters(
      { covarianceType: 'diag', weights: [0.5, 0.5], means: [[0, 0], [5, 5]], covariances: [[1, 2], [0.5, 0.5]] },
      { randomState: 3 },
    );
    expect(gm.sample(20)).toEqual(gm.sample(20));
    expect(gm.sample(20, 4).X.data).not.toEqual(gm.sample(20).X.data);
    expect(() => gm.sample(0)).toThrow(ParameterError);
  });
});

describe('GaussianMixture numerical properties', () => {
  /** Random small data sets with duplicated rows. */
  const dataWithDuplicates = fc
    .record({
      distinct: fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), {
        minLength: 3,
        maxLength: 12,
      }),
      copies: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 3 }),
      type: fc.constantFrom<CovarianceType>('full', 'tied', 'diag', 'spherical'),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .map(({ distinct, copies, k, type, seed }) => {
      const rows: number[][] = [];
      for (let c = 0; c < copies; c++) for (const [a, b] of distinct) rows.push([a, b]);
      return { X: fromRows(rows), k: Math.min(k, rows.length), type, seed };
    });

  it('gives predictProba rows that sum to 1 and finite scoreSamples, with duplicated points', () => {
    fc.assert(
      fc.property(dataWithDuplicates, ({ X: D, k, type, seed }) => {
        const gm = new GaussianMixture({ nComponents: k, covarianceType: type, randomState: seed, initParams: 'random_from_data' }).fit(D);
        const proba = gm.predictProba(D);
        for (let i = 0; i < D.rows; i++) {
          let s = 0;
          for (let c = 0; c < k; c++) {
            const p = proba.data[i * k + c];
            expect(p >= 0 && p <= 1).toBe(true);
            s += p;
          }
          expect(Math.abs(s - 1)).toBeLessThan(1e-12);
        }
        for (const v of gm.scoreSamples(D)) expect(Number.isFinite(v)).toBe(true);
        const labels = gm.predict(D);
        for (let i = 0; i < D.rows; i++) {
          let arg = 0;
          for (let c = 1; c < k; c++) if (proba.data[i * k + c] > proba.data[i * k + arg]) arg = c;
          expect(labels[i]).toBe(arg);
        }
      }),
      { numRuns: 60, seed: 20240601 },
    );
  });

  it('stays finite when every point is the same (regCovar keeps the covariance positive definite)', () => {
    const same = fromRows(Array.from({ length: 20 }, () => [1.5, -2]));
    for (const type of TYPES) {
      const gm = new GaussianMixture({ nComponents: 2, covarianceType: type, randomState: 0 }).fit(same);
      for (const v of gm.scoreSamples(same)) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('fits k = n components, one per point', () => {
    const pts = fromRows([[0, 0], [3, 1], [-2, 4], [5, 5]]);
    const gm = new GaussianMixture({ nComponents: 4, randomState: 1 }).fit(pts);
    expect(new Set(gm.predict(pts)).size).toBe(4);
    for (const v of gm.scoreSamples(pts)) expect(Number.isFinite(v)).toBe(true);
  });

  it("fails like scikit-learn when a covariance is singular and regCovar is 0", () => {
    const same = fromRows(Array.from({ length: 10 }, () => [1, 1]));
    expect(() => new GaussianMixture({ nComponents: 1, regCovar: 0 }).fit(same)).toThrow(
      /ill-defined empirical covariance.*decrease the number of components, or increase regCovar/,
    );
    expect(() => new GaussianMixture({ nComponents: 1, regCovar: 0 }).fit(same)).toThrow(DataError);
  });

  it('keeps precisions_ the inverse of covariances_ for every covariance type', () => {
    for (const type of TYPES) {
      const gm = referenceModel(type);
      const d = 2;
      for (let c = 0; c < 3; c++) {
        const cov = gm.covarianceMatrix(c).data;
        const prec = new Float64Array(4);
        if (type === 'full') prec.set(gm.precisions_.subarray(c * 4, c * 4 + 4));
        else if (type === 'tied') prec.set(gm.precisions_);
        else if (type === 'diag') [prec[0], prec[3]] = [gm.precisions_[c * 2], gm.precisions_[c * 2 + 1]];
        else prec[0] = prec[3] = gm.precisions_[c];
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            let s = 0;
            for (let p = 0; p < d; p++) s += cov[a * d + p] * prec[p * d + b];
            expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
          }
        }
      }
    }
  });

  it('reads float32 storage exactly: the same values in float32 and float64 give the same fit', () => {
    const x32 = Float32Array.from(X.data);
    const X32: Matrix = matrix(X.rows, 2, x32);
    const X64 = matrix(X.rows, 2, Float64Array.from(x32));
    const a = new GaussianMixture({ nComponents: 3, randomState: 5 }).fit(X32);
    const b = new GaussianMixture({ nComponents: 3, randomState: 5 }).fit(X64);
    expect(a.means_.data).toEqual(b.means_.data);
    expect(a.scoreSamples(X32)).toEqual(b.scoreSamples(X64));
  });
});

describe('GaussianMixture options', () => {
  it('reaches the three-blob optimum from the kmeans, k-means++ and random_from_data initialisations', () => {
    for (const initParams of ['kmeans', 'k-means++', 'random_from_data'] as const) {
      const gm = new GaussianMixture({ nComponents: 3, nInit: 10, initParams, randomState: 42 }).fit(X);
      // The two main local optima on gm3 are −3.2274 (three blobs) and −3.5575 (two merged);
      // a single kmeans-initialised run finds the first about half of the time, in
      // scikit-learn (9 of seeds 0..19) as here.
      expect(gm.score(X)).toBeGreaterThan(ref.full.seed_independent_best_n_init50.score - 1e-3);
    }
  });

  it("stalls near the one-Gaussian fit from 'random' responsibilities, as scikit-learn does on gm3", () => {
    // Uniform random responsibilities start every component at the global mean; the lower bound
    // then creeps up by less than tol per step (scikit-learn: −3.715 from 7 of seeds 0..7).
    const single = ref.bic_aic_k1_10_full_n_init10_random_state42[0].score;
    const gm = new GaussianMixture({ nComponents: 3, nInit: 5, initParams: 'random', randomState: 42 }).fit(X);
    expect(gm.converged_).toBe(true);
    expect(gm.score(X)).toBeGreaterThan(single);
    expect(gm.score(X)).toBeLessThan(single + 0.01);
  });

  it('reports progress as increasing fractions ending at 1', () => {
    const seen: number[] = [];
    new GaussianMixture({ nComponents: 3, nInit: 3, randomState: 1 }).fit(X, null, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('keeps the initial parameters with maxIter = 0 (weightsInit, meansInit, precisionsInit)', () => {
    const gm = new GaussianMixture({
      nComponents: 2,
      covarianceType: 'diag',
      maxIter: 0,
      weightsInit: [0.25, 0.75],
      meansInit: [[0, 0], [1, 2]],
      precisionsInit: [[1, 4], [0.5, 2]],
    }).fit(X);
    expect(Array.from(gm.weights_)).toEqual([0.25, 0.75]);
    expect(Array.from(gm.means_.data)).toEqual([0, 0, 1, 2]);
    [1, 4, 0.5, 2].forEach((p, i) => expectClose(gm.precisions_[i], p, 1e-15));
    expect(Array.from(gm.covariances_)).toEqual([1, 0.25, 2, 0.5]);
    expect(gm.converged_).toBe(false);
    expect(gm.nIter_).toBe(0);
  });

  it('rejects inconsistent initial parameters with a ParameterError naming them', () => {
    const bad: Array<[Partial<ConstructorParameters<typeof GaussianMixture>[0]>, RegExp]> = [
      [{ nComponents: 2, weightsInit: [0.5, 0.6] }, /weightsInit must sum to 1/],
      [{ nComponents: 2, weightsInit: [1.5, -0.5] }, /weightsInit must lie in \[0, 1\]/],
      [{ nComponents: 2, meansInit: [[0, 0]] }, /meansInit must be finite numbers of shape \(2, 2\)/],
      [{ nComponents: 1, precisionsInit: [[[1, 2], [2, 1]]] }, /precisionsInit \('full'\) must be symmetric, positive-definite/],
      [{ nComponents: 1, covarianceType: 'spherical', precisionsInit: [-1] }, /precisionsInit \('spherical'\) must be positive/],
    ];
    for (const [params, message] of bad) {
      expect(() => new GaussianMixture(params!).fit(X)).toThrow(ParameterError);
      expect(() => new GaussianMixture(params!).fit(X)).toThrow(message);
    }
  });

  it('needs at least nComponents samples, a fit before predicting, and the fitted number of features', () => {
    expect(() => new GaussianMixture({ nComponents: 5 }).fit(fromRows([[0, 0], [1, 1], [2, 2]]))).toThrow(
      /nSamples >= nComponents but got nComponents = 5, nSamples = 3/,
    );
    expect(() => new GaussianMixture().predict(X)).toThrow(NotFittedError);
    expect(() => new GaussianMixture().sample(3)).toThrow(NotFittedError);
    expect(() => referenceModel('full').predict(fromRows([[1, 2, 3]]))).toThrow(DataError);
  });
});

describeConformance('GaussianMixture', {
  make: () => new GaussianMixture({ nComponents: 3, covarianceType: 'full', nInit: 2, randomState: 42 }),
  X,
  fingerprint: (g) => ({
    weights: Array.from(g.weights_),
    means: Array.from(g.means_.data),
    covariances: Array.from(g.covariances_),
    density: Array.from(g.scoreSamples(first10)),
    nIter: g.nIter_,
    lowerBound: g.lowerBound_,
  }),
  fromJSON: (j) => GaussianMixture.fromJSON(j),
  badParams: [
    () => new GaussianMixture({ nComponents: 0 }),
    () => new GaussianMixture({ nComponents: 2.5 }),
    () => new GaussianMixture({ covarianceType: 'banana' as CovarianceType }),
    () => new GaussianMixture({ tol: -1 }),
    () => new GaussianMixture({ regCovar: -1e-6 }),
    () => new GaussianMixture({ maxIter: -1 }),
    () => new GaussianMixture({ nInit: 0 }),
    () => new GaussianMixture({ initParams: 'kmeans||' as 'kmeans' }),
    () => new GaussianMixture({ randomState: -3 }),
  ],
});
