/**
 * The benchmark's data: the matrices of `shared/reference/bench_data` (manifest.json), the
 * reference CSVs, and the big matrices that `make_big.mjs` regenerates into the OS temp folder
 * (bit for bit, sha256 checked against the manifest before any use).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Matrix } from '../src/core/math/matrix';

export const REFERENCE = resolve(import.meta.dirname, '../../shared/reference');
export const BIG_DIR = process.env.CLUSTERSCOPE_BENCH_DIR ?? join(tmpdir(), 'clusterscope-bench');

interface ManifestEntry {
  path: string;
  shape: [number, number];
  dtype: 'float64' | 'float32' | 'int32';
  sha256: string;
}
const manifest = (JSON.parse(readFileSync(join(REFERENCE, 'bench_data', 'manifest.json'), 'utf8')) as { files: Record<string, ManifestEntry> })
  .files;

/** Dataset names shared with bench/sklearn_bench.py, and the manifest entry or CSV behind each. */
const SOURCES: Record<string, { manifest: string } | { csv: string }> = {
  blobs5: { csv: 'blobs5.csv' },
  digits: { csv: 'digits.csv' },
  blobs100k: { manifest: 'blobs100k' },
  moons100k: { manifest: 'moons100k' },
  faces: { manifest: 'faces280x199' },
  mix784_f64: { manifest: 'mix784_f64' },
  mix784_f32: { manifest: 'mix784_f32' },
  mix64: { manifest: 'mix64_20k' },
};
const LABELS: Record<string, string> = { blobs100k_labels: 'blobs100k_labels', mix64_labels: 'mix64_20k_labels' };

const cache = new Map<string, Matrix>();

/** Whether a dataset needs the regenerated big files. */
export function isBig(name: string): boolean {
  const src = SOURCES[name];
  return !!src && 'manifest' in src && manifest[src.manifest].path.startsWith('big/');
}

/** Regenerates the big matrices when one is missing (~10 s, ~650 MB). */
export function ensureBigFiles(log: (s: string) => void): void {
  const missing = Object.values(manifest).filter((e) => e.path.startsWith('big/') && !existsSync(join(BIG_DIR, e.path.slice(4))));
  if (missing.length === 0) return;
  log(`regenerating ${missing.map((e) => e.path).join(', ')} into ${BIG_DIR} with make_big.mjs ...`);
  const r = spawnSync(process.execPath, [join(REFERENCE, 'make_big.mjs'), BIG_DIR], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`make_big.mjs failed (status ${r.status})`);
}

/** The raw bytes of a manifest entry, sha256-checked. */
function readChecked(key: string): Buffer {
  const e = manifest[key];
  const file = e.path.startsWith('big/') ? join(BIG_DIR, e.path.slice(4)) : join(REFERENCE, 'bench_data', e.path);
  const buf = readFileSync(file);
  const sha = createHash('sha256').update(buf).digest('hex');
  if (sha !== e.sha256) throw new Error(`${file}: sha256 ${sha} differs from the manifest's ${e.sha256}`);
  return buf;
}

/** A dataset as a row-major matrix (float32 data stays float32). */
export function load(name: string): Matrix {
  const hit = cache.get(name);
  if (hit) return hit;
  const src = SOURCES[name];
  if (!src) throw new Error(`unknown dataset ${name}`);
  let m: Matrix;
  if ('csv' in src) {
    const lines = readFileSync(join(REFERENCE, 'datasets', src.csv), 'utf8').trim().split('\n');
    const cols = lines[0].split(',').length - 1; // the last column is y
    const data = new Float64Array((lines.length - 1) * cols);
    for (let i = 1; i < lines.length; i++) {
      const cells = lines[i].split(',');
      for (let j = 0; j < cols; j++) data[(i - 1) * cols + j] = Number(cells[j]);
    }
    m = { rows: lines.length - 1, cols, data };
  } else {
    const e = manifest[src.manifest];
    const buf = readChecked(src.manifest);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    m = { rows: e.shape[0], cols: e.shape[1], data: e.dtype === 'float32' ? new Float32Array(ab) : new Float64Array(ab) };
  }
  cache.set(name, m);
  return m;
}

/** The first `n` rows of a dataset (a view), or all of it. */
export function prefix(name: string, n?: number): Matrix {
  const X = load(name);
  if (!n || n >= X.rows) return X;
  return { rows: n, cols: X.cols, data: X.data.subarray(0, n * X.cols) } as Matrix;
}

export function labels(name: string, n?: number): Int32Array {
  const buf = readChecked(LABELS[name]);
  const all = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return n ? all.subarray(0, n) : all;
}

const initRowsFile = JSON.parse(readFileSync(join(REFERENCE, 'bench_data', 'init_rows.json'), 'utf8')) as { rows: Record<string, number[]> };

/** `init_rows.json`'s rows for a key, if it has them. */
export function referenceInitRows(key: string): number[] | undefined {
  return initRowsFile.rows[key];
}

/** Rows of `X` at `indices` as nested arrays (the `init` of KMeans). */
export function rowsOf(X: Matrix, indices: readonly number[]): number[][] {
  return indices.map((i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
}

export function releaseData(name: string): void {
  cache.delete(name);
}
