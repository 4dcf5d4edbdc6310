/**
 * The image samples: the Olivetti faces and MNIST, downloaded on first use and checked, and the
 * bundled 8×8 digits, each built into an image dataset with a thumbnail per row. Built where
 * long work runs (a worker process): progress covers the download, then the decoding.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSetResult, SampleId, SampleInfo, SampleTask } from '../../../shared/images';
import { ensureDownloaded } from '../downloads/download';
import { MNIST_FILES, OLIVETTI_MAT } from '../downloads/catalog';
import { readCsvFile } from '../importers/csv';
import { readIdx } from '../importers/idx';
import { readMat } from '../importers/mat';
import { ImportError } from '../importers/errors';
import { packThumbnails, pixelFeatureNames, scaleInPlace, type Progress } from './build';
import { thumbnailPng } from './thumbnail';

export const SAMPLES: readonly SampleInfo[] = [
  {
    id: 'olivetti',
    title: 'Olivetti faces',
    description: '400 faces of 40 people, 64×64 gray, as scikit-learn’s fetch_olivetti_faces (values scaled to [0, 1]); labels: the person',
    shape: [400, 4096],
    downloadBytes: OLIVETTI_MAT.bytes,
    credit: 'AT&T Laboratories Cambridge',
  },
  {
    id: 'mnist',
    title: 'MNIST (70,000)',
    description: '70,000 handwritten digits, 28×28 gray (60,000 training then 10,000 test images; values scaled to [0, 1]); labels: the digit',
    shape: [70_000, 784],
    downloadBytes: Object.values(MNIST_FILES).reduce((n, f) => n + f.bytes, 0),
    credit: 'Y. LeCun, C. Cortes, C. J. C. Burges',
  },
  {
    id: 'digits',
    title: 'Digits (8×8)',
    description: '1,797 handwritten digits, 8×8 with values 0..16, as scikit-learn’s load_digits (bundled); labels: the digit',
    shape: [1797, 64],
    downloadBytes: 0,
    credit: 'E. Alpaydin, C. Kaynak (UCI), 1998',
  },
];

export function sampleInfo(id: SampleId): SampleInfo {
  const s = SAMPLES.find((x) => x.id === id);
  if (!s) throw new Error(`unknown sample '${String(id)}'`);
  return s;
}

/** Builds a sample's dataset, downloading its files first when they are not there yet. */
export async function buildSample(task: SampleTask, onProgress: Progress): Promise<ImageSetResult> {
  const total = task.downloads.reduce((n, d) => n + (d.bytes ?? 0), 0);
  const done = new Array<number>(task.downloads.length).fill(0);
  // Downloading takes the first half of the bar when there is something to download.
  const share = total > 0 ? 0.5 : 0;
  const paths: string[] = [];
  for (const [i, spec] of task.downloads.entries()) {
    paths.push(
      await ensureDownloaded(task.downloadsDir, spec, {
        onProgress: (received) => {
          done[i] = received;
          const got = done.reduce((a, b) => a + b, 0);
          onProgress((share * Math.min(got, total)) / total, `downloading ${spec.file}: ${(got / 1024 ** 2).toFixed(1)} of ${(total / 1024 ** 2).toFixed(1)} MB`);
        },
      }),
    );
  }
  const rest: Progress = (f, m) => onProgress(share + (1 - share) * f, m);
  switch (task.sample) {
    case 'olivetti':
      return olivetti(paths[0], rest);
    case 'mnist':
      return mnist(paths, rest);
    case 'digits':
      return digits(join(task.resourcesDir, 'samples', 'digits.csv'), rest);
    default:
      throw new Error(`unknown sample '${String(task.sample)}'`);
  }
}

/**
 * scikit-learn: `faces = loadmat(...)["faces"].T` (400, 4096) as float32, minus its minimum, over
 * its maximum; image k is `faces[k].reshape(64, 64).T` — the MAT file stores each face
 * column-major, so row k, pixel (y, x) is element (x·64 + y, k) of the stored 4096 × 400 array.
 */
async function olivetti(path: string, onProgress: Progress): Promise<ImageSetResult> {
  const file = 'olivettifaces.mat';
  const faces = readMat(new Uint8Array(await readFile(path)), file).get('faces');
  if (!faces || faces.dims.length !== 2 || faces.dims[0] !== 4096 || faces.dims[1] !== 400) {
    throw new ImportError(file, 'unsupported-shape', `expected a 4096 × 400 variable "faces", found ${faces ? faces.dims.join(' × ') : 'none'}`);
  }
  const side = 64, d = side * side, n = 400;
  const X = new Float32Array(n * d);
  for (let k = 0; k < n; k++) {
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) X[k * d + y * side + x] = faces.data[x * side + y + d * k];
  }
  onProgress(0.3, 'thumbnails');
  return imageSet(X, n, side, side, {
    names: Array.from({ length: n }, (_, k) => `olivetti_${String(k).padStart(3, '0')}`),
    labels: Array.from({ length: n }, (_, k) => String(Math.floor(k / 10))),
    labelName: 'person',
    source: 'sample:olivetti',
    scale: true,
    onProgress,
  });
}

