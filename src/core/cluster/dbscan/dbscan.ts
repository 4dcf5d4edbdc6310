/**
 * DBSCAN (scikit-learn's `sklearn.cluster.DBSCAN`): clusters are regions where points have at
 * least `minSamples` neighbours within `eps` (the point itself counted); everything else is
 * noise (−1). Labels, core samples and the assignment of border points reachable from several
 * clusters match scikit-learn 1.2 exactly (see kernels.ts for the rule).
 *
 * Neighbour search: a fine grid for 1 to 3 features (no O(n²) work, no stored neighbourhoods),
 * a KD-tree up to 15 features, brute force above — the same switch points as scikit-learn's.
 */
import {
  checkEstimatorJSON,
  decodeArray,
  decodeMatrix,
  encodeArray,
  encodeMatrix,
  type Estimator,
  type EstimatorJSON,
  type FitOptions,
} from '../../base';
import { DataError, ParameterError } from '../../errors';
import { allocLike, checkMatrix, type Matrix } from '../../math/matrix';
import { GRID_MAX_FEATURES } from '../../neighbors/grid';
import { BruteIndex } from '../../neighbors/brute';
import { KDTree } from '../../neighbors/kdtree';
import { TREE_MAX_FEATURES } from '../../neighbors/search';
import { checkInt, checkNumber, checkOneOf } from '../../validate';
import { dbscanGrid, dbscanWithIndex, type DbscanResult } from './kernels';

export type DBSCANAlgorithm = 'auto' | 'grid' | 'kd_tree' | 'brute';

export interface DBSCANParams {
  /** Neighbourhood radius (inclusive), > 0. */
  eps: number;
  /** Points within `eps` (itself included) that make a core point, ≥ 1. */
  minSamples: number;
  metric: 'euclidean';
  /** Neighbour search; `'auto'` picks grid (≤ 3 features), KD-tree (≤ 15) or brute force. */
  algorithm: DBSCANAlgorithm;
  /** Points per KD-tree leaf. */
  leafSize: number;
}

const DEFAULTS: DBSCANParams = { eps: 0.5, minSamples: 5, metric: 'euclidean', algorithm: 'auto', leafSize: 30 };
const VERSION = 1;

export class DBSCAN implements Estimator<DBSCANParams> {
  readonly params: Readonly<DBSCANParams>;
  /** Cluster of each training sample, −1 for noise, (nSamples). */
  labels_?: Int32Array;
  /** Indices of the core samples, ascending, (nCore). */
  coreSampleIndices_?: Int32Array;
  /** The core samples' rows, in the order of coreSampleIndices_, (nCore, nFeatures). */
  components_?: Matrix;
  nFeaturesIn_?: number;

  constructor(params: Partial<DBSCANParams> = {}) {
    this.params = Object.freeze({ ...DEFAULTS, ...params });
  }

  private checkParams(): void {
    const p = this.params;
    checkNumber('eps', p.eps, 0, Infinity, { minExclusive: true });
    checkInt('minSamples', p.minSamples, 1);
    checkOneOf('metric', p.metric, ['euclidean']);
    checkOneOf('algorithm', p.algorithm, ['auto', 'grid', 'kd_tree', 'brute']);
    checkInt('leafSize', p.leafSize, 1);
  }

  /** Clusters `X`, (nSamples, nFeatures). `y` is ignored. */
  fit(X: Matrix, _y?: ArrayLike<number> | null, opts: FitOptions = {}): this {
    this.checkParams();
    checkMatrix(X);
    const { eps, minSamples, algorithm, leafSize } = this.params;
    const d = X.cols;
    if (algorithm === 'grid' && d > GRID_MAX_FEATURES) {
      throw new ParameterError(`algorithm 'grid' needs at most ${GRID_MAX_FEATURES} features, got ${d}`);
    }
    let result: DbscanResult | null = null;
    if (algorithm === 'grid' || (algorithm === 'auto' && d <= GRID_MAX_FEATURES)) {
      result = dbscanGrid(X, eps, minSamples, opts.onProgress);
    }
    if (!result) {
      // Also the fallback when eps is too small for a grid over the data's extent.
      const useTree = algorithm === 'kd_tree' || (algorithm !== 'brute' && d <= TREE_MAX_FEATURES);
      const index = useTree ? new KDTree(X, leafSize) : new BruteIndex(X);
      result = dbscanWithIndex(X, index, eps, minSamples, opts.onProgress);
    }
    const { labels, isCore } = result;
    let nCore = 0;
    for (let i = 0; i < isCore.length; i++) nCore += isCore[i];
    const core = new Int32Array(nCore);
    for (let i = 0, m = 0; i < isCore.length; i++) if (isCore[i]) core[m++] = i;
    this.labels_ = labels;
    this.coreSampleIndices_ = core;
    this.components_ = copyRows(X, core);
    this.nFeaturesIn_ = d;
    return this;
  }

  /** Fits and returns labels_, (nSamples). */
  fitPredict(X: Matrix, y?: ArrayLike<number> | null, opts: FitOptions = {}): Int32Array {
    return this.fit(X, y, opts).labels_!;
  }

  toJSON(): EstimatorJSON<DBSCANParams> {
    const fitted =
      this.labels_ && this.coreSampleIndices_ && this.components_
        ? {
            labels_: encodeArray(this.labels_),
            coreSampleIndices_: encodeArray(this.coreSampleIndices_),
            components_: encodeMatrix(this.components_),
            nFeaturesIn_: this.nFeaturesIn_,
          }
        : null;
    return { estimator: 'DBSCAN', version: VERSION, params: { ...this.params }, fitted };
  }

  static fromJSON(json: EstimatorJSON): DBSCAN {
    checkEstimatorJSON(json, 'DBSCAN', VERSION);
    const e = new DBSCAN(json.params as Partial<DBSCANParams>);
    const f = json.fitted;
    if (f) {
      const labels = decodeArray(f.labels_ as never), core = decodeArray(f.coreSampleIndices_ as never);
      if (!(labels instanceof Int32Array) || !(core instanceof Int32Array)) throw new DataError('saved DBSCAN: labels and core indices must be int32');
      const components = decodeMatrix(f.components_ as never);
      if (components.rows !== core.length) throw new DataError(`saved DBSCAN: ${components.rows} components for ${core.length} core samples`);
      e.labels_ = labels;
      e.coreSampleIndices_ = core;
      e.components_ = components;
      e.nFeaturesIn_ = Number(f.nFeaturesIn_);
    }
    return e;
  }
}

/** The rows of `X` at `indices`, in the storage type of `X`, (indices.length, cols). */
function copyRows(X: Matrix, indices: Int32Array): Matrix {
  const d = X.cols, data = allocLike(X.data, indices.length * d);
  const src = X.data;
  for (let r = 0; r < indices.length; r++) {
    const o = indices[r] * d;
    for (let j = 0; j < d; j++) data[r * d + j] = src[o + j];
  }
  return { rows: indices.length, cols: d, data };
}
