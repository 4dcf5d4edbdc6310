/**
 * Anomalies as DBSCAN noise (the chapter's DBSCAN section): a sample is noise when no core sample
 * lies within `eps` of it. The score that ranks them is the distance to the nearest core sample
 * (0 for core samples, at most eps for border samples, above eps for noise), so the default
 * threshold eps flags exactly the noise, and rows left out of the fit are judged the way the
 * chapter predicts new points (an anomaly when the nearest core sample is farther than eps).
 */
import { checkEstimatorJSON, type EstimatorJSON } from '../base';
import { DataError } from '../errors';
import type { Matrix } from '../math/matrix';
import { DBSCAN, type DBSCANAlgorithm } from '../cluster/dbscan/dbscan';
import { PCA } from '../decomposition/pca';
import { buildNeighborIndex } from '../neighbors/search';
import { AnomalyDetector, checkComponents, fittedPart, reductionFor, type DetectorFitOptions, type DetectorSummary } from './detector';
import type { ThresholdParams } from './threshold';
import { checkInt, checkNumber, checkOneOf } from '../validate';

export interface NoiseDetectorParams extends ThresholdParams {
  /** Neighbourhood radius (inclusive). Default 0.5 (scikit-learn's). */
  eps: number;
  /** Neighbours within eps (itself included) that make a core sample. Default 5. */
  minSamples: number;
  algorithm: DBSCANAlgorithm;
  leafSize: number;
  /** Project on principal components first (ratio in (0, 1) or count); undefined: no projection. */
  pcaVariance?: number;
}

export const NOISE_DEFAULTS: Readonly<NoiseDetectorParams> = Object.freeze({
  eps: 0.5,
  minSamples: 5,
  algorithm: 'auto',
  leafSize: 30,
  pcaVariance: undefined,
  percentile: undefined,
  threshold: undefined,
});

const JSON_VERSION = 1;

export class NoiseDetector extends AnomalyDetector<NoiseDetectorParams> {
  readonly method = 'dbscan' as const;
  dbscan_?: DBSCAN;
  pca_: PCA | null = null;
  /**
   * Cluster of every scored sample, −1 for noise: DBSCAN's labels for the fitted rows, the
   * nearest core sample's cluster (or −1 beyond eps) for the others, (nSamples).
   */
  labels_?: Int32Array;

  constructor(params: Partial<NoiseDetectorParams> = {}) {
    super({ ...NOISE_DEFAULTS, ...params });
  }

  protected checkParams(): void {
    const p = this.params;
    // DBSCAN's own rules, checked before any projection is computed.
    checkNumber('eps', p.eps, 0, Infinity, { minExclusive: true });
    checkInt('minSamples', p.minSamples, 1);
    checkOneOf('algorithm', p.algorithm, ['auto', 'grid', 'kd_tree', 'brute']);
    checkInt('leafSize', p.leafSize, 1);
    if (p.pcaVariance !== undefined && p.pcaVariance !== null) checkComponents('pcaVariance', p.pcaVariance);
  }

  private dbscanParams(): Partial<DBSCAN['params']> {
    const p = this.params;
    return { eps: p.eps, minSamples: p.minSamples, algorithm: p.algorithm, leafSize: p.leafSize };
  }

  protected learn(X: Matrix, rows: Int32Array | null, opts: DetectorFitOptions): Float64Array {
    const p = this.params;
    const reduce = p.pcaVariance !== undefined && p.pcaVariance !== null;
    const pca = reduce ? reductionFor(X, rows, p.pcaVariance!, opts.reduction, (f) => opts.onProgress?.(0.4 * f)) : null;
    const Z = pca ? this.projectOn(pca, X) : X;
    const start = reduce ? 0.4 : 0;
    const dbscan = new DBSCAN(this.dbscanParams()).fit(fittedPart(Z, rows), null, { onProgress: (f) => opts.onProgress?.(start + (0.8 - start) * f) });
    if (dbscan.coreSampleIndices_!.length === 0) {
      throw new DataError(`DBSCAN found no core samples (eps ${p.eps}, minSamples ${p.minSamples}): every sample would be noise; raise eps or lower minSamples`);
    }
    this.dbscan_ = dbscan;
    this.pca_ = pca;
    const { distance, cluster } = this.nearestCore(Z);
    const fitted = dbscan.labels_!;
    const eps = p.eps;
    // Fitted rows: DBSCAN's own neighbourhood test (Σ (x − y)² ≤ eps², summed in feature order)
    // decides noise; the nearest-core distance may come from another kernel (brute force expands
    // ‖x‖² − 2x·y + ‖y‖²) and disagree with it by rounding at the boundary. Clamping keeps
    // "score > eps" exactly "noise" without moving any score by more than that rounding.
    if (rows) {
      for (let r = 0; r < rows.length; r++) clampFitted(rows[r], fitted[r], distance, cluster, eps);
    } else {
      for (let i = 0; i < fitted.length; i++) clampFitted(i, fitted[i], distance, cluster, eps);
    }
    this.labels_ = cluster;
    return distance;
  }

