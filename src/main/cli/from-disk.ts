/**
 * `clusterscope fit minibatch-kmeans <data> --from-disk`: MiniBatchKMeans on a table read in row
 * batches from the `.npy` or CSV file at every pass, so that data over the memory budget can be
 * clustered; memory is one batch, the centres and one label per row.
 *
 * How this differs from scikit-learn's `MiniBatchKMeans.fit` (and the in-memory `fit`), which
 * holds the whole array and draws every batch at random from it:
 * - The batches are the file's rows in order, `batchSize` at a time (the last one shorter), each
 *   row once per pass; every batch is one `partialFit` step. A file sorted by class or by time
 *   drags the centres along its order: shuffle its rows once beforehand.
 * - `maxIter` counts passes over the file (epochs), not `maxIter · n / batchSize` random batches.
 * - The `nInit` initialisations (k-means++ or random) are all drawn from the file's first
 *   `initSize` rows (default 3 · batchSize) and compared by their inertia on those same rows;
 *   scikit-learn draws each from its own random subset and compares them on another one.
 * - Early stopping follows scikit-learn's rule (the batch inertia smoothed over about half a pass,
 *   `maxNoImprovement` steps without a new minimum; `tol` on the squared centre shift of a step),
 *   but the batch inertia is measured after the step (what `partialFit` reports), not before, and
 *   `tol` is relative to the feature variance measured during the first pass, so it can stop the
 *   fit from the second pass on.
 * - Then a last pass labels every row with the final centres and sums the inertia, as `fit` does.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { MINIBATCH_DEFAULTS, MiniBatchKMeans, nearestCenters, type MiniBatchKMeansParams } from '../../core/cluster/kmeans';
import { initialCenters } from '../../core/cluster/kmeans/init';
import { DataError, ParameterError } from '../../core/errors';
import { matrix, type Matrix } from '../../core/math/matrix';
import { makeRandom } from '../../core/math/random';
import { openBatches, type BatchSource } from '../backend/importers/batches';
import { UsageError } from './args';
import { budgetBytesOf, progressReporter } from './common';
import { toJSON } from './json';

export interface FromDiskFit {
  model: MiniBatchKMeans;
  /** The cluster of every row, in file order, (nSamples). */
  labels: Int32Array;
  /** Sum of squared distances of every row to its centre. */
  inertia: number;
  /** Passes over the file made by the fit (the labelling pass not counted). */
  nIter: number;
  /** partialFit steps made. */
  nSteps: number;
  /** The fit stopped before `maxIter` passes (maxNoImprovement or tol). */
  stoppedEarly: boolean;
}

export interface FromDiskProgress {
  /** Fraction of the `maxIter` passes done (jumps to 1 when the fit stops early). */
  fit?: (fraction: number) => void;
  /** Fraction of the labelling pass done. */
  label?: (fraction: number) => void;
}

