/**
 * The density detector against the chapter's anomaly detection on gm3 (scikit-learn 1.2.1,
 * `shared/reference/expected/gmm_gm3.json`): deterministic given the reference's fitted mixture
 * (threshold rel 1e-9, the same flagged indices), and seeded otherwise (the best-known score
 * within 1e-3 per sample and at most 2 flagged points different, the README's seeded tolerances).
 */
import { describe, expect, it } from 'vitest';
import { GaussianMixture, type CovarianceType } from '../../../../src/core/cluster/mixture';
import { DensityDetector, flaggedAbove, thresholdForShare } from '../../../../src/core/anomalies';
import { ParameterError } from '../../../../src/core/errors';
import { fromRows, takeRows } from '../../../../src/core/math/matrix';
import { describeConformance } from '../conformance';
import { dataset, expectClose, expected } from '../reference';

const { X } = dataset('gm3.csv');
const ref = expected('gmm_gm3.json');
const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

function referenceModel(type: CovarianceType): GaussianMixture {
  const r = ref[type];
  return GaussianMixture.fromParameters({ covarianceType: type, weights: r.weights_canonical, means: r.means_canonical, covariances: r.covariances_canonical });
}

const ascending = (a: ArrayLike<number>): number[] => Array.from(a).sort((x, y) => x - y);

function symmetricDifference(a: number[], b: number[]): number {
  const sa = new Set(a), sb = new Set(b);
  return a.filter((i) => !sb.has(i)).length + b.filter((i) => !sa.has(i)).length;
}

describe('density threshold of the reference mixture', () => {
  for (const type of TYPES) {
    it(`flags exactly the reference's 4 % and 2 % anomalies (${type})`, () => {
      const scores = referenceModel(type).scoreSamples(X).map((v) => -v);
      for (const p of [4, 2]) {
        const threshold = thresholdForShare(scores, p);
        // The score threshold is minus the chapter's density threshold.
        expectClose(-threshold, ref[type][`density_threshold_pct${p}`], 1e-9);
        const flagged = flaggedAbove(scores, threshold);
        expect(ascending(flagged)).toEqual(ref[type][`anomaly_indices_pct${p}`]);
      }
    });
  }

  it('ranks the flagged points from the lowest density up', () => {
    const scores = referenceModel('full').scoreSamples(X).map((v) => -v);
    const flagged = flaggedAbove(scores, thresholdForShare(scores, 4));
    for (let r = 1; r < flagged.length; r++) expect(scores[flagged[r - 1]]).toBeGreaterThanOrEqual(scores[flagged[r]]);
  });
});

