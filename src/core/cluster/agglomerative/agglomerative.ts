/**
 * Agglomerative (hierarchical) clustering, as scikit-learn 1.2's `AgglomerativeClustering` without
 * a connectivity matrix and with the Euclidean metric: builds the full merge tree, then cuts it
 * into `nClusters` clusters or at `distanceThreshold`.
 */
import type { Estimator, EstimatorJSON, FitOptions } from '../../base';
import { checkEstimatorJSON, decodeArray, encodeArray } from '../../base';
import { DataError, ParameterError } from '../../errors';
import { checkMatrix, type Matrix } from '../../math/matrix';
import { checkInt, checkNumber, checkOneOf } from '../../validate';
import { condensedDistances, cutTree, mstSingleLinkage, nnChainLinkage, type Linkage, type MergeTree } from './linkage';

export interface AgglomerativeParams {
  /** Number of clusters to find (2); must be null when `distanceThreshold` is set. */
  nClusters: number | null;
  /**
   * Merges at or above this linkage distance are not made; the number of clusters follows from it.
   * Needs `nClusters: null`. Default unset.
   */
  distanceThreshold?: number | null;
  /** The linkage criterion ('ward'). Ward merges the pair that least increases within-cluster variance. */
  linkage: Linkage;
  /**
   * Accepted for scikit-learn compatibility ('auto'). Without a connectivity matrix scikit-learn
   * always builds the full tree, and so does this class; `false` is refused with `distanceThreshold`.
   */
  computeFullTree: 'auto' | boolean;
  /** Keep `distances_` even without `distanceThreshold` (false), e.g. to draw a dendrogram. */
  computeDistances: boolean;
}

const DEFAULTS: AgglomerativeParams = {
  nClusters: 2,
  distanceThreshold: undefined,
  linkage: 'ward',
  computeFullTree: 'auto',
  computeDistances: false,
};

const LINKAGES: readonly Linkage[] = ['ward', 'complete', 'average', 'single'];

/**
 * Complete, average and ward keep all n(n − 1)/2 pairwise distances (8 bytes each): 400 MB at
 * 10,000 samples. Beyond that the job would exhaust a desktop's memory, so it is refused.
 */
export const MAX_SAMPLES_PAIRWISE = 10_000;

const JSON_VERSION = 1;

export class AgglomerativeClustering implements Estimator<AgglomerativeParams> {
  readonly params: Readonly<AgglomerativeParams>;
  /** Cluster of every sample, shape (nSamples), numbered as scikit-learn numbers them for this tree. */
  labels_!: Int32Array;
  /**
   * The merges, shape (nSamples − 1, 2) row-major: merge i joins nodes `children_[2i]` and
   * `children_[2i + 1]` into node nSamples + i; nodes below nSamples are the samples.
   */
  children_!: Int32Array;
  /**
   * Linkage distance of every merge, shape (nSamples − 1), non-decreasing; null unless
   * `distanceThreshold` is set or `computeDistances` is true (as scikit-learn).
   */
  distances_: Float64Array | null = null;
  /** Number of clusters found: `nClusters`, or the count implied by `distanceThreshold`. */
  nClusters_!: number;
  /** Number of leaves of the tree (= nSamples). */
  nLeaves_!: number;
  /** Connected components of the (complete) graph: always 1 without a connectivity matrix. */
  nConnectedComponents_!: number;

  constructor(params: Partial<AgglomerativeParams> = {}) {
    this.params = Object.freeze({ ...DEFAULTS, ...params });
  }

