/**
 * The bundled sample project: the chapter's five blobs (generated, seeded), iris and digits
 * (tables bundled in resources/samples with their credits).
 */
import { join } from 'node:path';
import { makeBlobs } from '../../core/datasets';
import type { DatasetSummary } from '../../shared/dto';
import { readCsvFile } from './importers/csv';
import { encodeLabels } from './labels';
import type { ProjectStore } from './store/project-store';

/** The clustering chapter's blobs: five centres, unequal spreads, 2,000 points. */
export const CHAPTER_BLOBS = {
  nSamples: 2000,
  centers: [
    [0.2, 2.3],
    [-1.5, 2.3],
    [-2.8, 1.8],
    [-2.8, 2.8],
    [-2.8, 1.3],
  ],
  clusterStd: [0.4, 0.3, 0.1, 0.1, 0.1],
  randomState: 7,
};

export async function addSampleDatasets(store: ProjectStore, resourcesDir: string): Promise<DatasetSummary[]> {
  const out: DatasetSummary[] = [];
  const blobs = makeBlobs(CHAPTER_BLOBS);
  out.push(
    store.addDataset({
      name: 'Blobs (chapter 9)',
      source: 'sample:blobs',
      X: blobs.X,
      featureNames: ['x1', 'x2'],
      labelName: 'blob',
      labelClasses: ['0', '1', '2', '3', '4'],
      labels: blobs.y,
    }),
  );
  for (const [file, name, label] of [
    ['iris.csv', 'Iris', 'species'],
    ['digits.csv', 'Digits (8×8)', 'label'],
  ] as const) {
    const table = await readCsvFile(join(resourcesDir, 'samples', file), { labelColumn: label });
    const enc = table.labels ? encodeLabels(table.labels) : null;
    out.push(
      store.addDataset({
        name,
        source: `sample:${file}`,
        X: table.X,
        featureNames: table.featureNames,
        labelName: table.labelName,
        labelClasses: enc?.classes ?? null,
        labels: enc?.codes ?? null,
      }),
    );
  }
  return out;
}
