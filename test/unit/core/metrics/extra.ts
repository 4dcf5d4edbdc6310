/** The extra scikit-learn numbers of `test/fixtures/reference-extra/metrics_pca_extra.json` (see its meta). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function metricsExtra(): any {
  return JSON.parse(readFileSync(resolve(__dirname, '../../../fixtures/reference-extra/metrics_pca_extra.json'), 'utf8'));
}
