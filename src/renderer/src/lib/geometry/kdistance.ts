/**
 * DBSCAN's eps helpers on the k-distance curve (the distance of every sample to its k-th nearest
 * neighbour, itself counted, sorted ascending): how many samples are core for an eps, and the
 * curve's knee, where the distances start to climb steeply, as a first guess for eps.
 */

/** Samples whose k-th neighbour is within eps: DBSCAN's core samples for min_samples = k. */
export function coreCount(squared: Float64Array, eps: number): number {
  const e2 = eps * eps;
  let n = 0;
  for (let i = 0; i < squared.length; i++) if (squared[i] <= e2) n++;
  return n;
}

/** Core (2), border (1) or noise (0) of every sample of a DBSCAN run, from its labels and the k-distances. */
export function sampleRoles(labels: Int32Array, squared: Float64Array, eps: number): Uint8Array {
  const e2 = eps * eps;
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] < 0 ? 0 : squared[i] <= e2 ? 2 : 1;
  return out;
}

/**
 * The knee of an ascending curve: the point farthest below the chord from its first to its last
 * value, both axes scaled to 0..1 (the "kneedle" rule). Returns the curve's value there.
 */
export function kneeValue(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n < 3) return sorted[n - 1];
  const lo = sorted[0], hi = sorted[n - 1];
  if (!(hi > lo)) return hi;
  let best = 0, at = n - 1;
  for (let i = 0; i < n; i++) {
    const x = i / (n - 1), y = (sorted[i] - lo) / (hi - lo);
    const below = x - y;
    if (below > best) {
      best = below;
      at = i;
    }
  }
  return sorted[at];
}
