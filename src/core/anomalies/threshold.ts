/**
 * Thresholds and rankings shared by every detector. A score is "higher = more anomalous"; a
 * sample is flagged when its score is strictly above the threshold. A threshold by percentile
 * flags that share of the samples the way the chapter does it for densities:
 * `density_threshold = np.percentile(densities, 4)`, anomalies where `densities < threshold`.
 * With scores = −densities that is `threshold = −percentile(−scores, 4)` and `scores > threshold`,
 * computed on the negated scores so that a density detector reproduces numpy to the last bit
 * (negation is exact).
 */
import { DataError, ParameterError } from '../errors';
import { percentile } from '../semisupervised/percentile';
import { checkNumber } from '../validate';

/** The share flagged when neither a percentile nor a threshold is given: the chapter's 4 %. */
export const DEFAULT_PERCENTILE = 4;

/** How a detector sets its threshold: a share of the samples, or a score value. */
export interface ThresholdParams {
  /** Flag this percentage of the samples (0..100), e.g. the chapter's 4. */
  percentile?: number;
  /** Flag the samples whose score is above this value (not with `percentile`). */
  threshold?: number;
}

/** The score above which `percent` % of the samples lie (numpy's percentile, mirrored). */
export function thresholdForShare(scores: ArrayLike<number>, percent: number): number {
  checkNumber('percentile', percent, 0, 100);
  if (scores.length === 0) throw new DataError('no scores to take a percentile of');
  const negated = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) negated[i] = -scores[i];
  return -percentile(negated, percent);
}

/** The threshold a detector's parameters ask for; `fallback` when they name none. */
export function resolveThreshold(scores: ArrayLike<number>, p: ThresholdParams, fallback: () => number): { value: number; source: ThresholdSource } {
  if (p.threshold !== undefined && p.threshold !== null) return { value: p.threshold, source: 'value' };
  if (p.percentile !== undefined && p.percentile !== null) return { value: thresholdForShare(scores, p.percentile), source: 'percentile' };
  return { value: fallback(), source: 'default' };
}

export type ThresholdSource = 'percentile' | 'value' | 'default';

/** Validates the threshold parameters (either may be absent; both together is ambiguous). */
export function checkThresholdParams(p: ThresholdParams): void {
  if (p.percentile !== undefined && p.percentile !== null) checkNumber('percentile', p.percentile, 0, 100);
  if (p.threshold !== undefined && p.threshold !== null) {
    checkNumber('threshold', p.threshold);
    if (p.percentile !== undefined && p.percentile !== null) {
      // Refused rather than silently preferring one: the two disagree on what is flagged.
      throw new ParameterError(`give percentile or threshold, not both (got percentile ${p.percentile} and threshold ${p.threshold})`);
    }
  }
}

/**
 * Every row ranked from most to least anomalous: by score descending, ties by row ascending
 * (NaN scores last).
 */
export function rankByScore(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const sa = scores[a], sb = scores[b];
    if (sa === sb) return a - b;
    if (Number.isNaN(sa)) return 1;
    if (Number.isNaN(sb)) return -1;
    return sb - sa;
  });
  return order;
}

/** The rows whose score is above `threshold`, most anomalous first. */
export function flaggedAbove(scores: ArrayLike<number>, threshold: number): Int32Array {
  const ranked = rankByScore(scores);
  let count = 0;
  while (count < ranked.length && scores[ranked[count]] > threshold) count++;
  return ranked.slice(0, count);
}
