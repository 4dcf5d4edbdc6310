/**
 * The geometry views' analyses, run in the worker (types in src/shared/analyses/geometry.ts):
 * predictions on a grid of the view's plane (decision regions, mixture densities), the k-distance
 * curve of DBSCAN, Lloyd's iterations step by step, and the colour segmentation of an image.
 *
 * Grids are predicted in blocks of rows: a block of grid points is lifted from the plane to the
 * feature space into one reused buffer and handed to the estimator's own predict, so a 500 × 500
 * grid needs no 250,000-row matrix and no per-point object.
 */
import { DataError, ParameterError } from '../../../core/errors';
import { checkMatrix, columnMeans, matrix, takeRows, type Matrix } from '../../../core/math/matrix';
import { makeRandom } from '../../../core/math/random';
import { checkInt, checkNumber, checkOneOf, checkRandomState } from '../../../core/validate';
import { KMeans, kmeansPlusPlusIndices, kmeansSteps, nearestCenters, randomIndices } from '../../../core/cluster/kmeans';
import { centersFromRows } from '../../../core/cluster/kmeans/init';
import { BayesianGaussianMixture, GaussianMixture, type BaseMixture, type MixtureParams } from '../../../core/cluster/mixture';
import { DBSCAN, fitCoreClassifier } from '../../../core/cluster/dbscan';
import { KNeighborsClassifier, buildNeighborIndex } from '../../../core/neighbors';
import type { EstimatorJSON } from '../../../core/base';
import {
  MAX_GRID_SIDE,
  MAX_STEP_LABELS,
  type BoundariesParams,
  type BoundariesResult,
  type CovarianceTypeName,
  type DensityResult,
  type GeometryAnalyses,
  type GridSpec,
  type KDistanceResult,
  type KMeansStepsParams,
  type KMeansStepsResult,
  type KMeansTrajectory,
  type MixtureCompareParams,
  type MixtureCompareResult,
  type Plane,
  type SegmentParams,
  type SegmentResult,
} from '../../../shared/analyses/geometry';
import type { AnalysisInput } from '../../../shared/jobs';
import type { AnalysisImpl } from './types';

type Progress = (fraction: number, message?: string) => void;

export const GEOMETRY_ANALYSES: { [K in keyof GeometryAnalyses]: AnalysisImpl<K> } = {
  boundaries: (input, params, onProgress) => predictRegions(input, params, onProgress),
  density: (input, params, onProgress) => {
    const run = requireRun(input, 'density');
    if (run.algorithm !== 'gmm' && run.algorithm !== 'bgmm') {
      throw new ParameterError(`the density view needs a Gaussian mixture run, not ${run.algorithm}`);
    }
    const plane = checkPlane(params.plane, input.X.cols);
    const grid = checkGrid(params.grid);
    return mixtureGrid(restoreMixture(run.algorithm, run.model), plane, grid, onProgress);
  },
  'mixture-compare': (input, params, onProgress) => compareCovarianceTypes(input.X, params, onProgress),
  kdistance: (input, params, onProgress) => kDistances(input.X, checkInt('k', params.k, 1, input.X.rows), onProgress),
  'kmeans-steps': (input, params, onProgress) => stepThrough(input.X, params, onProgress),
  segment: (input, params, onProgress) => segmentColours(input.X, params, onProgress),
};

// ── Planes and grids ─────────────────────────────────────────────────────────────────────────

/** Validates a plane of `d` features: finite origin and two orthonormal axes. */
export function checkPlane(plane: unknown, d: number): Plane {
  const p = plane as Partial<Plane> | null;
  if (!p || typeof p !== 'object' || !Array.isArray(p.origin) || !Array.isArray(p.axes) || p.axes.length !== 2) {
    throw new ParameterError('plane must be {origin: number[], axes: [number[], number[]]}');
  }
  const vec = (v: unknown, name: string): number[] => {
    if (!Array.isArray(v) || v.length !== d || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new ParameterError(`plane ${name} must be ${d} finite numbers (one per feature)`);
    }
    return v as number[];
  };
  const origin = vec(p.origin, 'origin');
  const a = vec(p.axes[0], 'axis 1'), b = vec(p.axes[1], 'axis 2');
  const dot = (u: number[], v: number[]): number => u.reduce((s, x, i) => s + x * v[i], 0);
  if (Math.abs(dot(a, a) - 1) > 1e-6 || Math.abs(dot(b, b) - 1) > 1e-6 || Math.abs(dot(a, b)) > 1e-6) {
    throw new ParameterError('plane axes must be orthonormal (unit length, at right angles)');
  }
  return { origin, axes: [a, b] };
}

