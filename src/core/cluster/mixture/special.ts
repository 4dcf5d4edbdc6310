/**
 * The special functions the variational mixture needs (scipy.special's `digamma`, `gammaln`,
 * `betaln`), accurate to a few ulps over the positive reals where the mixture uses them.
 * Both follow the same plan: shift the argument up with the recurrence until the asymptotic
 * series converges to double precision, then evaluate that series.
 */

/** Below this the recurrence shifts the argument up; at 10 the series' last term is < 1e-16. */
const SERIES_START = 10;
const HALF_LOG_2PI = 0.9189385332046728; // ½ ln 2π

/**
 * ψ(x) = d/dx ln Γ(x). Poles at 0, −1, −2, …: −∞ at 0 and NaN at the negative integers,
 * as scipy returns.
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (x === 0) return -Infinity;
    if (Number.isInteger(x)) return NaN;
    // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let shift = 0;
  while (x < SERIES_START) {
    shift -= 1 / x;
    x += 1;
  }
  // ψ(x) ~ ln x − 1/(2x) − Σ B₂ₙ / (2n x²ⁿ).
  const f = 1 / (x * x);
  const series =
    f *
    (1 / 12 -
      f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f * (1 / 12)))))));
  return shift + (Math.log(x) - 0.5 / x - series);
}

/** ln |Γ(x)|; +∞ at the poles 0, −1, −2, … as scipy returns. */
export function gammaln(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - gammaln(1 - x);
  }
  let product = 1;
  while (x < SERIES_START) {
    product *= x;
    x += 1;
  }
  // Stirling: ln Γ(x) ~ (x − ½) ln x − x + ½ ln 2π + Σ B₂ₙ / (2n(2n − 1) x²ⁿ⁻¹).
  const r = 1 / x;
  const f = r * r;
  const series =
    r *
    (1 / 12 -
      f * (1 / 360 - f * (1 / 1260 - f * (1 / 1680 - f * (1 / 1188 - f * (691 / 360360 - f * (1 / 156)))))));
  const stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  return product === 1 ? stirling : stirling - Math.log(product);
}

/** ln |B(a, b)| = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function betaln(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}
