/**
 * Images the segmentation view downloads on demand: entries of the app's download catalog
 * (../downloads), fetched with its one downloader from the public address, or from the download
 * base when one is set (CLUSTERSCOPE_DOWNLOAD_BASE: a mirror, or a local server in the tests).
 */
import { LADYBUG_PNG, type CatalogEntry } from '../downloads';

export interface ImageSource {
  id: string;
  title: string;
  entry: CatalogEntry;
  credit: string;
}

export const IMAGE_SOURCES: readonly ImageSource[] = [
  {
    id: 'ladybug',
    title: 'The ladybug of the clustering chapter',
    entry: LADYBUG_PNG,
    credit: 'A. Géron, Hands-On Machine Learning (2nd ed.), chapter 9 — ageron/handson-ml2, Apache-2.0',
  },
];
