/**
 * Pictures of samples for the grids: the thumbnail saved with an image dataset's row (PNG bytes
 * as a blob URL), or, for a table of square grayscale pixels without thumbnails (the bundled
 * digits), the row's values drawn on a canvas. Requests made while rendering are batched and
 * fetched after the frame; the URLs of the last few thousand rows are kept.
 */
import type { ClientApi } from '../../../../shared/api';
import type { DatasetSummary } from '../../../../shared/dto';
import { ImageCache } from './image-cache';
import { rowToRgba, squareSide } from './pixels';

/** Rows asked for in one call (the backend's limit for feature rows is 2,000). */
const BATCH = 200;
/** URLs kept; the oldest are released beyond this. */
const KEEP = 4000;

export class SampleImages {
  /** Bumped whenever new pictures arrive, so that readers of `url` update. */
  version = $state(0);
  /** The side of the square a row is drawn as, or null (no thumbnails and not square pixels). */
  readonly side: number | null;

  private readonly cache = new ImageCache(KEEP, (u) => {
    if (u.startsWith('blob:')) URL.revokeObjectURL(u);
  });
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly api: ClientApi,
    private readonly dataset: DatasetSummary,
    /** Whether the dataset has items (thumbnails); from `data.items`. */
    private readonly hasItems: boolean,
  ) {
    this.side = squareSide(dataset.nFeatures);
  }

  /** Whether rows can be pictured at all. */
  get drawable(): boolean {
    return this.hasItems || this.side !== null;
  }

  /** Draw small pixel images with hard edges (8×8 digits), larger ones smoothly. */
  get pixelated(): boolean {
    return !this.hasItems && (this.side ?? 0) <= 32;
  }

  /** The picture of a row, or undefined while it loads (it is requested). Safe to call while rendering. */
  url(row: number): string | undefined {
    void this.version;
    const u = this.cache.get(row);
    if (u !== undefined || this.cache.isMissing(row) || !this.drawable) return u;
    if (this.cache.request(row)) this.timer ??= setTimeout(() => void this.flush(), 0);
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.cache.clear();
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const rows = this.cache.takeRequests();
    for (let i = 0; i < rows.length && !this.disposed; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      try {
        await this.load(batch);
      } catch {
        // A picture that cannot be loaded stays blank; the label still works.
        for (const r of batch) this.cache.markMissing(r);
      }
      this.version++;
    }
  }

  private async load(rows: number[]): Promise<void> {
    let rest = rows;
    if (this.hasItems) {
      const thumbs = await this.api.data.thumbnails(this.dataset.id, rows);
      rest = [];
      rows.forEach((r, i) => {
        const png = thumbs[i];
        if (png) this.keep(r, URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' })));
        else rest.push(r);
      });
    }
    const side = this.side;
    if (rest.length === 0) return;
    if (side === null) {
      for (const r of rest) this.cache.markMissing(r);
      return;
    }
    const m = await this.api.labeling.rows(this.dataset.id, rest);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas');
    rest.forEach((r, i) => {
      ctx.putImageData(new ImageData(rowToRgba(m.data.subarray(i * m.cols, (i + 1) * m.cols), side), side, side), 0, 0);
      this.keep(r, canvas.toDataURL('image/png'));
    });
  }

  private keep(row: number, url: string): void {
    if (this.disposed) {
      if (url.startsWith('blob:')) URL.revokeObjectURL(url);
      return;
    }
    this.cache.set(row, url);
  }
}
