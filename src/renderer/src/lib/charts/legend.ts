/** Legend entries: how many points each colour code holds. */

export interface LegendEntry {
  key: string;
  label: string;
  color: string;
  count: number;
}

/**
 * Counts per code in 0..k−1; index k counts everything else (noise −1, unknown codes).
 * @param codes (nSamples)
 * @returns (k + 1)
 */
export function countCodes(codes: Int32Array | null, k: number): Int32Array {
  const counts = new Int32Array(k + 1);
  if (!codes) return counts;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    counts[c >= 0 && c < k ? c : k]++;
  }
  return counts;
}
