/**
 * Fixed-init parity on mix784 (70,000 × 784, float64 and float32): the matrices are regenerated
 * by `shared/reference/make_big.mjs` (~10 s, ~650 MB in a temp folder), and each fit takes tens
 * of seconds, so this file runs only with CLUSTERSCOPE_BIG=1.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../../../../src/core/cluster/kmeans';
import type { Matrix } from '../../../../../src/core/math/matrix';
import { REFERENCE, expectClose, expected } from '../../reference';
import { clusterSizes, expectCentersClose, initRows, rowsOf } from './helpers';

const BIG = process.env.CLUSTERSCOPE_BIG === '1';
const DIR = process.env.CLUSTERSCOPE_BENCH_DIR ?? join(tmpdir(), 'clusterscope-bench');
const manifest = JSON.parse(readFileSync(resolve(REFERENCE, 'bench_data', 'manifest.json'), 'utf8')).files;

/** Loads a big matrix, generating the files first when they are missing and checking the sha256. */
function loadBig(name: 'mix784_f64' | 'mix784_f32'): Matrix {
  const file = join(DIR, `${name}.bin`);
  if (!existsSync(file)) {
    const r = spawnSync(process.execPath, [resolve(REFERENCE, 'make_big.mjs'), DIR], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`make_big.mjs failed with status ${r.status}`);
  }
  const buf = readFileSync(file);
  const sha = createHash('sha256').update(buf).digest('hex');
  if (sha !== manifest[name].sha256) throw new Error(`${file}: sha256 ${sha} does not match the manifest`);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const [rows, cols] = manifest[name].shape as [number, number];
  return { rows, cols, data: name.endsWith('f64') ? new Float64Array(ab) : new Float32Array(ab) };
}

const cases = expected('kmeans_fixed_init.json').cases;

describe.skipIf(!BIG)('KMeans on mix784 from fixed initial rows (set CLUSTERSCOPE_BIG=1 to run: 650 MB of data, minutes of CPU)', () => {
  for (const dtype of ['f64', 'f32'] as const) {
    const c = cases[`mix784_${dtype}_k8`];
    // float64: the same algorithm as scikit-learn, so rel 1e-9. float32: scikit-learn accumulates
    // sums and inertia in float32, we in float64 from the same float32 data, so its inertia is off
    // by ~5e-6 relative; centers within 1e-5 of the largest coordinate.
    const relInertia = dtype === 'f64' ? 1e-9 : 1e-5;
    const relCenters = dtype === 'f64' ? 1e-9 : 1e-5;
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      for (const tolCase of ['default_tol', 'tol0'] as const) {
        it(`${dtype} ${algorithm} ${tolCase} matches scikit-learn's n_iter, sizes, inertia${c[`${algorithm}_${tolCase}`].centers ? ' and centers' : ''}`, () => {
          const X = loadBig(`mix784_${dtype}`);
          const e = c[`${algorithm}_${tolCase}`];
          const t0 = performance.now(), cpu0 = process.cpuUsage();
          const km = new KMeans({ nClusters: 8, init: rowsOf(X, initRows(c.init_rows_key)), algorithm, tol: tolCase === 'tol0' ? 0 : 1e-4 }).fit(X);
          // CPU time as well as wall time: on a shared machine the wall time says little.
          const cpu = process.cpuUsage(cpu0).user / 1e6;
          console.log(`mix784 ${dtype} ${algorithm} ${tolCase}: ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU, ${km.nIter_} iterations`);
          expect(km.nIter_).toBe(e.n_iter);
          expect(clusterSizes(km.labels_, 8)).toEqual(e.cluster_sizes);
          expectClose(km.inertia_, e.inertia, relInertia);
          if (e.centers) expectCentersClose(km.clusterCenters_, e.centers, relCenters);
        }, 600_000);
      }
    }
  }
});