  /**
   * Builds the merge tree of `X` (nSamples, nFeatures) and cuts it.
   * Single linkage runs in O(n²·d) time and O(n) memory; complete, average and ward need O(n²)
   * memory and refuse more than `MAX_SAMPLES_PAIRWISE` samples with a DataError.
   */
  fit(X: Matrix, _y?: ArrayLike<number> | null, opts: FitOptions = {}): this {
    const p = this.params;
    const linkage = checkOneOf('linkage', p.linkage, LINKAGES);
    const threshold = p.distanceThreshold ?? null;
    if (threshold !== null) checkNumber('distanceThreshold', threshold, 0);
    const nClusters = p.nClusters === null ? null : checkInt('nClusters', p.nClusters, 1);
    if ((nClusters === null) === (threshold === null)) {
      throw new ParameterError(
        `exactly one of nClusters and distanceThreshold must be set, the other null; got nClusters ${String(nClusters)}, distanceThreshold ${String(threshold)}`,
      );
    }
    if (p.computeFullTree !== 'auto' && typeof p.computeFullTree !== 'boolean') {
      throw new ParameterError(`computeFullTree must be 'auto', true or false, got ${JSON.stringify(p.computeFullTree)}`);
    }
    if (threshold !== null && p.computeFullTree === false) {
      throw new ParameterError('computeFullTree must be true or auto when distanceThreshold is set, got false');
    }
    if (typeof p.computeDistances !== 'boolean') {
      throw new ParameterError(`computeDistances must be true or false, got ${JSON.stringify(p.computeDistances)}`);
    }
    checkMatrix(X, { minSamples: 2 });
    const n = X.rows;
    if (nClusters !== null && nClusters > n) {
      throw new ParameterError(`nClusters must be at most the number of samples (${n}), got ${nClusters}`);
    }
    if (linkage !== 'single' && n > MAX_SAMPLES_PAIRWISE) {
      const mb = Math.round((n * (n - 1) * 4) / 1e6);
      throw new DataError(
        `${linkage} linkage keeps all pairwise distances in memory (${mb} MB for ${n} samples) and accepts at most ` +
          `${MAX_SAMPLES_PAIRWISE} samples; use single linkage (O(n) memory) or subsample`,
      );
    }

    const tree = buildTree(X, linkage, opts);
    this.children_ = tree.children;
    this.nLeaves_ = n;
    this.nConnectedComponents_ = 1;
    this.distances_ = threshold !== null || p.computeDistances ? tree.distances : null;
    this.nClusters_ = threshold !== null ? countAtOrAbove(tree.distances, threshold) + 1 : (nClusters as number);
    this.labels_ = cutTree(tree.children, n, this.nClusters_);
    opts.onProgress?.(1);
    return this;
  }

  /** Fits and returns `labels_`. */
  fitPredict(X: Matrix): Int32Array {
    return this.fit(X).labels_;
  }

  toJSON(): EstimatorJSON<AgglomerativeParams> {
    const fitted =
      this.labels_ === undefined
        ? null
        : {
            labels_: encodeArray(this.labels_),
            children_: encodeArray(this.children_, [this.nLeaves_ - 1, 2]),
            distances_: this.distances_ === null ? null : encodeArray(this.distances_),
            nClusters_: this.nClusters_,
            nLeaves_: this.nLeaves_,
            nConnectedComponents_: this.nConnectedComponents_,
          };
    return { estimator: 'AgglomerativeClustering', version: JSON_VERSION, params: { ...this.params }, fitted };
  }

  static fromJSON(json: EstimatorJSON): AgglomerativeClustering {
    checkEstimatorJSON(json, 'AgglomerativeClustering', JSON_VERSION);
    const e = new AgglomerativeClustering(json.params as Partial<AgglomerativeParams>);
    const f = json.fitted as Record<string, any> | null;
    if (f) {
      e.labels_ = decodeArray(f.labels_) as Int32Array;
      e.children_ = decodeArray(f.children_) as Int32Array;
      e.distances_ = f.distances_ === null ? null : (decodeArray(f.distances_) as Float64Array);
      e.nClusters_ = f.nClusters_;
      e.nLeaves_ = f.nLeaves_;
      e.nConnectedComponents_ = f.nConnectedComponents_;
    }
    return e;
  }
}

function buildTree(X: Matrix, linkage: Linkage, opts: FitOptions): MergeTree {
  const report = opts.onProgress;
  if (linkage === 'single') return mstSingleLinkage(X, report && ((f) => report(0.99 * f)));
  // The distance pass is about as long as the merges; give each half of the progress bar.
  const D = condensedDistances(X);
  report?.(0.5);
  return nnChainLinkage(D, X.rows, linkage, report && ((f) => report(0.5 + 0.49 * f)));
}

function countAtOrAbove(values: Float64Array, threshold: number): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) if (values[i] >= threshold) c++;
  return c;
}
