/**
 * The Moré–Thuente line search (MINPACK-2 `dcsrch` / `dcstep`), the one L-BFGS-B uses inside
 * scipy. It looks for a step `stp > 0` along a descent direction that satisfies the strong Wolfe
 * conditions
 *
 *     φ(stp) ≤ φ(0) + ftol·stp·φ'(0)     (sufficient decrease)
 *     |φ'(stp)| ≤ gtol·|φ'(0)|           (curvature)
 *
 * by safeguarded cubic / quadratic interpolation inside an interval that brackets a minimizer.
 * It is written in reverse communication, like the original: the caller evaluates φ and φ' at the
 * step the search asks for and hands them back, so the optimizer keeps control of its buffers and
 * of how many evaluations it allows. Reproducing the exact choice of trial steps (rather than
 * any Wolfe search) is what keeps our L-BFGS on scipy's path, step for step.
 */

/** What the search wants next: another evaluation, or it is done (converged or stuck). */
export type LineSearchTask = 'evaluate' | 'converged' | 'warning' | 'error';

export interface LineSearchOptions {
  /** Sufficient-decrease constant (L-BFGS-B: 1e-3). */
  ftol: number;
  /** Curvature constant (L-BFGS-B: 0.9). */
  gtol: number;
  /** Relative width under which the bracket is considered too small (L-BFGS-B: 0.1). */
  xtol: number;
  stpMin: number;
  stpMax: number;
}

const XTRAPL = 1.1;
const XTRAPU = 4.0;

/**
 * One line search. Call `start(φ(0), φ'(0), firstStep)`, then evaluate φ and φ' at `stp` and call
 * `next(φ, φ')` for as long as the returned task is `'evaluate'`.
 */
export class MoreThuente {
  /** The step to evaluate next, or the accepted step once the search has finished. */
  stp = 0;
  /** Why the search stopped, when it stopped with a warning or an error. */
  message = '';

  private readonly o: LineSearchOptions;
  private bracketed = false;
  private stage = 1;
  private fInit = 0;
  private gInit = 0;
  private gTest = 0;
  private width = 0;
  private width1 = 0;
  // stx: the step with the least function value so far; sty: the other end of the interval.
  private stx = 0;
  private fx = 0;
  private gx = 0;
  private sty = 0;
  private fy = 0;
  private gy = 0;
  private stMin = 0;
  private stMax = 0;

  constructor(options: LineSearchOptions) {
    this.o = options;
  }

  /** Starts a search from φ(0) = `f`, φ'(0) = `g` (must be < 0) with the trial step `stp`. */
  start(f: number, g: number, stp: number): LineSearchTask {
    const o = this.o;
    this.stp = stp;
    if (stp < o.stpMin) return this.fail('stp < stpMin');
    if (stp > o.stpMax) return this.fail('stp > stpMax');
    if (g >= 0) return this.fail('initial derivative >= 0');
    if (o.ftol < 0 || o.gtol < 0 || o.xtol < 0 || o.stpMin < 0 || o.stpMax < o.stpMin) {
      return this.fail('invalid line search constants');
    }
    this.bracketed = false;
    this.stage = 1;
    this.fInit = f;
    this.gInit = g;
    this.gTest = o.ftol * g;
    this.width = o.stpMax - o.stpMin;
    this.width1 = this.width / 0.5;
    this.stx = 0;
    this.fx = f;
    this.gx = g;
    this.sty = 0;
    this.fy = f;
    this.gy = g;
    this.stMin = 0;
    this.stMax = stp + XTRAPU * stp;
    this.message = '';
    return 'evaluate';
  }