export function checkGrid(grid: unknown): GridSpec {
  const g = grid as Partial<GridSpec> | null;
  if (!g || typeof g !== 'object' || !g.extent) throw new ParameterError('grid must be {extent: {x0, x1, y0, y1}, nx, ny}');
  const nx = checkInt('grid nx', g.nx, 2, MAX_GRID_SIDE);
  const ny = checkInt('grid ny', g.ny, 2, MAX_GRID_SIDE);
  const e = g.extent;
  const x0 = checkNumber('grid x0', e.x0), x1 = checkNumber('grid x1', e.x1);
  const y0 = checkNumber('grid y0', e.y0), y1 = checkNumber('grid y1', e.y1);
  if (!(x1 > x0) || !(y1 > y0)) throw new ParameterError(`the grid extent must have x1 > x0 and y1 > y0, got x ${x0}..${x1}, y ${y0}..${y1}`);
  return { extent: { x0, x1, y0, y1 }, nx, ny };
}

/** Rows of grid cells lifted to the feature space per block. */
const BLOCK = 8192;

/**
 * Visits the grid in blocks: `fn(block, start)` gets the feature vectors of cells
 * start..start + block.rows − 1 (row-major order) in a buffer reused from block to block.
 */
export function forEachGridBlock(plane: Plane, grid: GridSpec, fn: (block: Matrix<Float64Array>, start: number) => void, onProgress?: Progress): void {
  const { nx, ny } = grid;
  const { x0, x1, y0, y1 } = grid.extent;
  const d = plane.origin.length;
  const total = nx * ny;
  const dx = (x1 - x0) / nx, dy = (y1 - y0) / ny;
  const [a, b] = plane.axes;
  const origin = plane.origin;
  const is2d = d === 2 && a[0] === 1 && a[1] === 0 && b[0] === 0 && b[1] === 1 && origin[0] === 0 && origin[1] === 0;
  const buf = new Float64Array(Math.min(BLOCK, total) * d);
  for (let start = 0; start < total; start += BLOCK) {
    const end = Math.min(total, start + BLOCK);
    for (let c = start; c < end; c++) {
      const u = x0 + ((c % nx) + 0.5) * dx;
      const v = y0 + (Math.floor(c / nx) + 0.5) * dy;
      const o = (c - start) * d;
      if (is2d) {
        buf[o] = u;
        buf[o + 1] = v;
      } else {
        for (let t = 0; t < d; t++) buf[o + t] = origin[t] + u * a[t] + v * b[t];
      }
    }
    fn(matrix(end - start, d, end - start === buf.length / d ? buf : buf.subarray(0, (end - start) * d)), start);
    onProgress?.(end / total, 'predicting the grid');
  }
}

/** Coordinates of feature-space points in the plane, (k, 2): (p − origin) · axes. */
export function toPlane(plane: Plane, points: Matrix): Float64Array {
  const d = points.cols, out = new Float64Array(points.rows * 2);
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < 2; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (points.data[i * d + t] - plane.origin[t]) * plane.axes[j][t];
      out[2 * i + j] = s;
    }
  }
  return out;
}

function distinct(labels: Int32Array): number[] {
  return [...new Set(labels)].sort((p, q) => p - q);
}

// ── Decision regions ─────────────────────────────────────────────────────────────────────────

type Run = NonNullable<AnalysisInput['run']>;

function requireRun(input: AnalysisInput, what: string): Run {
  if (!input.run) throw new ParameterError(`the ${what} analysis is about a clustering: choose a run`);
  if (input.run.labels.length !== input.X.rows) throw new DataError(`the run labels ${input.run.labels.length} samples but the dataset has ${input.X.rows}`);
  return input.run;
}

/** A label for any point of the feature space, and how it is obtained in words. */
export interface Predictor {
  describe: string;
  predict(block: Matrix): Int32Array;
}

function restoreMixture(algorithm: string, model: unknown): BaseMixture<MixtureParams, unknown> {
  const json = model as EstimatorJSON;
  return (algorithm === 'gmm' ? GaussianMixture.fromJSON(json) : BayesianGaussianMixture.fromJSON(json)) as unknown as BaseMixture<MixtureParams, unknown>;
}

