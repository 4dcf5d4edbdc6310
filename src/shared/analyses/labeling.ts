/**
 * Analyses of the labeling workflow (issue 5, the chapter's "Using clustering for semi-supervised
 * learning"): the gallery of a centroid clustering (its clusters sorted by distance to their
 * centres, and their representatives), the evaluation of the labels a person gave (propagated or
 * not) with a classifier against held-out ground truth and the next samples to label (active
 * learning), and clustering as preprocessing for a classifier (a search over k). The worker
 * implements them in src/main/worker/analyses/labeling.ts.
 */

/** A seeded held-out split with scikit-learn's `train_test_split` semantics. */
export interface SplitSpec {
  /** Share of the rows held out, in (0, 1). */
  testSize: number;
  randomState: number;
}

/** The chapter's classifier: `LogisticRegression(multi_class='ovr', solver='lbfgs', max_iter=5000)`. */
export interface ClassifierSpec {
  /** Inverse regularization strength (default 1). */
  C?: number;
  /** L-BFGS iteration limit per binary problem (default 5000). */
  maxIter?: number;
  /** Default 'ovr', as in the chapter's reference. */
  multiClass?: 'ovr' | 'multinomial' | 'auto';
}

export const CHAPTER_CLASSIFIER: Required<ClassifierSpec> = { C: 1, maxIter: 5000, multiClass: 'ovr' };

/** The chapter's split: `train_test_split(X_digits, y_digits, random_state=42)`, 25 % held out. */
export const CHAPTER_SPLIT: SplitSpec = { testSize: 0.25, randomState: 42 };

// ── gallery ──────────────────────────────────────────────────────────────────────────────────

/** No options: everything comes from the run. */
export type GalleryParams = Record<string, never>;

/**
 * The clusters of a centroid run (K-Means, mini-batch K-Means) as galleries. Only the rows a
 * person may label are listed: all rows, or the training part when the run was fitted with a
 * held-out split (the held-out rows stay unseen, for an honest evaluation). Distances are in the
 * space the clustering was fitted in (after PCA when the run had it).
 */
export interface GalleryResult {
  nClusters: number;
  /** The labelable rows grouped by cluster, each group sorted by distance to its centre (ties by row). */
  order: Int32Array;
  /** Cluster c is `order[offsets[c] .. offsets[c + 1])`; shape (nClusters + 1). */
  offsets: Int32Array;
  /** Distance of `order[i]` to its own centre, shape like `order`. */
  distances: Float64Array;
  /**
   * Per cluster, the labelable row nearest its centre (the chapter's representative:
   * `argmin(kmeans.transform(X_train), axis=0)`; in rare cases a row of another cluster).
   */
  representatives: Int32Array;
  /** Distance of each representative to the centre it represents. */
  representativeDistances: Float64Array;
  /** Rows held out for evaluation (the run's split), in split order; empty without a split. */
  heldOut: Int32Array;
  /** The run's held-out split, if it had one. */
  split: SplitSpec | null;
  /** Principal components the clustering was fitted on, or null for the original features. */
  pcaComponents: number | null;
}

// ── evaluate-labels ──────────────────────────────────────────────────────────────────────────

export interface EvaluateLabelsParams {
  /** Label names; the pairs below index into it. */
  classes: string[];
  /** Hand labels as flat pairs [row, classIndex, row, classIndex, …]. */
  hand: number[];
  /** Propagated labels, as flat pairs like `hand`. */
  propagated: number[];
  /**
   * The held-out split when the run has none (the run's own split wins when it has one);
   * default CHAPTER_SPLIT. Used only where the dataset has ground truth.
   */
  split?: SplitSpec;
  classifier?: ClassifierSpec;
  /** Random-label baselines drawn (each with as many labels as there are hand labels); default 10. */
  baselineDraws?: number;
  /** Seed of the baseline draws; default 0. */
  baselineSeed?: number;
  /** How many least-confident samples to propose next (active learning); default 10. */
  next?: number;
  /** Also train on the true label of every training row (the upper bound); default true. */
  supervised?: boolean;
}

/** Accuracy of random labels: over `draws` classifiers each trained on `size` random true labels. */
export interface BaselineAccuracy {
  mean: number;
  min: number;
  max: number;
  draws: number;
  size: number;
}

export interface EvaluateLabelsResult {
  /** Whether the dataset has ground truth; without it only `next` is computed. */
  hasTruth: boolean;
  /** The rows of the evaluation: the run's split, the params' split, or none (no ground truth). */
  split: { source: 'run' | 'params'; nTrain: number; nTest: number; spec: SplitSpec } | null;
  /** Labels used to train (in the training part). */
  nHand: number;
  nPropagated: number;
  /** Labels on held-out rows, left out of training (only when the run had no split of its own). */
  nHeldOutLabels: number;
  /** Share of the used labels that equal the ground truth: all, hand, propagated (null when none or no truth). */
  labelAccuracy: { all: number | null; hand: number | null; propagated: number | null };
  /** Test accuracy of the classifier trained on the hand and propagated labels. */
  accuracy: number | null;
  /** Test accuracy of the classifier trained on the hand labels only. */
  handOnlyAccuracy: number | null;
  /** The same number of random true labels as there are hand labels. */
  randomBaseline: BaselineAccuracy | null;
  /** Every training row with its true label. */
  supervisedAccuracy: number | null;
  /**
   * Active learning: training rows without a hand label that the classifier is least sure about,
   * spread over the clusters (the least confident of each cluster first), in asking order.
   */
  next: Int32Array;
  /** The classifier's highest class probability for each row of `next`. */
  nextConfidence: Float64Array;
  /** Why a number is missing (fewer than two classes labeled, no ground truth…), or null. */
  note: string | null;
}

// ── cluster-features ─────────────────────────────────────────────────────────────────────────

export interface ClusterFeaturesParams {
  /** Values of k to try, ascending, each ≥ 2. */
  ks: number[];
  /** 'distances': the k distances alone (the chapter's pipeline); 'append': after the original features. */
  mode: 'distances' | 'append';
  /** Held-out test split; default CHAPTER_SPLIT. */
  split?: SplitSpec;
  /** Share of the training part used to choose k; default 0.25. */
  validationSize?: number;
  /** K-Means restarts per k; default 10. */
  nInit?: number;
  /** Seed of the K-Means fits (and of the validation split); default 42. */
  randomState?: number;
  classifier?: ClassifierSpec;
}

export interface ClusterFeaturesResult {
  mode: 'distances' | 'append';
  nTrain: number;
  nValidation: number;
  nTest: number;
  /** The classifier on the original features: validation and test accuracy. */
  baseline: { validation: number; test: number };
  /** Validation accuracy for each k, in `ks` order. */
  points: Array<{ k: number; validation: number }>;
  /** The k with the best validation accuracy (the smallest on ties), refitted on the whole training part and tested. */
  best: { k: number; validation: number; test: number };
}

export interface LabelingAnalyses {
  gallery: { params: GalleryParams; result: GalleryResult; needsRun: true };
  'evaluate-labels': { params: EvaluateLabelsParams; result: EvaluateLabelsResult; needsRun: true };
  'cluster-features': { params: ClusterFeaturesParams; result: ClusterFeaturesResult; needsRun: false };
}

/** Kinds of this table that need a run (joined into ANALYSES_NEEDING_RUN). */
export const LABELING_ANALYSES_NEEDING_RUN = ['gallery', 'evaluate-labels'] as const;
