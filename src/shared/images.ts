/**
 * The contract of image datasets: a folder of images (chosen in a dialog, uploaded by the browser,
 * or typed as a path where the host allows it) or a downloadable sample turned into a dataset by
 * a worker job, with a thumbnail and a file name per row.
 */
import type { DatasetSummary, MatrixDTO } from './dto';

/** File extensions taken as images (lower case, with the dot): PNG, JPEG, WebP, PGM, BMP. */
export const IMAGE_FILE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.jpe', '.jfif', '.webp', '.pgm', '.bmp', '.dib'];

/** The labels file a folder may hold at its top (columns file and label). */
export const LABELS_FILE = 'labels.csv';

/** A folder the backend may read: a path (granted by a dialog, or inside the allowed root) or an uploaded folder. */
export type FolderRef = { kind: 'path'; path: string } | { kind: 'upload'; id: string; name: string };

/** A file left out of an import, and why. */
export interface ImageProblem {
  /** Its path inside the folder. */
  file: string;
  reason: string;
}

export type ColourMode = 'grayscale' | 'rgb';
export type ResizeMode = 'stretch' | 'crop';
export type LabelSource = 'folders' | 'csv' | 'none';

/** What a folder holds, read before importing it (file headers only). */
export interface ImageFolderPreview {
  folder: FolderRef;
  /** The folder's name. */
  name: string;
  /** Image files by extension. */
  nImages: number;
  /** Other files, not imported. */
  ignored: number;
  /** Image sizes found, the most common first. */
  sizes: Array<{ width: number; height: number; count: number }>;
  /** How many headers the sizes come from (all images, or an even sample of a very large folder). */
  sizesFrom: number;
  /** Whether any header read says the image has colour. */
  anyColour: boolean;
  /** Files already known to be unreadable (their header); the import reports them again. */
  problems: ImageProblem[];
  /** Ground truth from the first-level sub-folders: how many classes and labeled images. */
  folderLabels: { classes: number; labeled: number } | null;
  /** Ground truth from labels.csv. */
  csvLabels: { file: string; column: string; classes: number; labeled: number; unmatchedRows: number } | null;
  /** Why labels.csv could not be used. */
  csvError: string | null;
  suggestedLabels: LabelSource;
}

export interface ImageImportRequest {
  folder: FolderRef;
  /** The dataset's name; default: the folder's. */
  name?: string;
  /** The size every image is brought to; default: the most common size in the folder. */
  width?: number;
  height?: number;
  colour?: ColourMode;
  resize?: ResizeMode;
  /** Where ground truth comes from; images without a label are then left out (and listed). */
  labels?: LabelSource;
}

/** What an image import or a sample produced. */
export interface ImageImportReport {
  jobId: string;
  dataset: DatasetSummary;
  width: number;
  height: number;
  channels: 1 | 3;
  imported: number;
  /** Images brought to the dataset's size from another size. */
  resized: number;
  skipped: ImageProblem[];
  /**
   * The raw sample values (0..255) mapped to 0 and 1: x = (v − min) / (max − min) over the whole
   * set, as scikit-learn scales the Olivetti faces; null when the values are kept as they are
   * (the 8×8 digits stay 0..16, as `load_digits` gives them).
   */
  scale: { min: number; max: number } | null;
}

export type SampleId = 'olivetti' | 'mnist' | 'digits';

export interface SampleInfo {
  id: SampleId;
  title: string;
  description: string;
  /** Rows × features once built. */
  shape: [number, number];
  /** Bytes to download on first use (0 when bundled or already downloaded). */
  downloadBytes: number;
  credit: string;
}

/** One image file of a folder import, in row order. */
export interface ImageFileSpec {
  path: string;
  name: string;
  label: string | null;
}

/** A worker task: decode the images of a folder into a matrix. */
export interface ImageImportTask {
  kind: 'images';
  files: ImageFileSpec[];
  /** null: the most common size among the files. */
  size: { width: number; height: number } | null;
  colour: ColourMode;
  resize: ResizeMode;
  maxPixels: number;
  /** The most bytes the matrix may take (the memory budget). */
  maxBytes: number;
  labelName: string | null;
}

/** A file a sample downloads: where from, where to, and how its content is checked. */
export interface DownloadSpec {
  url: string;
  /** The file name in the downloads folder. */
  file: string;
  /** Accepted SHA-256 digests of the file as downloaded (any one). */
  sha256?: string[];
  /** MD5 of the gunzipped content (MNIST's published checksums are of the decompressed files). */
  gunzipMd5?: string;
  /** The expected size, for progress when the server does not send one. */
  bytes?: number;
}

/** A worker task: build a sample dataset, downloading its files first if they are missing. */
export interface SampleTask {
  kind: 'sample';
  sample: SampleId;
  downloadsDir: string;
  downloads: DownloadSpec[];
  /** Bundled tables (resources/samples), for digits. */
  resourcesDir: string;
}

/** What both tasks return: the matrix (float32), a name, label and thumbnail per row, and what was left out. */
export interface ImageSetResult {
  kind: 'images';
  X: MatrixDTO;
  width: number;
  height: number;
  channels: 1 | 3;
  names: string[];
  labels: string[] | null;
  labelName: string | null;
  /** All thumbnails (PNG) end to end; row i is `thumbnails[offsets[i] .. offsets[i + 1])`. */
  thumbnails: Uint8Array;
  thumbnailOffsets: Uint32Array;
  skipped: ImageProblem[];
  resized: number;
  scale: { min: number; max: number } | null;
  featureNames: string[];
  source: string;
}

/**
 * The body of a folder upload (browser host, `POST /upload-folder`): after the 4-byte magic
 * "CSF1", one record per file — the byte length of its path inside the folder (uint32, big
 * endian), the path in UTF-8 with '/' separators, the byte length of its content (two uint32,
 * high then low), the content.
 */
export const FOLDER_UPLOAD_MAGIC = 'CSF1';

/** The record header that precedes a file's bytes in a folder upload. */
export function folderUploadRecord(path: string, size: number): Uint8Array {
  const name = new TextEncoder().encode(path);
  const out = new Uint8Array(12 + name.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, name.length);
  out.set(name, 4);
  v.setUint32(4 + name.length, Math.floor(size / 2 ** 32));
  v.setUint32(8 + name.length, size >>> 0);
  return out;
}
