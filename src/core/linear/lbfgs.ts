/**
 * Limited-memory BFGS for smooth unconstrained minimization, following what scipy's L-BFGS-B
 * (v3.0, `method='L-BFGS-B'` without bounds) does, since scikit-learn's `lbfgs` solver is that:
 *
 * - the first direction is −g with the step 1/‖g‖; after that the L-BFGS direction −H·g with
 *   H₀ = (sᵀy / yᵀy)·I and the last `memory` pairs, first trial step 1;
 * - the Moré–Thuente line search with ftol 1e-3, gtol 0.9, xtol 0.1, at most `maxLineSearch`
 *   evaluations; a failed search drops the memory and retries along −g once;
 * - a pair is skipped when sᵀy ≤ ε·(−gᵀs) (not enough curvature);
 * - it stops when max|gᵢ| ≤ `gtol`, or when (f_old − f) ≤ `ftol`·max(|f_old|, |f|, 1), or after
 *   `maxIter` iterations (checked first, as scipy does) or `maxFun` evaluations.
 *
 * Without bounds L-BFGS-B's compact-form subspace step is −H·g exactly, so the two-loop recursion
 * gives the same iterates up to rounding.
 */
import { MoreThuente } from './lineSearch';

/** Writes ∇f(x) into `grad` and returns f(x). `x` must not be kept or modified. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Iteration limit (scipy's `maxiter`, default 15000). */
  maxIter: number;
  /** Stop when the largest gradient component is at most this (scipy's `gtol`, default 1e-5). */
  gtol: number;
  /** Stop when the relative decrease of f is at most this (scipy's `ftol`, default 2.22e-9). */
  ftol: number;
  /** Number of correction pairs kept (scipy's `maxcor`, default 10). */
  memory: number;
  /** Evaluation limit (scipy's `maxfun`, default 15000). */
  maxFun: number;
  /** Evaluations allowed per line search (scipy's `maxls`, default 20). */
  maxLineSearch: number;
  /** Called after every iteration with the iteration count, f and max|gᵢ|. */
  onIteration?: (iteration: number, f: number, gradMax: number) => void;
}

export type LbfgsStatus = 'gradient' | 'relativeReduction' | 'maxIter' | 'maxFun' | 'lineSearchFailed';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  /** Iterations done (scipy's `nit`). */
  nIter: number;
  /** Objective evaluations (scipy's `nfev`). */
  nFev: number;
  /** True when a convergence test (gradient or relative reduction) stopped the run. */
  converged: boolean;
  status: LbfgsStatus;
}

export const LBFGS_DEFAULTS: Readonly<Omit<LbfgsOptions, 'onIteration'>> = Object.freeze({
  maxIter: 15000,
  gtol: 1e-5,
  ftol: 2.220446049250313e-9,
  memory: 10,
  maxFun: 15000,
  maxLineSearch: 20,
});

const EPS = 2.220446049250313e-16;
/** L-BFGS-B's upper bound on a step for unconstrained problems. */
const STEP_MAX = 1e10;

