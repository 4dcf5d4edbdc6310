/**
 * The files the app downloads on demand, where from, and how each is checked. Every file has a
 * public address and a path under a mirror: with a download base (the environment's
 * CLUSTERSCOPE_DOWNLOAD_BASE, or the host's option) the file is fetched from `base + mirrorPath`
 * instead — a mirror, or in the tests a local server over ../shared/data laid out the same way.
 */
import type { DownloadSpec } from '../../../shared/images';

export interface CatalogEntry {
  /** The file name in the downloads folder. */
  file: string;
  /** The public address. */
  url: string;
  /** Its path under a download base. */
  mirrorPath: string;
  sha256?: string[];
  gunzipMd5?: string;
  bytes: number;
}

export const DOWNLOAD_BASE_ENV = 'CLUSTERSCOPE_DOWNLOAD_BASE';

/**
 * The Olivetti faces as scikit-learn's `fetch_olivetti_faces` downloads them (Sam Roweis'
 * olivettifaces.mat; AT&T Laboratories Cambridge). Two copies are known, with the same faces:
 * figshare's (scikit-learn's checksum) and a copy re-saved as MAT v5 in 2013.
 */
export const OLIVETTI_MAT: CatalogEntry = {
  file: 'olivettifaces.mat',
  url: 'https://ndownloader.figshare.com/files/5976027',
  mirrorPath: 'faces/olivettifaces.mat',
  sha256: ['b612fb967f2dc77c9c62d3e1266e0c73d5fca46a4b8906c18e454d41af987794', 'b1988d02c72fe5b8ee82b5ef3bb7982eafc74f1e1ff0ae0ade35061ad0af534d'],
  bytes: 1_432_511,
};

/**
 * MNIST's four IDX files (Y. LeCun, C. Cortes, C. J. C. Burges). Mirrors recompress them (only
 * the gzip header differs), so the check is the MD5 of the decompressed content.
 */
const MNIST_BASE = 'https://ossci-datasets.s3.amazonaws.com/mnist/';
export const MNIST_FILES: Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', CatalogEntry> = {
  trainImages: { file: 'train-images-idx3-ubyte.gz', url: `${MNIST_BASE}train-images-idx3-ubyte.gz`, mirrorPath: 'mnist/train-images-idx3-ubyte.gz', gunzipMd5: '6bbc9ace898e44ae57da46a324031adb', bytes: 9_912_422 },
  trainLabels: { file: 'train-labels-idx1-ubyte.gz', url: `${MNIST_BASE}train-labels-idx1-ubyte.gz`, mirrorPath: 'mnist/train-labels-idx1-ubyte.gz', gunzipMd5: 'a25bea736e30d166cdddb491f175f624', bytes: 28_881 },
  testImages: { file: 't10k-images-idx3-ubyte.gz', url: `${MNIST_BASE}t10k-images-idx3-ubyte.gz`, mirrorPath: 'mnist/t10k-images-idx3-ubyte.gz', gunzipMd5: '2646ac647ad5339dbf082846283269ea', bytes: 1_648_877 },
  testLabels: { file: 't10k-labels-idx1-ubyte.gz', url: `${MNIST_BASE}t10k-labels-idx1-ubyte.gz`, mirrorPath: 'mnist/t10k-labels-idx1-ubyte.gz', gunzipMd5: '27ae3e4e09519cfbb04c329615203637', bytes: 4_542 },
};

/** The clustering chapter's ladybug (A. Géron, Hands-On Machine Learning, 2nd ed.; Apache-2.0). */
export const LADYBUG_PNG: CatalogEntry = {
  file: 'ladybug.png',
  url: 'https://raw.githubusercontent.com/ageron/handson-ml2/master/images/unsupervised_learning/ladybug.png',
  mirrorPath: 'images/ladybug.png',
  sha256: ['786f9c4c369c00e1f24e08f90adf0c3febd6778b322baeea7712f3f0d7df1f59'],
  bytes: 574_025,
};

/** The download base in force: the explicit one, else the environment's, else none (public addresses). */
export function downloadBase(explicit?: string | null, env: Record<string, string | undefined> = process.env): string | null {
  const b = explicit ?? env[DOWNLOAD_BASE_ENV]?.trim();
  return b ? b : null;
}

/** What the downloader needs for an entry, with its address under `base` when there is one. */
export function downloadSpec(entry: CatalogEntry, base: string | null): DownloadSpec {
  const url = base ? new URL(entry.mirrorPath, base.endsWith('/') ? base : `${base}/`).href : entry.url;
  return { url, file: entry.file, bytes: entry.bytes, ...(entry.sha256 ? { sha256: entry.sha256 } : {}), ...(entry.gunzipMd5 ? { gunzipMd5: entry.gunzipMd5 } : {}) };
}