/** Fits MiniBatchKMeans on `source` pass after pass (see the module comment), then labels every row. */
export async function fitMiniBatchFromDisk(source: BatchSource, params: Partial<MiniBatchKMeansParams>, progress: FromDiskProgress = {}): Promise<FromDiskFit> {
  const p = { ...MINIBATCH_DEFAULTS, ...params };
  const { maxIter, maxNoImprovement, tol, nClusters: k, nInit } = p;
  const n = source.nSamples, d = source.nFeatures;
  for (const [name, v] of [['nClusters', k], ['maxIter', maxIter], ['nInit', nInit], ['initSize', p.initSize ?? 1]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new ParameterError(`${name} must be an integer >= 1, got ${v}`);
  }
  if (k > n) throw new DataError(`${source.file} has ${n} rows, fewer than the ${k} clusters asked for`);
  if (p.init !== 'k-means++' && p.init !== 'random') throw new ParameterError(`init must be 'k-means++' or 'random' with --from-disk, got ${JSON.stringify(p.init)}`);
  // scikit-learn's init_size rule: 3 · batch by default, at least 3 · k, at most n.
  let initSize = p.initSize ?? 3 * source.batchSize;
  if (initSize < k) initSize = 3 * k;
  const init = await bestInitialCenters(source, k, Math.min(initSize, n), p.init, nInit, p.randomState);
  const model = new MiniBatchKMeans({ ...params, batchSize: source.batchSize, init });

  // scikit-learn's smoothing weight: the batch's share of the data, doubled.
  const alpha = Math.min(1, (2 * source.batchSize) / (n + 1));
  let ewa: number | null = null;
  let ewaMin = Infinity;
  let noImprovement = 0;
  // The feature variance, for tol, gathered during the first pass (Chan's merge of batch moments).
  const stats = tol > 0 ? new ColumnMoments(d) : null;
  let tolAbs = 0;
  let before: Float64Array | null = null;

  let step = 0;
  let pass = 0;
  let stop = false;
  while (pass < maxIter && !stop) {
    let seen = 0;
    for await (const batch of source.batches((f) => progress.fit?.((pass + f) / maxIter))) {
      seen += batch.rows;
      if (seen > n) throw new DataError(`${source.file} changed while it was being read: it has more than the ${n} rows first counted`);
      if (tolAbs > 0) before = model.clusterCenters_.data.slice();
      model.partialFit(batch);
      if (pass === 0) stats?.add(batch);
      // The first step's inertia is that of the initialisation: no measure of progress.
      if (step > 0) {
        const inertia = model.inertia_ / batch.rows;
        ewa = ewa === null ? inertia : ewa * (1 - alpha) + inertia * alpha;
        if (before !== null && squaredShift(before, model.clusterCenters_.data) <= tolAbs) stop = true;
        if (ewa < ewaMin) {
          ewaMin = ewa;
          noImprovement = 0;
        } else {
          noImprovement++;
        }
        if (maxNoImprovement !== null && noImprovement >= maxNoImprovement) stop = true;
      }
      step++;
      // Leaving the loop closes the file.
      if (stop) break;
    }
    if (!stop && seen !== n) throw new DataError(`${source.file} changed while it was being read: ${seen} rows in pass ${pass + 1}, ${n} first counted`);
    if (pass === 0 && stats !== null) tolAbs = stats.meanVariance() * tol;
    pass++;
  }
  progress.fit?.(1);

  const labels = new Int32Array(n);
  let inertia = 0;
  let offset = 0;
  for await (const batch of source.batches(progress.label)) {
    if (offset + batch.rows > n) throw new DataError(`${source.file} changed while it was being read: it has more than the ${n} rows first counted`);
    const r = nearestCenters(batch, model.clusterCenters_);
    labels.set(r.labels, offset);
    inertia += r.inertia;
    offset += batch.rows;
  }
  if (offset !== n) throw new DataError(`${source.file} changed while it was being read: ${offset} rows in the last pass, ${n} first counted`);
  model.labels_ = labels;
  model.inertia_ = inertia;
  model.nIter_ = pass;
  return { model, labels, inertia, nIter: pass, nSteps: step, stoppedEarly: stop };
}

/** `fit minibatch-kmeans <path> --from-disk`: checks what does not combine with it, fits, prints the JSON of `fit`. */
export async function fitFromDiskCommand(algorithm: string, path: string, params: Record<string, unknown>, options: Record<string, unknown>): Promise<string> {
  if (algorithm !== 'minibatch-kmeans') throw new UsageError(`--from-disk applies to minibatch-kmeans (K-Means by mini-batches), not ${algorithm}`);
  if (options.metrics !== undefined) throw new UsageError('--metrics needs the whole matrix in memory: it does not combine with --from-disk');
  if (options.labels !== undefined) throw new UsageError('--labels serves --metrics, which --from-disk does not compute');
  if (options.imageSize || options.colour || options.resize) throw new UsageError('--from-disk reads a .npy or CSV file, not a folder of images');
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`${path}: no such file`);
  }
  const ext = extname(path).toLowerCase();
  if (isDirectory || !['.npy', '.csv', '.tsv', '.txt'].includes(ext)) throw new UsageError(`--from-disk reads a .npy or a CSV/TSV file, not ${isDirectory ? 'a folder' : `'${ext || '(no extension)'}'`}`);
  if (ext === '.npy' && options.labelColumn !== undefined) throw new UsageError('--label-column applies to CSV files');

  const quiet = Boolean(options.quiet);
  const source = await openBatches(path, {
    batchSize: (params.batchSize as number | undefined) ?? MINIBATCH_DEFAULTS.batchSize,
    budgetBytes: budgetBytesOf(options),
    labelColumn: options.labelColumn as string | undefined,
    onInspectProgress: progressReporter(quiet, 'reading the columns'),
  });
  const given = params.randomState;
  const randomState = typeof given === 'number' ? given : Math.floor(Math.random() * 2147483647);
  const fit = await fitMiniBatchFromDisk(source, { ...params, randomState }, {
    fit: progressReporter(quiet, 'fitting from disk'),
    label: progressReporter(quiet, 'labelling'),
  });
  const centers: Matrix<Float64Array> = fit.model.clusterCenters_;
  return toJSON({
    algorithm: 'minibatch-kmeans',
    nSamples: source.nSamples,
    nFeatures: source.nFeatures,
    params: { ...params, randomState },
    labels: fit.labels,
    centers,
    nClusters: centers.rows,
    inertia: fit.inertia,
    nIter: fit.nIter,
    nSteps: fit.nSteps,
    fromDisk: { format: source.format, batchSize: source.batchSize, batchesPerPass: Math.ceil(source.nSamples / source.batchSize), stoppedEarly: fit.stoppedEarly },
  });
}

