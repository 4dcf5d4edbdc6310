/**
 * Comparing detectors run side by side, and checking them against injected anomalies: which
 * samples each flags, where they agree (pairwise counts and the regions of a Venn diagram), and
 * how the injected copies rank against the real samples.
 */
import { DataError } from '../errors';
import { rankByScore } from './threshold';

/** Which detectors flag each sample, as a bit mask (bit j = detector j), (nSamples). */
export function flagMasks(flagged: readonly ArrayLike<number>[], nSamples: number): Uint8Array {
  if (flagged.length > 8) throw new DataError(`at most 8 detectors can be compared, got ${flagged.length}`);
  const mask = new Uint8Array(nSamples);
  flagged.forEach((rows, j) => {
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      if (!(i >= 0 && i < nSamples)) throw new DataError(`flagged row ${i} is outside 0..${nSamples - 1}`);
      mask[i] |= 1 << j;
    }
  });
  return mask;
}

/** counts[a][b] = samples flagged by both detector a and detector b (the diagonal: by a). */
export function agreementMatrix(flagged: readonly ArrayLike<number>[], nSamples: number): number[][] {
  const mask = flagMasks(flagged, nSamples);
  const m = flagged.length;
  const counts = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < nSamples; i++) {
    const bits = mask[i];
    if (!bits) continue;
    for (let a = 0; a < m; a++) {
      if (!(bits & (1 << a))) continue;
      for (let b = 0; b < m; b++) if (bits & (1 << b)) counts[a][b]++;
    }
  }
  return counts;
}

/**
 * The regions of the Venn diagram: for every non-empty combination of detectors (a bit mask),
 * the samples flagged by exactly those detectors. regions[0] counts the samples none flags.
 */
export function vennRegions(flagged: readonly ArrayLike<number>[], nSamples: number): Int32Array {
  const mask = flagMasks(flagged, nSamples);
  const regions = new Int32Array(1 << flagged.length);
  for (let i = 0; i < nSamples; i++) regions[mask[i]]++;
  return regions;
}

/** How a detector did on a dataset with injected anomalies. */
export interface ValidationReport {
  /** Injected copies in the data. */
  injected: number;
  /** Injected copies above the threshold. */
  injectedFlagged: number;
  /** Real samples above the threshold (false alarms, as far as the injection knows). */
  realFlagged: number;
  /** Injected copies among the `injected` highest scores. */
  injectedInTop: number;
  /** Every injected copy scores above every real sample. */
  separated: boolean;
  /** The lowest score of an injected copy and the highest of a real sample. */
  lowestInjectedScore: number;
  highestRealScore: number;
  /** 1-based rank of the lowest-ranked injected copy (score descending, ties by row). */
  worstInjectedRank: number;
}

/**
 * Scores a detector against the rows known to be injected.
 * @param scores (nSamples) higher = more anomalous.
 * @param injected the injected rows.
 */
export function validationReport(scores: ArrayLike<number>, threshold: number, injected: ArrayLike<number>): ValidationReport {
  const n = scores.length;
  const isInjected = new Uint8Array(n);
  for (let r = 0; r < injected.length; r++) {
    const i = injected[r];
    if (!(i >= 0 && i < n)) throw new DataError(`injected row ${i} is outside 0..${n - 1}`);
    isInjected[i] = 1;
  }
  let count = 0, flaggedInjected = 0, flaggedReal = 0;
  let lowestInjected = Infinity, highestReal = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (isInjected[i]) {
      count++;
      if (s > threshold) flaggedInjected++;
      lowestInjected = Math.min(lowestInjected, s);
    } else {
      if (s > threshold) flaggedReal++;
      highestReal = Math.max(highestReal, s);
    }
  }
  const order = rankByScore(scores);
  let inTop = 0, worstRank = 0;
  for (let r = 0; r < n; r++) {
    if (!isInjected[order[r]]) continue;
    if (r < count) inTop++;
    worstRank = r + 1;
  }
  return {
    injected: count,
    injectedFlagged: flaggedInjected,
    realFlagged: flaggedReal,
    injectedInTop: inTop,
    separated: count > 0 && lowestInjected > highestReal,
    lowestInjectedScore: lowestInjected,
    highestRealScore: highestReal,
    worstInjectedRank: worstRank,
  };
}