/** Minimizes `fun` from `x0` (not modified). */
export function minimizeLbfgs(fun: ObjectiveWithGradient, x0: ArrayLike<number>, options: Partial<LbfgsOptions> = {}): LbfgsResult {
  const o = { ...LBFGS_DEFAULTS, ...options };
  const n = x0.length;
  const m = Math.max(1, o.memory);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  // Ring buffers of the correction pairs s = x₊ − x, y = g₊ − g and ρ = 1 / sᵀy.
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let count = 0; // pairs stored
  let head = 0; // slot of the oldest pair
  let theta = 1; // yᵀy / sᵀy of the newest pair: B₀ = θ·I

  let f = fun(x, g);
  let nFev = 1;
  let nIter = 0;
  let iter = 0; // L-BFGS-B's own count: 0 only for the very first step
  const done = (status: LbfgsStatus): LbfgsResult => ({
    x,
    f,
    grad: g,
    nIter,
    nFev,
    converged: status === 'gradient' || status === 'relativeReduction',
    status,
  });
  if (maxAbs(g) <= o.gtol) return done('gradient');

  const search = new MoreThuente({ ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpMin: 0, stpMax: STEP_MAX });

  while (true) {
    direction(g, d, S, Y, rho, alpha, count, head, m, n, theta);

    // Line search from (x, f, g) along d.
    xOld.set(x);
    gOld.set(g);
    const fOld = f;
    const dNorm = Math.sqrt(dot(d, d, n));
    let stp = iter === 0 ? Math.min(1 / dNorm, STEP_MAX) : 1;
    const gdOld = dot(g, d, n);
    let gd = gdOld;
    let failed = gdOld >= 0; // not a descent direction (rounding in H): restart along −g
    let evaluations = 0;
    if (!failed) {
      let task = search.start(f, gd, stp);
      while (task === 'evaluate') {
        if (evaluations >= o.maxLineSearch) break;
        stp = search.stp;
        for (let i = 0; i < n; i++) x[i] = xOld[i] + stp * d[i];
        f = fun(x, g);
        nFev++;
        evaluations++;
        gd = dot(g, d, n);
        task = search.next(f, gd);
      }
      failed = task === 'evaluate' || task === 'error';
      stp = search.stp;
    }
    if (failed) {
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      if (count === 0) return done('lineSearchFailed');
      // Forget the curvature pairs and try again along the steepest descent.
      count = 0;
      head = 0;
      theta = 1;
      continue;
    }
    iter++;

    nIter++;
    const gMax = maxAbs(g);
    o.onIteration?.(nIter, f, gMax);
    if (nIter >= o.maxIter) return done('maxIter');
    if (nFev > o.maxFun) return done('maxFun');
    if (gMax <= o.gtol) return done('gradient');
    if (fOld - f <= o.ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) return done('relativeReduction');

    // The new pair: s = stp·d, y = g − g_old, with sᵀy from the directional derivatives as
    // L-BFGS-B computes it.
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const yi = g[i] - gOld[i];
      gOld[i] = yi;
      yy += yi * yi;
    }
    const sy = stp === 1 ? gd - gdOld : (gd - gdOld) * stp;
    const minCurvature = stp === 1 ? -gdOld : -gdOld * stp;
    if (sy <= EPS * minCurvature) continue;
    const slot = count < m ? (head + count) % m : head;
    if (count < m) count++;
    else head = (head + 1) % m;
    const off = slot * n;
    for (let i = 0; i < n; i++) {
      S[off + i] = stp * d[i];
      Y[off + i] = gOld[i];
    }
    rho[slot] = 1 / sy;
    theta = yy / sy;
  }
}

/** d = −H·g by the two-loop recursion over the stored pairs (newest first), H₀ = I/θ. */
function direction(
  g: Float64Array,
  d: Float64Array,
  S: Float64Array,
  Y: Float64Array,
  rho: Float64Array,
  alpha: Float64Array,
  count: number,
  head: number,
  m: number,
  n: number,
  theta: number,
): void {
  for (let i = 0; i < n; i++) d[i] = -g[i];
  for (let k = count - 1; k >= 0; k--) {
    const slot = (head + k) % m;
    const off = slot * n;
    let a = 0;
    for (let i = 0; i < n; i++) a += S[off + i] * d[i];
    a *= rho[slot];
    alpha[slot] = a;
    for (let i = 0; i < n; i++) d[i] -= a * Y[off + i];
  }
  const h0 = 1 / theta;
  for (let i = 0; i < n; i++) d[i] *= h0;
  for (let k = 0; k < count; k++) {
    const slot = (head + k) % m;
    const off = slot * n;
    let b = 0;
    for (let i = 0; i < n; i++) b += Y[off + i] * d[i];
    b *= rho[slot];
    const c = alpha[slot] - b;
    for (let i = 0; i < n; i++) d[i] += c * S[off + i];
  }
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > mx) mx = v;
  }
  return mx;
}
