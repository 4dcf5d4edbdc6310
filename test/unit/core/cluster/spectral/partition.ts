/** Partition comparisons for clustering tests, independent of how clusters are numbered. */

/** Whether two labelings split the samples the same way, up to renaming the clusters. */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

/** How many samples disagree with `b` after mapping each cluster of `a` to its majority in `b`. */
export function disagreements(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length; i++) counts.set(`${a[i]},${b[i]}`, (counts.get(`${a[i]},${b[i]}`) ?? 0) + 1);
  const best = new Map<number, number>();
  for (const [key, c] of counts) {
    const x = Number(key.split(',')[0]);
    best.set(x, Math.max(best.get(x) ?? 0, c));
  }
  let agree = 0;
  for (const c of best.values()) agree += c;
  return a.length - agree;
}
