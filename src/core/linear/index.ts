export { LogisticRegression, LOGISTIC_REGRESSION_DEFAULTS, type LogisticRegressionParams } from './logistic';
export { minimizeLbfgs, LBFGS_DEFAULTS, type LbfgsOptions, type LbfgsResult, type LbfgsStatus, type ObjectiveWithGradient } from './lbfgs';
export { MoreThuente, type LineSearchOptions, type LineSearchTask } from './lineSearch';
export { binaryLossGradient, multinomialLossGradient } from './loss';