/** The predictor of a run: its estimator's own rule where it has one, else the chosen nearest rule. */
export function predictorOf(input: AnalysisInput, params: Pick<BoundariesParams, 'rule' | 'neighbors' | 'anomalies'>): Predictor {
  const run = requireRun(input, 'boundaries');
  switch (run.algorithm) {
    case 'kmeans':
    case 'minibatch-kmeans': {
      if (!run.centers) throw new DataError('this K-Means run has no centres');
      const c = run.centers;
      const centers = matrix(c.rows, c.cols, Float64Array.from(c.data));
      return { describe: 'nearest centroid (Voronoi cells)', predict: (b) => nearestCenters(b, centers).labels };
    }
    case 'gmm':
    case 'bgmm': {
      const gm = restoreMixture(run.algorithm, run.model);
      return { describe: 'most probable component (predict)', predict: (b) => gm.predict(b) };
    }
    case 'dbscan': {
      const db = DBSCAN.fromJSON(run.model as EstimatorJSON);
      const neighbors = checkInt('neighbors', params.neighbors ?? 50, 1);
      const anomalies = params.anomalies ?? true;
      const knn = fitCoreClassifier(db, { nNeighbors: neighbors });
      const eps = db.params.eps;
      const describe = `vote of the ${neighbors} nearest core samples${anomalies ? `; farther than eps = ${eps} from every core sample: anomaly` : ''}`;
      if (!knn) return { describe: 'no core samples: everything is an anomaly', predict: (b) => new Int32Array(b.rows).fill(-1) };
      return {
        describe,
        // dbscanPredict's labels, cheaper: the nearest core sample first, then the vote of the
        // nearest `neighbors` only for points within eps of one (the others are anomalies anyway).
        predict: (b) => {
          if (!anomalies) return knn.predict(b);
          const nearest = knn.kneighbors(b, 1).distances.data;
          const labels = new Int32Array(b.rows).fill(-1);
          const near: number[] = [];
          for (let i = 0; i < b.rows; i++) if (nearest[i] <= eps) near.push(i);
          if (near.length === 0) return labels;
          const votes = knn.predict(near.length === b.rows ? b : takeRows(b, near));
          near.forEach((row, j) => (labels[row] = votes[j]));
          return labels;
        },
      };
    }
    case 'agglomerative':
    case 'spectral': {
      const rule = checkOneOf('rule', params.rule ?? 'nearest-point', ['nearest-point', 'nearest-mean'] as const);
      if (rule === 'nearest-mean') {
        const { centers, labelOf } = clusterMeans(input.X, run.labels);
        return { describe: 'nearest cluster mean', predict: (b) => Int32Array.from(nearestCenters(b, centers).labels, (j) => labelOf[j]) };
      }
      const knn = new KNeighborsClassifier({ nNeighbors: 1 }).fit(input.X, run.labels);
      return { describe: 'label of the nearest training sample', predict: (b) => knn.predict(b) };
    }
    default:
      throw new ParameterError(`no decision regions for the algorithm '${run.algorithm}'`);
  }
}

/** Mean of every cluster (noise left out), (nClusters, nFeatures), and the label of each row. */
export function clusterMeans(X: Matrix, labels: Int32Array): { centers: Matrix<Float64Array>; labelOf: Int32Array } {
  const labelOf = Int32Array.from(distinct(labels).filter((l) => l >= 0));
  if (labelOf.length === 0) throw new DataError('the run has no cluster (every sample is noise)');
  const row = new Map<number, number>();
  labelOf.forEach((l, i) => row.set(l, i));
  const d = X.cols, sums = new Float64Array(labelOf.length * d), counts = new Float64Array(labelOf.length);
  for (let i = 0; i < X.rows; i++) {
    const r = row.get(labels[i]);
    if (r === undefined) continue;
    counts[r]++;
    for (let t = 0; t < d; t++) sums[r * d + t] += X.data[i * d + t];
  }
  for (let r = 0; r < labelOf.length; r++) for (let t = 0; t < d; t++) sums[r * d + t] /= counts[r];
  return { centers: matrix(labelOf.length, d, sums), labelOf };
}

export function predictRegions(input: AnalysisInput, params: BoundariesParams, onProgress: Progress): BoundariesResult {
  const plane = checkPlane(params.plane, input.X.cols);
  const grid = checkGrid(params.grid);
  const predictor = predictorOf(input, params);
  const labels = new Int32Array(grid.nx * grid.ny);
  const t0 = performance.now();
  forEachGridBlock(plane, grid, (block, start) => labels.set(predictor.predict(block), start), onProgress);
  const computeMs = performance.now() - t0;
  return { grid, labels, present: distinct(labels), predictor: predictor.describe, computeMs };
}

