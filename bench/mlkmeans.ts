/**
 * ml-kmeans (npm), the K-Means most JavaScript users reach for, on the same data, initial centres
 * and iteration count as ours: `maxIterations` = our n_iter and tolerance 0, so that both do the
 * same number of Lloyd iterations. Its centres are checked against ours before it is timed.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Matrix } from '../src/core/math/matrix';
import type { MlKMeansSpec } from './workloads';

type KMeansFn = (
  data: number[][],
  k: number,
  opts: { initialization: number[][]; maxIterations: number; tolerance: number },
) => { centroids: number[][]; iterations: number };

let loaded: Promise<KMeansFn | null> | null = null;

/** The package's `kmeans`, or null when it is not installed. */
export function mlKMeans(): Promise<KMeansFn | null> {
  loaded ??= (async () => {
    try {
      // A variable specifier: the package is optional, and type-checking must not need it.
      const name = 'ml-kmeans';
      const mod = (await import(name)) as { kmeans?: KMeansFn; default?: { kmeans?: KMeansFn } };
      return mod.kmeans ?? mod.default?.kmeans ?? null;
    } catch {
      return null;
    }
  })();
  return loaded;
}

export function mlKMeansVersion(): string | null {
  try {
    // Its package.json is not in its "exports": found beside the resolved entry (lib/index.js).
    let dir = dirname(createRequire(import.meta.url).resolve('ml-kmeans'));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

/** Data as the nested arrays ml-kmeans takes (built once, outside the timing). */
export function nested(X: Matrix): number[][] {
  const out: number[][] = new Array(X.rows);
  for (let i = 0; i < X.rows; i++) out[i] = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  return out;
}

/**
 * One ml-kmeans run of `iterations` iterations; null when its centres do not match `centers`
 * (ours after the same iterations) within 1e-6 of the largest coordinate.
 */
export function runMlKMeans(fn: KMeansFn, spec: MlKMeansSpec, data: number[][], iterations: number, centers: Matrix): string | null {
  const r = fn(data, spec.init.length, { initialization: spec.init.map((row) => [...row]), maxIterations: iterations, tolerance: 0 });
  let scale = 0, err = 0;
  for (let j = 0; j < centers.rows; j++) {
    for (let t = 0; t < centers.cols; t++) {
      const v = centers.data[j * centers.cols + t];
      scale = Math.max(scale, Math.abs(v));
      err = Math.max(err, Math.abs(v - r.centroids[j][t]));
    }
  }
  return err <= 1e-6 * scale ? null : `ml-kmeans centres differ from ours by ${(err / scale).toExponential(1)} (relative) after ${r.iterations} iterations`;
}
