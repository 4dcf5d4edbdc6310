/** Timing: best of N after warm-up runs, wall clock and this process's CPU time (user + system). */

export interface Timing {
  /** Seconds, one per timed run. */
  wall: number[];
  cpu: number[];
}

export function timeRuns(fn: () => unknown, warmup: number, repeats: number): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    wall.push((t1 - t0) / 1000);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

export function best(a: readonly number[] | undefined): number | null {
  return a && a.length ? Math.min(...a) : null;
}

/** Seconds for a table: 3 significant digits, in ms below one second. */
export function fmtTime(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s < 1) return `${(s * 1000).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

export function fmtRatio(a: number | null, b: number | null): string {
  if (a === null || b === null || !(b > 0)) return '—';
  return (a / b).toFixed(2);
}
