import type { SklearnProcess } from './sklearn';
export interface ParallelRow { title: string; check: string; ours: number | null; skSingle: number | null; skDefault: number | null; note: string }
export async function runParallelBench(_o: { quick: boolean; sklearn: SklearnProcess | null; threaded: SklearnProcess | null; log: (s: string) => void }): Promise<ParallelRow[]> { return []; }