  protected defaultThreshold(): number {
    return this.params.eps;
  }

  /** Distance of each sample to the nearest core sample, (nSamples). */
  scoreSamples(X: Matrix): Float64Array {
    this.checkFitted();
    return this.nearestCore(this.pca_ ? this.projectOn(this.pca_, X) : X).distance;
  }

  /** The nearest core sample's distance and cluster (−1 beyond eps) for every row of Z. */
  private nearestCore(Z: Matrix): { distance: Float64Array; cluster: Int32Array } {
    const dbscan = this.dbscan_!;
    const core = dbscan.components_!;
    const index = buildNeighborIndex(core, { algorithm: dbscan.params.algorithm === 'grid' ? 'auto' : dbscan.params.algorithm, leafSize: dbscan.params.leafSize });
    const { distances, indices } = index.kneighbors(Z, 1);
    const distance = distances.data;
    const cluster = new Int32Array(Z.rows);
    const labels = dbscan.labels_!, coreRows = dbscan.coreSampleIndices_!;
    for (let i = 0; i < Z.rows; i++) cluster[i] = distance[i] <= this.params.eps ? labels[coreRows[indices[i]]] : -1;
    return { distance, cluster };
  }

  summary(): DetectorSummary {
    this.checkFitted();
    const d = this.dbscan_!;
    const clusters = new Set<number>();
    let noise = 0;
    for (const l of d.labels_!) {
      if (l < 0) noise++;
      else clusters.add(l);
    }
    return {
      eps: this.params.eps,
      minSamples: this.params.minSamples,
      nClusters: clusters.size,
      nCore: d.coreSampleIndices_!.length,
      nNoise: noise,
      ...(this.pca_ ? { pcaComponents: this.pca_.nComponents_ } : {}),
    };
  }

  toJSON(): EstimatorJSON<NoiseDetectorParams> {
    return {
      estimator: 'NoiseDetector',
      version: JSON_VERSION,
      params: { ...this.params },
      fitted: this.scores_
        ? { ...this.baseFittedJSON(), dbscan_: this.dbscan_!.toJSON(), pca_: this.pca_ ? this.pca_.toJSON() : null, labels_: Array.from(this.labels_!) }
        : null,
    };
  }

  static fromJSON(j: EstimatorJSON): NoiseDetector {
    checkEstimatorJSON(j, 'NoiseDetector', JSON_VERSION);
    const e = new NoiseDetector(j.params as Partial<NoiseDetectorParams>);
    const f = j.fitted;
    if (f) {
      e.restoreBaseJSON(f);
      e.dbscan_ = DBSCAN.fromJSON(f.dbscan_ as EstimatorJSON);
      e.pca_ = f.pca_ ? PCA.fromJSON(f.pca_ as EstimatorJSON) : null;
      if (!Array.isArray(f.labels_)) throw new DataError('saved NoiseDetector: labels_ missing');
      e.labels_ = Int32Array.from(f.labels_ as number[]);
    }
    return e;
  }
}

/** Makes a fitted row's score agree with DBSCAN's verdict (see `learn`). */
function clampFitted(row: number, label: number, distance: Float64Array, cluster: Int32Array, eps: number): void {
  if (label < 0) {
    // The next float above eps (eps > 0): (1 + 2⁻⁵²)·eps rounds up past eps.
    if (distance[row] <= eps) distance[row] = eps * (1 + Number.EPSILON);
    cluster[row] = -1;
  } else {
    if (distance[row] > eps) distance[row] = eps;
    cluster[row] = label;
  }
}
