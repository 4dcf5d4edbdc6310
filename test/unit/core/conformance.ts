/**
 * scikit-learn's `check_estimator`, for the core: every estimator's test file calls
 * `describeConformance` with a factory, so the same promises are checked for all of them.
 */
import { describe, expect, it } from 'vitest';
import type { Estimator, EstimatorJSON } from '../../../src/core/base';
import type { Matrix } from '../../../src/core/math/matrix';
import { ParameterError } from '../../../src/core/errors';

export interface ConformanceCase<E extends Estimator> {
  /** A fresh estimator with a fixed random state. */
  make: () => E;
  /** Data it can be fitted on. */
  X: Matrix;
  y?: ArrayLike<number>;
  /** What must be identical between two fits with the same seed (e.g. labels, centers). */
  fingerprint: (e: E) => unknown;
  /** Restores a fitted estimator from its JSON. */
  fromJSON: (j: EstimatorJSON) => E;
  /** Constructors with invalid hyperparameters: each must throw ParameterError on construction or fit. */
  badParams: Array<() => E>;
}

export function describeConformance<E extends Estimator>(name: string, c: ConformanceCase<E>): void {
  describe(`${name} conformance`, () => {
    it('fit returns the estimator itself', () => {
      const e = c.make();
      expect(e.fit(c.X, c.y)).toBe(e);
    });

    it('gives the same result for the same random state', () => {
      const a = c.make().fit(c.X, c.y);
      const b = c.make().fit(c.X, c.y);
      expect(c.fingerprint(b)).toEqual(c.fingerprint(a));
    });

    it('leaves its parameters and the input untouched', () => {
      const e = c.make();
      const before = JSON.stringify(e.params);
      const data = c.X.data.slice();
      e.fit(c.X, c.y);
      expect(JSON.stringify(e.params)).toBe(before);
      expect(c.X.data).toEqual(data);
    });

    it('round-trips through JSON', () => {
      const e = c.make().fit(c.X, c.y);
      const json = JSON.parse(JSON.stringify(e.toJSON())) as EstimatorJSON;
      const back = c.fromJSON(json);
      expect(c.fingerprint(back)).toEqual(c.fingerprint(e));
      expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(e.toJSON()));
    });

    it('rejects bad parameters with a ParameterError', () => {
      for (const bad of c.badParams) {
        expect(() => bad().fit(c.X, c.y)).toThrow(ParameterError);
      }
    });
  });
}
