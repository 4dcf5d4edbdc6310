/**
 * Data preparation before a fit (FitJobSpec.preprocess) and its inverse for analyses of the run.
 *
 * PCA by variance ratio (the chapter's 0.99 before clustering images) and a held-out split (the
 * chapter fits on X_train only) are applied in the worker: the estimator is fitted on the
 * training rows in the reduced space, the held-out rows are assigned by `predict`, the centres are
 * mapped back to the original features for the views, and the model JSON keeps the fitted PCA and
 * the split next to the estimator's own fields (`model.preprocess`), so an analysis of the run can
 * put rows into the space the clustering lives in (`restoreRunSpace`).
 */
import type { EstimatorJSON } from '../../../core/base';
import { PCA } from '../../../core/decomposition';
import { KMeans, MiniBatchKMeans } from '../../../core/cluster/kmeans';
import { BayesianGaussianMixture, GaussianMixture } from '../../../core/cluster/mixture';
import type { AlgorithmName, ClusteringOutcome } from '../../../core/cluster/registry';
import { ParameterError } from '../../../core/errors';
import { takeRows, type Matrix } from '../../../core/math/matrix';
import type { FitPreprocess } from '../../../shared/jobs';
import type { SplitSpec } from '../../../shared/analyses/labeling';
import { checkSplitSpec, trainTestSplit, type Split } from './split';

/** Algorithms whose fitted model assigns new rows, as a held-out split needs. */
const PREDICTING: readonly AlgorithmName[] = ['kmeans', 'minibatch-kmeans', 'gmm', 'bgmm'];

/** What the fit JSON keeps of the preparation. */
export interface SavedPreprocess {
  pca: EstimatorJSON | null;
  holdout: SplitSpec | null;
}

/** Validates a preprocess spec; a bad value is a ParameterError naming the field and the rule. */
export function checkPreprocess(p: unknown, algorithm: AlgorithmName): FitPreprocess {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new ParameterError('preprocess must be an object { pcaVariance?, holdout? }');
  const o = p as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'pcaVariance' && key !== 'holdout') throw new ParameterError(`unknown preprocess option '${key}' (pcaVariance, holdout)`);
  }
  const out: FitPreprocess = {};
  if (o.pcaVariance !== undefined) {
    const v = o.pcaVariance;
    if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new ParameterError(`preprocess.pcaVariance must be a share of the variance in (0, 1), got ${String(v)}`);
    out.pcaVariance = v;
  }
  if (o.holdout !== undefined) {
    try {
      out.holdout = checkSplitSpec(o.holdout, 'preprocess.holdout');
    } catch (e) {
      throw new ParameterError((e as Error).message);
    }
    if (!PREDICTING.includes(algorithm)) {
      throw new ParameterError(`preprocess.holdout needs an algorithm that assigns new rows (${PREDICTING.join(', ')}), not ${algorithm}`);
    }
  }
  return out;
}

/** A fit made ready: the rows to fit on, and how to complete the outcome for every row. */
export interface PreparedFit {
  /** The rows the estimator is fitted on, in the fitting space. */
  fitX: Matrix;
  /** Every row in the fitting space (the metrics are computed there). */
  allX: Matrix;
  /** Principal components kept, or null without PCA. */
  nComponents: number | null;
  /** Completes a fit of `fitX`: labels of every row, centres in the original features, the model with `preprocess`. */
  finish(outcome: ClusteringOutcome, algorithm: AlgorithmName): ClusteringOutcome;
}

/**
 * Applies `pre` to X (nSamples, nFeatures). PCA is fitted on the training rows only when there
 * is a held-out split, so that nothing of the held-out rows shapes the space.
 */
export function prepareFit(X: Matrix, pre: FitPreprocess, algorithm: AlgorithmName, onProgress?: (f: number) => void): PreparedFit {
  const spec = checkPreprocess(pre, algorithm);
  const split: Split | null = spec.holdout ? trainTestSplit(X.rows, spec.holdout) : null;
  const trainX = split ? takeRows(X, split.train) : X;
  let pca: PCA | null = null;
  let allX: Matrix = X;
  if (spec.pcaVariance !== undefined) {
    pca = new PCA({ nComponents: spec.pcaVariance }).fit(trainX, null, { onProgress });
    allX = pca.transform(X);
  }
  const fitX = split ? takeRows(allX, split.train) : allX;
  onProgress?.(1);
  return {
    fitX,
    allX,
    nComponents: pca ? pca.nComponents_ : null,
    finish(outcome, alg) {
      let labels = outcome.labels;
      if (split) {
        labels = new Int32Array(X.rows);
        for (let i = 0; i < split.train.length; i++) labels[split.train[i]] = outcome.labels[i];
        const predicted = predictWith(alg, outcome.model, takeRows(allX, split.test));
        for (let i = 0; i < split.test.length; i++) labels[split.test[i]] = predicted[i];
      }
      const centers = pca && outcome.centers ? pca.inverseTransform(outcome.centers) : outcome.centers;
      const saved: SavedPreprocess = { pca: pca ? pca.toJSON() : null, holdout: spec.holdout ?? null };
      const model = { ...(outcome.model as object), preprocess: saved };
      const scalars = pca ? { ...outcome.scalars, pcaComponents: pca.nComponents_ } : outcome.scalars;
      return { ...outcome, labels, centers, model, scalars };
    },
  };
}

function predictWith(algorithm: AlgorithmName, model: unknown, X: Matrix): Int32Array {
  const json = model as EstimatorJSON;
  switch (algorithm) {
    case 'kmeans':
      return KMeans.fromJSON(json).predict(X);
    case 'minibatch-kmeans':
      return MiniBatchKMeans.fromJSON(json).predict(X);
    case 'gmm':
      return GaussianMixture.fromJSON(json).predict(X);
    case 'bgmm':
      return BayesianGaussianMixture.fromJSON(json).predict(X);
    default:
      throw new ParameterError(`${algorithm} cannot assign held-out rows`);
  }
}

/** The fitting space of a run: its PCA (if any) and its held-out split (if any). */
export interface RunSpace {
  pca: PCA | null;
  holdout: SplitSpec | null;
  /** X (nSamples, nFeatures) in the space the run's model was fitted in. */
  toModelSpace(X: Matrix): Matrix;
}

/** Reads `model.preprocess` of a run's model JSON (absent: the original features, no split). */
export function restoreRunSpace(model: unknown): RunSpace {
  const saved = (model && typeof model === 'object' ? (model as { preprocess?: SavedPreprocess }).preprocess : undefined) ?? null;
  const pca = saved?.pca ? PCA.fromJSON(saved.pca) : null;
  const holdout = saved?.holdout ? checkSplitSpec(saved.holdout) : null;
  return { pca, holdout, toModelSpace: (X) => (pca ? pca.transform(X) : X) };
}

/** The run's centroid model (K-Means or mini-batch K-Means), restored from its JSON. */
export function restoreCentroidModel(algorithm: string, model: unknown): KMeans | MiniBatchKMeans {
  if (algorithm === 'kmeans') return KMeans.fromJSON(model as EstimatorJSON);
  if (algorithm === 'minibatch-kmeans') return MiniBatchKMeans.fromJSON(model as EstimatorJSON);
  throw new ParameterError(`the labeling workflow needs a K-Means or mini-batch K-Means run (centroids), not ${algorithm}`);
}