  /** Takes φ(stp) = `f` and φ'(stp) = `g` and decides the next step (or stops). */
  next(f: number, g: number): LineSearchTask {
    const o = this.o;
    let stp = this.stp;
    const fTest = this.fInit + stp * this.gTest;
    if (this.stage === 1 && f <= fTest && g >= 0) this.stage = 2;

    // The warnings come before the convergence test and convergence wins over them, as in dcsrch.
    let task: LineSearchTask = 'evaluate';
    if (this.bracketed && (stp <= this.stMin || stp >= this.stMax)) this.warn('rounding errors prevent progress');
    if (this.bracketed && this.stMax - this.stMin <= o.xtol * this.stMax) this.warn('xtol test satisfied');
    if (stp === o.stpMax && f <= fTest && g <= this.gTest) this.warn('stp = stpMax');
    if (stp === o.stpMin && (f > fTest || g >= this.gTest)) this.warn('stp = stpMin');
    if (this.message !== '') task = 'warning';
    if (f <= fTest && Math.abs(g) <= o.gtol * -this.gInit) {
      task = 'converged';
      this.message = '';
    }
    if (task !== 'evaluate') return task;

    // In the first stage, while the decrease is not yet sufficient, interpolate the auxiliary
    // function ψ(s) = φ(s) − φ(0) − ftol·s·φ'(0) instead of φ (Moré & Thuente, section 2).
    if (this.stage === 1 && f <= this.fx && f > fTest) {
      const gt = this.gTest;
      const s = { stx: this.stx, fx: this.fx - this.stx * gt, dx: this.gx - gt, sty: this.sty, fy: this.fy - this.sty * gt, dy: this.gy - gt };
      stp = this.step(s, stp, f - stp * gt, g - gt);
      this.stx = s.stx;
      this.sty = s.sty;
      this.fx = s.fx + s.stx * gt;
      this.fy = s.fy + s.sty * gt;
      this.gx = s.dx + gt;
      this.gy = s.dy + gt;
    } else {
      const s = { stx: this.stx, fx: this.fx, dx: this.gx, sty: this.sty, fy: this.fy, dy: this.gy };
      stp = this.step(s, stp, f, g);
      this.stx = s.stx;
      this.fx = s.fx;
      this.gx = s.dx;
      this.sty = s.sty;
      this.fy = s.fy;
      this.gy = s.dy;
    }

    // Bisect when the bracket did not shrink enough over the last two steps.
    if (this.bracketed) {
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1) stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
    }
    if (this.bracketed) {
      this.stMin = Math.min(this.stx, this.sty);
      this.stMax = Math.max(this.stx, this.sty);
    } else {
      this.stMin = stp + XTRAPL * (stp - this.stx);
      this.stMax = stp + XTRAPU * (stp - this.stx);
    }
    stp = Math.min(Math.max(stp, o.stpMin), o.stpMax);
    // No further progress possible: fall back to the best step found.
    if ((this.bracketed && (stp <= this.stMin || stp >= this.stMax)) || (this.bracketed && this.stMax - this.stMin <= o.xtol * this.stMax)) {
      stp = this.stx;
    }
    this.stp = stp;
    return 'evaluate';
  }

  private warn(message: string): void {
    this.message = message;
  }

  private fail(message: string): LineSearchTask {
    this.message = message;
    return 'error';
  }

  /**
   * `dcstep`: a safeguarded step from the interval end points (stx, fx, dx), (sty, fy, dy) and the
   * trial (stp, fp, dp); updates the interval in `s` and `bracketed`, returns the new trial step.
   */
  private step(
    s: { stx: number; fx: number; dx: number; sty: number; fy: number; dy: number },
    stp: number,
    fp: number,
    dp: number,
  ): number {
    const { stx, fx, dx, sty, fy, dy } = s;
    const stpMin = this.stMin, stpMax = this.stMax;
    const sgnd = dp * (dx / Math.abs(dx));
    let stpf: number;

    if (fp > fx) {
      // Higher function value: a minimizer is bracketed. Cubic if it is closer to stx than the
      // quadratic, else the average of the two.
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = sc * Math.sqrt((theta / sc) * (theta / sc) - (dx / sc) * (dp / sc));
      if (stp < stx) gamma = -gamma;
      const p = gamma - dx + theta;
      const q = gamma - dx + gamma + dp;
      const stpc = stx + (p / q) * (stp - stx);
      const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
      stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
      this.bracketed = true;
    } else if (sgnd < 0) {
      // Lower value, derivatives of opposite sign: bracketed. The cubic if it is farther from
      // stp than the secant step, else the secant.
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = sc * Math.sqrt((theta / sc) * (theta / sc) - (dx / sc) * (dp / sc));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dx;
      const stpc = stp + (p / q) * (stx - stp);
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      this.bracketed = true;
    } else if (Math.abs(dp) < Math.abs(dx)) {
      // Lower value, same sign, the derivative shrinks. The cubic step only if the cubic tends to
      // infinity in the direction of the step or its minimum lies beyond stp.
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) * (theta / sc) - (dx / sc) * (dp / sc)));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma + (dx - dp) + gamma;
      const r = p / q;
      let stpc: number;
      if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
      else if (stp > stx) stpc = stpMax;
      else stpc = stpMin;
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      if (this.bracketed) {
        stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
        stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
      } else {
        stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
        stpf = Math.max(stpMin, Math.min(stpMax, stpf));
      }
    } else if (this.bracketed) {
      // Lower value, same sign, the derivative does not shrink: the cubic through stp and sty.
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const sc = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = sc * Math.sqrt((theta / sc) * (theta / sc) - (dy / sc) * (dp / sc));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      stpf = stp + (p / q) * (sty - stp);
    } else {
      stpf = stp > stx ? stpMax : stpMin;
    }

    if (fp > fx) {
      s.sty = stp;
      s.fy = fp;
      s.dy = dp;
    } else {
      if (sgnd < 0) {
        s.sty = stx;
        s.fy = fx;
        s.dy = dx;
      }
      s.stx = stp;
      s.fx = fp;
      s.dx = dp;
    }
    return stpf;
  }
}