/**
 * The best of `nInit` initialisations drawn from the first `m` rows of the file, by their inertia
 * on those rows, as rows of centres (the explicit `init` of the model).
 */
async function bestInitialCenters(source: BatchSource, k: number, m: number, init: 'k-means++' | 'random', nInit: number, randomState: number | undefined): Promise<number[][]> {
  const d = source.nFeatures;
  const sample = matrix(m, d, new Float64Array(m * d));
  let got = 0;
  for await (const batch of source.batches()) {
    const take = Math.min(batch.rows, m - got);
    sample.data.set(batch.data.subarray(0, take * d), got * d);
    got += take;
    if (got === m) break;
  }
  if (got < m) throw new DataError(`${source.file} changed while it was being read: fewer than the ${m} rows first counted`);
  const rng = makeRandom(randomState);
  let best: Float64Array | null = null;
  let bestInertia = Infinity;
  for (let r = 0; r < nInit; r++) {
    const c = initialCenters(sample, k, init, rng);
    const inertia = nearestCenters(sample, matrix(k, d, c)).inertia;
    if (best === null || inertia < bestInertia) {
      best = c;
      bestInertia = inertia;
    }
  }
  return Array.from({ length: k }, (_, j) => Array.from(best!.subarray(j * d, (j + 1) * d)));
}

/** Sum of squared differences of two centre arrays. */
function squaredShift(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** Per-column count, mean and sum of squared deviations, merged batch by batch (Chan et al.). */
class ColumnMoments {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly bMean: Float64Array;
  private readonly bM2: Float64Array;

  constructor(private readonly d: number) {
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(d);
    this.bMean = new Float64Array(d);
    this.bM2 = new Float64Array(d);
  }

  add(X: Matrix): void {
    const { d, bMean, bM2 } = this;
    const nb = X.rows, data = X.data;
    bMean.fill(0);
    bM2.fill(0);
    for (let i = 0; i < nb; i++) for (let t = 0; t < d; t++) bMean[t] += data[i * d + t] / nb;
    for (let i = 0; i < nb; i++) for (let t = 0; t < d; t++) bM2[t] += (data[i * d + t] - bMean[t]) ** 2;
    const total = this.n + nb;
    for (let t = 0; t < d; t++) {
      const delta = bMean[t] - this.mean[t];
      this.m2[t] += bM2[t] + (delta * delta * this.n * nb) / total;
      this.mean[t] += (delta * nb) / total;
    }
    this.n = total;
  }

  /** The mean over the columns of their population variance (numpy's var, ddof 0). */
  meanVariance(): number {
    let s = 0;
    for (let t = 0; t < this.d; t++) s += this.m2[t] / this.n;
    return s / this.d;
  }
}
