/**
 * The noise detector: DBSCAN's noise (scikit-learn 1.2.1, `dbscan_moons.json`) ranked by the
 * distance to the nearest core sample; rows left out of the fit judged like the book's
 * DBSCAN prediction (an anomaly beyond eps from every core sample).
 */
import { describe, expect, it } from 'vitest';
import { NoiseDetector } from '../../../../src/core/anomalies';
import { DBSCAN, dbscanPredict } from '../../../../src/core/cluster/dbscan';
import { DataError } from '../../../../src/core/errors';
import { takeRows } from '../../../../src/core/math/matrix';
import { describeConformance } from '../conformance';
import { dataset, expected } from '../reference';

const { X } = dataset('moons.csv');
const ref = expected('dbscan_moons.json');
const key = 'eps0.05_min_samples5';
const noise: number[] = (ref[key].labels as number[]).flatMap((l, i) => (l === -1 ? [i] : []));

describe('NoiseDetector', () => {
  it("flags exactly scikit-learn's noise at eps 0.05, most isolated first", () => {
    const det = new NoiseDetector({ eps: 0.05, minSamples: 5 }).fit(X);
    expect(det.threshold_).toBe(0.05);
    expect(Array.from(det.flagged_!).sort((a, b) => a - b)).toEqual(noise);
    expect(det.summary()).toMatchObject({ nNoise: ref[key].n_noise, nCore: ref[key].core_sample_indices.length });
    expect(Array.from(det.labels_!)).toEqual(ref[key].labels);
    const s = det.scores_!;
    for (const i of ref[key].core_sample_indices as number[]) expect(s[i]).toBe(0);
    for (let r = 1; r < det.flagged_!.length; r++) expect(s[det.flagged_![r - 1]]).toBeGreaterThanOrEqual(s[det.flagged_![r]]);
  });

  it('scores rows left out of the fit as the DBSCAN prediction of new points does', () => {
    const fitRows = Array.from({ length: 800 }, (_, i) => i);
    const det = new NoiseDetector({ eps: 0.05, minSamples: 5 }).fit(X, null, { fitRows });
    const model = new DBSCAN({ eps: 0.05, minSamples: 5 }).fit(takeRows(X, fitRows));
    const rest = takeRows(X, Array.from({ length: 200 }, (_, i) => 800 + i));
    const predicted = dbscanPredict(model, rest);
    for (let j = 0; j < 200; j++) {
      expect(det.scores_![800 + j]).toBeCloseTo(predicted.nearestDistance[j], 12);
      expect(det.labels_![800 + j] === -1).toBe(predicted.labels[j] === -1);
    }
  });

  it('can flag a share instead of the noise, and says when there is no core sample', () => {
    // 10 %: the 77 noise points and the 23 border points farthest from a core sample.
    const det = new NoiseDetector({ eps: 0.05, minSamples: 5, percentile: 10 }).fit(X);
    expect(det.thresholdSource_).toBe('percentile');
    expect(det.flagged_!.length).toBe(100);
    expect(Array.from(det.flagged_!.slice(0, noise.length)).sort((a, b) => a - b)).toEqual(noise);
    // At eps 0.2 every point is a core sample: all score 0 and none is flagged, whatever the share.
    expect(new NoiseDetector({ eps: 0.2, minSamples: 5, percentile: 10 }).fit(X).flagged_!.length).toBe(0);
    expect(() => new NoiseDetector({ eps: 1e-6, minSamples: 3 }).fit(X)).toThrow(DataError);
    expect(() => new NoiseDetector({ eps: 1e-6, minSamples: 3 }).fit(X)).toThrow(/raise eps or lower minSamples/);
  });
});

describeConformance('NoiseDetector', {
  make: () => new NoiseDetector({ eps: 0.1, minSamples: 5 }),
  X: takeRows(X, Array.from({ length: 500 }, (_, i) => 2 * i)),
  fingerprint: (d) => [Array.from(d.scores_!), d.threshold_, Array.from(d.flagged_!), Array.from(d.labels_!)],
  fromJSON: (j) => NoiseDetector.fromJSON(j),
  badParams: [() => new NoiseDetector({ eps: 0 }), () => new NoiseDetector({ minSamples: 0 }), () => new NoiseDetector({ algorithm: 'ball' as never })],
});