/** The 60,000 training images then the 10,000 test images, as the IDX files give them. */
async function mnist(paths: string[], onProgress: Progress): Promise<ImageSetResult> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(paths.map(async (p) => new Uint8Array(await readFile(p))));
  const parts = [
    { images: readIdx(trainImages, MNIST_FILES.trainImages.file), labels: readIdx(trainLabels, MNIST_FILES.trainLabels.file), prefix: 'train' },
    { images: readIdx(testImages, MNIST_FILES.testImages.file), labels: readIdx(testLabels, MNIST_FILES.testLabels.file), prefix: 'test' },
  ];
  const side = 28, d = side * side;
  let n = 0;
  for (const p of parts) {
    const [count, h, w] = p.images.shape;
    if (p.images.shape.length !== 3 || h !== side || w !== side || p.images.dtype !== 'uint8') throw new ImportError(p.prefix, 'unsupported-shape', `expected ${side}×${side} uint8 images, found ${p.images.shape.join(' × ')} ${p.images.dtype}`);
    if (p.labels.shape[0] !== count) throw new ImportError(p.prefix, 'length-mismatch', `${count} images but ${p.labels.shape[0]} labels`);
    n += count;
  }
  const X = new Float32Array(n * d);
  const names: string[] = [], labels: string[] = [];
  let row = 0;
  for (const p of parts) {
    X.set(p.images.data as Uint8Array, row * d);
    for (let i = 0; i < p.labels.shape[0]; i++) {
      names.push(`${p.prefix}-${String(i).padStart(5, '0')}`);
      labels.push(String(p.labels.data[i]));
    }
    row += p.labels.shape[0];
  }
  onProgress(0.1, 'thumbnails');
  return imageSet(X, n, side, side, { names, labels, labelName: 'digit', source: 'sample:mnist', scale: true, onProgress });
}

/** scikit-learn's load_digits: 8×8 values 0..16, kept as they are (the chapter's numbers use them so). */
async function digits(path: string, onProgress: Progress): Promise<ImageSetResult> {
  const table = await readCsvFile(path, { labelColumn: 'label' });
  const n = table.X.rows, side = 8;
  if (table.X.cols !== side * side) throw new ImportError('digits.csv', 'unsupported-shape', `expected 64 pixel columns, found ${table.X.cols}`);
  onProgress(0.2, 'thumbnails');
  return imageSet(table.X.data, n, side, side, {
    names: Array.from({ length: n }, (_, i) => `digit_${String(i).padStart(4, '0')}`),
    labels: table.labels,
    labelName: 'digit',
    source: 'sample:digits',
    scale: false,
    onProgress,
    thumbnailMax: 16,
  });
}

interface ImageSetMeta {
  names: string[];
  labels: string[] | null;
  labelName: string;
  source: string;
  /** Scale to [0, 1] by the set's minimum and maximum (else keep the values). */
  scale: boolean;
  onProgress: Progress;
  /** The value drawn white in thumbnails when the values are kept (digits: 16). */
  thumbnailMax?: number;
}

/** Thumbnails from the raw values, then the scaling: the common end of the samples. */
function imageSet(X: Float32Array | Float64Array, n: number, width: number, height: number, meta: ImageSetMeta): ImageSetResult {
  const d = width * height;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < X.length; i++) {
    if (X[i] < min) min = X[i];
    if (X[i] > max) max = X[i];
  }
  const white = meta.thumbnailMax ?? 255;
  const thumbs: Uint8Array[] = [];
  const px = new Uint8Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) px[j] = Math.round((Math.min(white, Math.max(0, X[i * d + j])) * 255) / white);
    thumbs.push(thumbnailPng({ width, height, channels: 1, pixels: px }));
    if (i % 500 === 0) meta.onProgress((0.2 + (0.8 * i) / n) * 0.999, `thumbnails: ${i.toLocaleString('en-US')} of ${n.toLocaleString('en-US')}`);
  }
  if (meta.scale && X instanceof Float32Array) scaleInPlace(X, min, max);
  const packed = packThumbnails(thumbs);
  return {
    kind: 'images',
    X: { rows: n, cols: d, data: X },
    width,
    height,
    channels: 1,
    names: meta.names,
    labels: meta.labels,
    labelName: meta.labelName,
    thumbnails: packed.bytes,
    thumbnailOffsets: packed.offsets,
    skipped: [],
    resized: 0,
    scale: meta.scale ? { min, max } : null,
    featureNames: pixelFeatureNames(width, height, 1),
    source: meta.source,
  };
}
