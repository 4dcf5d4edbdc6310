export { DBSCAN, type DBSCANAlgorithm, type DBSCANParams } from './dbscan';
export { dbscanPredict, fitCoreClassifier, type DbscanPredictOptions, type DbscanPrediction } from './predict';