// ── Mixture densities ────────────────────────────────────────────────────────────────────────

export function mixtureGrid(gm: BaseMixture<MixtureParams, unknown>, plane: Plane, grid: GridSpec, onProgress?: Progress): DensityResult {
  const total = grid.nx * grid.ny;
  const nll = new Float64Array(total), labels = new Int32Array(total);
  const t0 = performance.now();
  forEachGridBlock(
    plane,
    grid,
    (block, start) => {
      const s = gm.scoreSamples(block);
      for (let i = 0; i < s.length; i++) nll[start + i] = -s[i];
      labels.set(gm.predict(block), start);
    },
    onProgress,
  );
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < total; i++) {
    const v = nll[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    grid,
    nll,
    labels,
    min,
    max,
    weights: Float64Array.from(gm.weights_),
    means: toPlane(plane, gm.means_),
    computeMs: performance.now() - t0,
  };
}

const CHAPTER_COVARIANCE_ORDER: CovarianceTypeName[] = ['full', 'tied', 'spherical', 'diag'];

export function compareCovarianceTypes(X: Matrix, params: MixtureCompareParams, onProgress: Progress): MixtureCompareResult {
  const plane = checkPlane(params.plane, X.cols);
  const grid = checkGrid(params.grid);
  const k = checkInt('nComponents', params.nComponents, 1, X.rows);
  const nInit = checkInt('nInit', params.nInit ?? 10, 1, 100);
  const randomState = checkRandomState(params.randomState) ?? 42;
  const types = params.covarianceTypes ?? CHAPTER_COVARIANCE_ORDER;
  if (!Array.isArray(types) || types.length === 0) throw new ParameterError('covarianceTypes must list at least one covariance type');
  for (const t of types) checkOneOf('covarianceType', t, CHAPTER_COVARIANCE_ORDER);
  const share = 1 / types.length;
  const panels = types.map((covarianceType, i) => {
    const report = (f: number, what: string): void => onProgress((i + f) * share, `${covarianceType}: ${what}`);
    const gm = new GaussianMixture({ nComponents: k, covarianceType, nInit, randomState });
    gm.fit(X, null, { onProgress: (f) => report(0.8 * f, 'fitting') });
    const g = mixtureGrid(gm as unknown as BaseMixture<MixtureParams, unknown>, plane, grid, (f) => report(0.8 + 0.2 * f, 'density grid'));
    return {
      covarianceType,
      bic: gm.bic(X),
      aic: gm.aic(X),
      converged: gm.converged_,
      nIter: gm.nIter_,
      weights: g.weights,
      means: g.means,
      nll: g.nll,
      labels: g.labels,
      min: g.min,
      max: g.max,
    };
  });
  return { grid, nComponents: k, nInit, randomState, panels };
}

// ── DBSCAN's k-distance ──────────────────────────────────────────────────────────────────────

/**
 * Squared distance of every row to its k-th nearest row (itself first). The neighbour comes
 * from the index; the distance is summed again in feature order, the very sum DBSCAN compares
 * with eps², so "core for eps" is exactly `squared[i] <= eps * eps`.
 */
export function kDistances(X: Matrix, k: number, onProgress: Progress): KDistanceResult {
  checkMatrix(X, { minSamples: k });
  const n = X.rows, d = X.cols, data = X.data;
  const index = buildNeighborIndex(X);
  const squared = new Float64Array(n);
  const step = 4096;
  for (let start = 0; start < n; start += step) {
    const end = Math.min(n, start + step);
    const Q = { rows: end - start, cols: d, data: data.subarray(start * d, end * d) } as Matrix;
    const { indices } = index.kneighbors(Q, k);
    for (let i = start; i < end; i++) {
      const j = indices[(i - start) * k + k - 1];
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t] - data[j * d + t];
        s += diff * diff;
      }
      squared[i] = s;
    }
    onProgress(end / n, 'nearest neighbours');
  }
  const sorted = Float64Array.from(squared, Math.sqrt).sort();
  return { k, squared, sorted };
}

// ── K-Means step by step ─────────────────────────────────────────────────────────────────────

