/** A hyperparameter out of its domain: the message names the parameter, its value and the rule. */
export class ParameterError extends Error {
  override name = 'ParameterError';
}

/** Input data the estimator cannot use (shape, NaN, too few samples). */
export class DataError extends Error {
  override name = 'DataError';
}

/** A method that needs a fitted estimator was called before `fit`. */
export class NotFittedError extends Error {
  override name = 'NotFittedError';
  constructor(estimator: string) {
    super(`This ${estimator} instance is not fitted yet: call fit before using this method`);
  }
}
