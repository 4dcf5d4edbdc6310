/**
 * Images as datasets for the segmentation view: an image becomes a table with one row per pixel
 * (red, green, blue in 0..1, as matplotlib's `imread` gives a PNG), its size kept in the
 * dataset's source. Downloadable images are fetched once into the downloads folder by the app's
 * downloader, which checks them against the catalog's checksum.
 */
import { readFileSync } from 'node:fs';
import { matrix } from '../../../core/math/matrix';
import { ApiError } from '../../../shared/api';
import type { DatasetSummary } from '../../../shared/dto';
import { imageSource, parseImageSource, type ImagePixels, type ImageSourceInfo } from '../../../shared/analyses/geometry';
import type { ProjectStore } from '../store/project-store';
import { DownloadError, downloadBase, downloadSpec, ensureDownloaded, isDownloaded } from '../downloads';
import { decodeRgb, MAX_IMAGE_PIXELS, type RgbImage } from './decode';
import { IMAGE_SOURCES } from './sources';

export { MAX_IMAGE_PIXELS } from './decode';

export const CHANNEL_NAMES = ['red', 'green', 'blue'];

export interface ImageLibraryOptions {
  /** Replaces the environment when choosing the download base (tests). */
  env?: Record<string, string | undefined>;
  maxPixels?: number;
  /** Give up on a silent server after this long (the downloader's default: 30 s). */
  idleTimeoutMs?: number;
}

export class ImageLibrary {
  /** @param dir the downloads folder (the preference, default `dataDir/downloads`) */
  constructor(
    private readonly dir: () => string,
    private readonly opts: ImageLibraryOptions = {},
  ) {}

  private spec(id: string): { title: string; spec: ReturnType<typeof downloadSpec> } {
    const source = IMAGE_SOURCES.find((s) => s.id === id);
    if (!source) throw new ApiError(`no downloadable image '${String(id)}'; choose one of ${IMAGE_SOURCES.map((s) => s.id).join(', ')}`, 'bad-input');
    return { title: source.title, spec: downloadSpec(source.entry, downloadBase(undefined, this.opts.env)) };
  }

  async list(): Promise<ImageSourceInfo[]> {
    return Promise.all(
      IMAGE_SOURCES.map(async (s) => {
        const { spec } = this.spec(s.id);
        return { id: s.id, title: s.title, url: spec.url, credit: s.credit, downloaded: await isDownloaded(this.dir(), spec) };
      }),
    );
  }

  /** Downloads a source (once) and adds it to the project as an image dataset. */
  async download(store: ProjectStore, id: string): Promise<DatasetSummary> {
    const { spec } = this.spec(id);
    let path: string;
    try {
      path = await ensureDownloaded(this.dir(), spec, { idleTimeoutMs: this.opts.idleTimeoutMs });
    } catch (e) {
      if (!(e instanceof DownloadError)) throw e;
      // The downloader's message says what to do; offline, there is one more way out here.
      throw new ApiError(`${e.message}${e.code === 'offline' ? ' Or open an image file of your own instead.' : ''}`, e.code);
    }
    return this.importFile(store, path, spec.file);
  }

  /** Adds an image file (PNG or JPEG) to the project as a dataset of its pixels. */
  async importFile(store: ProjectStore, path: string, name: string): Promise<DatasetSummary> {
    const img = await decodeRgb(readFileSync(path), name, this.opts.maxPixels ?? MAX_IMAGE_PIXELS);
    return addImageDataset(store, img, name);
  }
}

/** The dataset of an image: (width · height, 3) float32 colours in 0..1. */
export function addImageDataset(store: ProjectStore, img: RgbImage, name: string): DatasetSummary {
  const n = img.width * img.height;
  const data = new Float32Array(n * 3);
  for (let i = 0; i < data.length; i++) data[i] = img.rgb[i] / 255;
  return store.addDataset({
    name: `${name.replace(/\.(png|jpe?g)$/i, '')} (${img.width}×${img.height})`,
    source: imageSource(img.width, img.height, name),
    X: matrix(n, 3, data),
    featureNames: CHANNEL_NAMES,
    labelName: null,
    labelClasses: null,
    labels: null,
  });
}

/** The pixels of an image dataset, back as bytes. */
export function imagePixels(store: ProjectStore, datasetId: string): ImagePixels {
  if (typeof datasetId !== 'string') throw new ApiError('expected a dataset id', 'bad-input');
  const ds = store.getDataset(datasetId);
  const size = parseImageSource(ds.source);
  if (!size || ds.nFeatures !== 3 || ds.nSamples !== size.width * size.height) {
    throw new ApiError(`${ds.name} is not an image: open an image (PNG or JPEG) or download the ladybug`, 'bad-input');
  }
  const { X } = store.getDatasetData(datasetId);
  const rgb = new Uint8Array(X.data.length);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(Math.min(1, Math.max(0, X.data[i])) * 255);
  return { width: size.width, height: size.height, rgb };
}