export function stepThrough(X: Matrix, params: KMeansStepsParams, onProgress: Progress): KMeansStepsResult {
  const k = checkInt('nClusters', params.nClusters, 1, X.rows);
  const init = checkOneOf('init', params.init ?? 'random', ['random', 'k-means++'] as const);
  if (!Array.isArray(params.seeds) || params.seeds.length < 1 || params.seeds.length > 4) throw new ParameterError('seeds must list 1 to 4 seeds');
  const seeds = params.seeds.map((s) => checkRandomState(s)!);
  const maxIter = checkInt('maxIter', params.maxIter ?? 300, 1, 10_000);
  const tol = checkNumber('tol', params.tol ?? 1e-4, 0);
  checkMatrix(X, { minSamples: k });
  const n = X.rows, d = X.cols;
  const maxAssign = Math.max(1, Math.floor(MAX_STEP_LABELS / n));
  const origin = columnMeans(X);
  const runs = seeds.map((seed, r): KMeansTrajectory => {
    // The same draws as KMeans({init, nInit: 1, randomState: seed}): its trajectory ends where that fit does.
    const rng = makeRandom(seed);
    const rows = init === 'random' ? randomIndices(n, k, rng) : kmeansPlusPlusIndices(X, k, rng, undefined, origin);
    const phase: number[] = [], iteration: number[] = [], inertia: number[] = [], changed: number[] = [], labelRow: number[] = [];
    const centers: Float64Array[] = [], labels: Int32Array[] = [];
    let complete = false, nIter = 0, finalInertia = NaN;
    for (const step of kmeansSteps(X, centersFromRows(X, rows), { maxIter, tol })) {
      if (step.phase === 'assign') {
        if (labels.length === maxAssign) break;
        labels.push(step.labels);
      }
      phase.push(step.phase === 'assign' ? 0 : 1);
      iteration.push(step.iteration);
      inertia.push(step.inertia);
      changed.push(step.changed);
      labelRow.push(labels.length - 1);
      centers.push(step.centers.data);
      nIter = Math.max(nIter, step.phase === 'update' ? step.iteration : 0);
      finalInertia = step.inertia;
      onProgress((r + Math.min(1, step.iteration / maxIter)) / seeds.length, `seed ${seed}: iteration ${step.iteration}`);
      if (step.done) complete = true;
    }
    const allLabels = new Int32Array(labels.length * n);
    labels.forEach((l, i) => allLabels.set(l, i * n));
    const allCenters = new Float64Array(centers.length * k * d);
    centers.forEach((c, i) => allCenters.set(c, i * k * d));
    return {
      seed,
      initialRows: rows,
      nSteps: phase.length,
      phase: Uint8Array.from(phase),
      iteration: Int32Array.from(iteration),
      inertia: Float64Array.from(inertia),
      changed: Int32Array.from(changed),
      centers: allCenters,
      labels: allLabels,
      labelRow: Int32Array.from(labelRow),
      nIter,
      complete,
      finalInertia,
    };
  });
  return { nClusters: k, nFeatures: d, nSamples: n, runs };
}

// ── Image segmentation ───────────────────────────────────────────────────────────────────────

export function segmentColours(X: Matrix, params: SegmentParams, onProgress: Progress): SegmentResult {
  if (X.cols !== 3) throw new ParameterError(`segmentation clusters the colours of an image: the dataset must have 3 columns (red, green, blue), this one has ${X.cols}`);
  checkMatrix(X);
  if (!Array.isArray(params.ks) || params.ks.length === 0 || params.ks.length > 12) throw new ParameterError('ks must list 1 to 12 numbers of colours');
  const ks = params.ks.map((k) => checkInt('k', k, 1, 255));
  const randomState = checkRandomState(params.randomState) ?? 42;
  const nInit = checkInt('nInit', params.nInit ?? 10, 1, 100);
  const n = X.rows;
  const sampleSize = params.sampleSize === undefined || params.sampleSize === 0 ? n : checkInt('sampleSize', params.sampleSize, 1);
  const fitX = sampleSize < n ? takeRows(X, makeRandom(randomState).sample(n, sampleSize).sort()) : X;
  for (const k of ks) if (k > fitX.rows) throw new ParameterError(`k = ${k} colours need at least ${k} pixels to fit on, got ${fitX.rows}`);
  const segments = ks.map((k, i) => {
    const report = (f: number, what: string): void => onProgress((i + f) / ks.length, `${k} colours (${i + 1} of ${ks.length}): ${what}`);
    const km = new KMeans({ nClusters: k, nInit, randomState }).fit(fitX, null, { onProgress: (f) => report(0.9 * f, 'K-Means') });
    const { labels, inertia } = nearestCenters(X, km.clusterCenters_);
    report(1, 'done');
    return { k, palette: Float64Array.from(km.clusterCenters_.data), labels: Uint8Array.from(labels), inertia, nIter: km.nIter_ };
  });
  return { nPixels: n, fittedOn: fitX.rows, segments };
}
