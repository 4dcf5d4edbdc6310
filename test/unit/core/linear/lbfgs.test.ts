import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../../../src/core/linear/lbfgs';
import { MoreThuente } from '../../../../src/core/linear/lineSearch';
import { Random } from '../../../../src/core/math/random';

// scipy 1.10's L-BFGS-B on Rosenbrock's function (see gen_logistic_reference.py).
const REF = JSON.parse(readFileSync(resolve(__dirname, '../../../fixtures/reference-extra/logistic_lbfgs.json'), 'utf8')) as {
  cases: Array<{ x0: number[]; options: { maxiter?: number }; x: number[]; fun: number; nit: number; nfev: number; message: string }>;
};

function rosen(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
}

/** f(x) = ½ xᵀAx − bᵀx with A = MᵀM + λI (positive definite) and b = A·x*, so the minimizer is x*. */
function quadratic(n: number, seed: number, lambda: number) {
  const r = new Random(seed);
  const M = Float64Array.from({ length: n * n }, () => r.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? lambda : 0;
      for (let k = 0; k < n; k++) s += M[k * n + i] * M[k * n + j];
      A[i * n + j] = s;
    }
  }
  const xStar = Float64Array.from({ length: n }, () => 3 * r.normal());
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += A[i * n + j] * xStar[j];
  const fun = (x: Float64Array, g: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += A[i * n + j] * x[j];
      g[i] = ax - b[i];
      f += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return f;
  };
  return { fun, xStar };
}

describe('minimizeLbfgs', () => {
  it("follows scipy's L-BFGS-B step for step on Rosenbrock's function (same iterations, evaluations and minimizer)", () => {
    for (const c of REF.cases) {
      const res = minimizeLbfgs(rosen, c.x0, c.options.maxiter ? { maxIter: c.options.maxiter } : {});
      expect(res.nIter).toBe(c.nit);
      expect(res.nFev).toBe(c.nfev);
      expect(res.status).toBe(c.message.startsWith('CONVERGENCE: REL_REDUCTION') ? 'relativeReduction' : 'maxIter');
      // Same path up to rounding; the iterates agree to ~1e-11 (measured).
      for (let i = 0; i < c.x.length; i++) expect(Math.abs(res.x[i] - c.x[i])).toBeLessThan(1e-9);
      expect(Math.abs(res.f - c.fun)).toBeLessThan(1e-9 * Math.max(1, c.fun));
    }
  });

  it('minimizes a random positive definite quadratic to its known solution', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0.05, max: 5, noNaN: true }), (n, seed, lambda) => {
        const { fun, xStar } = quadratic(n, seed, lambda);
        // ftol 0: run until the gradient is tiny or f can no longer decrease in floating point
        // (then f stalls or the line search fails at the rounding floor, as scipy's does).
        const res = minimizeLbfgs(fun, new Float64Array(n), { gtol: 1e-10, ftol: 0 });
        expect(res.status).not.toBe('maxIter');
        // The smallest eigenvalue of A is at least λ, so ‖x − x*‖ ≤ ‖A(x − x*)‖/λ = ‖g‖/λ.
        let gNorm = 0, err = 0, scale = 0;
        for (let i = 0; i < n; i++) {
          gNorm += res.grad[i] ** 2;
          err += (res.x[i] - xStar[i]) ** 2;
          scale = Math.max(scale, Math.abs(xStar[i]));
        }
        expect(Math.sqrt(err)).toBeLessThanOrEqual(Math.sqrt(gNorm) / lambda + 1e-12);
        expect(Math.sqrt(err)).toBeLessThanOrEqual(1e-6 * (1 + scale));
      }),
      { numRuns: 60 },
    );
  });

  it('stops without iterating when the starting point is already stationary', () => {
    const res = minimizeLbfgs(rosen, [1, 1, 1]);
    expect(res.nIter).toBe(0);
    expect(res.nFev).toBe(1);
    expect(res.status).toBe('gradient');
  });

  it('reports every iteration and honours maxIter', () => {
    const seen: number[] = [];
    const res = minimizeLbfgs(rosen, [-1.2, 1], { maxIter: 5, onIteration: (it) => seen.push(it) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(res.status).toBe('maxIter');
    expect(res.converged).toBe(false);
  });

  it('gives up cleanly on a function that is unbounded below along its gradient', () => {
    // f = −‖x‖ decreases without end; the search hits its step bound and reports a failure or stops.
    const res = minimizeLbfgs(
      (x, g) => {
        const s = Math.hypot(...x);
        for (let i = 0; i < x.length; i++) g[i] = -x[i] / s;
        return -s;
      },
      [1, 2],
      { maxIter: 50 },
    );
    expect(res.converged).toBe(false);
    expect(Number.isFinite(res.f)).toBe(true);
  });
});

describe('MoreThuente line search', () => {
  it('returns steps that satisfy the strong Wolfe conditions', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        (a, c, stp0) => {
          // φ(s) = a(s − shift)² + 0.1·s⁴ with shift > 0, so φ'(0) = −2a·shift < 0.
          const shift = Math.abs(c) + 0.5;
          const phi = (s: number) => a * (s - shift) ** 2 + 0.1 * s ** 4;
          const dphi = (s: number) => 2 * a * (s - shift) + 0.4 * s ** 3;
          const o = { ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpMin: 0, stpMax: 1e10 };
          const ls = new MoreThuente(o);
          let task = ls.start(phi(0), dphi(0), stp0);
          let n = 0;
          while (task === 'evaluate' && n++ < 40) task = ls.next(phi(ls.stp), dphi(ls.stp));
          expect(task).toBe('converged');
          const s = ls.stp;
          expect(phi(s)).toBeLessThanOrEqual(phi(0) + o.ftol * s * dphi(0));
          expect(Math.abs(dphi(s))).toBeLessThanOrEqual(o.gtol * Math.abs(dphi(0)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses to start along an ascent direction', () => {
    const ls = new MoreThuente({ ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpMin: 0, stpMax: 10 });
    expect(ls.start(0, 1, 1)).toBe('error');
  });
});