describe('DensityDetector fitted with a seed', () => {
  it('finds the reference anomalies with the chapter settings (n_components 3, n_init 10, seed 42)', () => {
    const det = new DensityDetector({ nComponents: 3, nInit: 10, randomState: 42 }).fit(X);
    expect(det.thresholdSource_).toBe('default');
    expect(det.mixture_!.score(X)).toBeGreaterThanOrEqual(ref.full.seed_independent_best_n_init50.score - 1e-3);
    expect(symmetricDifference(ascending(det.flagged_!), ref.full.anomaly_indices_pct4)).toBeLessThanOrEqual(2);
    expectClose(-det.threshold_, ref.full.density_threshold_pct4, 1e-3);
    expect(det.flagged_!.length).toBe(50);
  });

  it('scores as minus the mixture log density, for the training rows and for new ones', () => {
    const det = new DensityDetector({ nComponents: 3, randomState: 1 }).fit(X);
    const logDensity = det.mixture_!.scoreSamples(X);
    for (let i = 0; i < X.rows; i += 97) expect(det.scores_![i]).toBe(-logDensity[i]);
    const fresh = fromRows([[0, 0], [20, 20]]);
    const s = det.scoreSamples(fresh);
    expect(s[1]).toBeGreaterThan(s[0]);
  });

  it('honours a percentile and a threshold value', () => {
    const byShare = new DensityDetector({ nComponents: 3, randomState: 1, percentile: 2 }).fit(X);
    expect(byShare.flagged_!.length).toBe(25);
    expect(byShare.thresholdSource_).toBe('percentile');
    const byValue = new DensityDetector({ nComponents: 3, randomState: 1, threshold: byShare.threshold_ }).fit(X);
    expect(byValue.thresholdSource_).toBe('value');
    expect(Array.from(byValue.flagged_!)).toEqual(Array.from(byShare.flagged_!));
    expect(Array.from(byShare.flaggedAt(byShare.threshold_))).toEqual(Array.from(byShare.flagged_!));
  });

  it('learns only from the fit rows but scores every row', () => {
    // The third blob (rows 1000..1249) left out of the fit: a 2-component mixture of the other
    // two finds most of it unlikely (it overlaps their tails), far more than one that learned it.
    const fitRows = Array.from({ length: 1000 }, (_, i) => i);
    const thirdBlob = (d: DensityDetector) => Array.from(d.flagged_!).filter((i) => i >= 1000).length;
    const without = new DensityDetector({ nComponents: 2, randomState: 0, percentile: 20 }).fit(X, null, { fitRows });
    const withIt = new DensityDetector({ nComponents: 2, randomState: 0, percentile: 20 }).fit(X);
    expect(without.nFitted_).toBe(1000);
    expect(without.scores_!.length).toBe(1250);
    expect(thirdBlob(without)).toBeGreaterThanOrEqual(200);
    expect(thirdBlob(withIt)).toBeLessThan(thirdBlob(without));
  });

  it('samples new points from the mixture, and new images through the inverse PCA', () => {
    const det = new DensityDetector({ nComponents: 3, randomState: 7 }).fit(X);
    const s = det.sample(100);
    expect(s.X.rows).toBe(100);
    expect(s.reduced).toBeNull();
    expect(det.sample(100).X.data).toEqual(s.X.data);
    // Samples land where the data is: their mean score is near the data's.
    const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(Math.abs(mean(det.scoreSamples(s.X)) - mean(det.scores_!))).toBeLessThan(0.5);

    // 4 features, 2 of them kept by PCA: samples come back in the 4-feature space.
    const wide = fromRows(Array.from({ length: 200 }, (_, i) => {
      const a = Math.sin(i), b = Math.cos(3 * i);
      return [a, b, a + b, a - b];
    }));
    const reduced = new DensityDetector({ nComponents: 2, randomState: 3, pcaVariance: 2 }).fit(wide);
    const gen = reduced.sample(5);
    expect(gen.reduced!.cols).toBe(2);
    expect(gen.X.cols).toBe(4);
    for (let i = 0; i < 5; i++) {
      const [a, b, c, d] = gen.X.data.subarray(i * 4, i * 4 + 4);
      expect(c).toBeCloseTo(a + b, 9);
      expect(d).toBeCloseTo(a - b, 9);
    }
  });

  it('refuses bad parameters and bad fit rows with clear messages', () => {
    expect(() => new DensityDetector({ percentile: 4, threshold: 1 }).fit(X)).toThrow(/percentile or threshold, not both/);
    expect(() => new DensityDetector({ percentile: 140 }).fit(X)).toThrow(ParameterError);
    expect(() => new DensityDetector({ pcaVariance: 1.5 }).fit(X)).toThrow(/pcaVariance must be a variance ratio/);
    expect(() => new DensityDetector().fit(X, null, { fitRows: [0, 0, 1] })).toThrow(/row 0 is given twice/);
    expect(() => new DensityDetector().fit(X, null, { fitRows: [0, 5000] })).toThrow(/outside/);
  });
});

describeConformance('DensityDetector', {
  make: () => new DensityDetector({ nComponents: 3, randomState: 0 }),
  X: takeRows(X, Array.from({ length: 300 }, (_, i) => i * 4)),
  fingerprint: (d) => [Array.from(d.scores_!), d.threshold_, Array.from(d.flagged_!)],
  fromJSON: (j) => DensityDetector.fromJSON(j),
  badParams: [
    () => new DensityDetector({ nComponents: 0 }),
    () => new DensityDetector({ covarianceType: 'round' as never }),
    () => new DensityDetector({ percentile: -1 }),
    () => new DensityDetector({ pcaVariance: 0 }),
  ],
});
