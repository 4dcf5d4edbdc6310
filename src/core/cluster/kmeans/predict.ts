/** Assignment of new data to fitted centers, shared by KMeans and MiniBatchKMeans. */
import { sqDistRows } from '../../math/distance';
import { columnMeans, matrix, type Matrix } from '../../math/matrix';
import { assignLloyd, inertiaOf, makeLloydWork } from './kernels';

/** Labels of the closest center and the inertia against those centers (direct distances). */
export function nearestCenters(X: Matrix, centers: Matrix<Float64Array>): { labels: Int32Array; inertia: number } {
  const k = centers.rows;
  const labels = new Int32Array(X.rows);
  // Center the expanded kernel on the centers' mean: the data's mean is not kept after fit.
  const origin = columnMeans(centers);
  assignLloyd(X, centers.data, k, labels, makeLloydWork(X.cols, k, origin, 'auto', undefined, null, X), null, null, null);
  return { labels, inertia: inertiaOf(X, centers.data, labels) };
}

/** Euclidean distances from each row of `X` (n, d) to each center (k, d), as an (n, k) matrix. */
export function distancesToCenters(X: Matrix, centers: Matrix<Float64Array>): Matrix<Float64Array> {
  const out = sqDistRows(X, centers);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]);
  return matrix(X.rows, centers.rows, out);
}
