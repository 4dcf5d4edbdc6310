/** Downloads on demand: one downloader (atomic, checked, cancellable, with progress) and the catalog of known files. */
export { DownloadError, download, downloadPath, ensureDownloaded, isDownloaded, type DownloadErrorCode, type DownloadOptions } from './download';
export { DOWNLOAD_BASE_ENV, LADYBUG_PNG, MNIST_FILES, OLIVETTI_MAT, downloadBase, downloadSpec, type CatalogEntry } from './catalog';
