/**
 * The plain bookkeeping behind `SampleImages`: the URLs kept per row (oldest released first),
 * the rows asked for and not yet fetched, and those that have no picture.
 */

export class ImageCache {
  private readonly urls = new Map<number, string>();
  private readonly missing = new Set<number>();
  private readonly queued = new Set<number>();

  constructor(
    /** URLs kept; the oldest are released beyond this. */
    private readonly keep: number,
    private readonly release: (url: string) => void,
  ) {}

  get(row: number): string | undefined {
    return this.urls.get(row);
  }

  isMissing(row: number): boolean {
    return this.missing.has(row);
  }

  /** Asks for a row; true when it was not already asked for. */
  request(row: number): boolean {
    if (this.queued.has(row)) return false;
    this.queued.add(row);
    return true;
  }

  /** The rows asked for since the last call. */
  takeRequests(): number[] {
    const rows = [...this.queued];
    this.queued.clear();
    return rows;
  }

  markMissing(row: number): void {
    this.missing.add(row);
  }

  set(row: number, url: string): void {
    const old = this.urls.get(row);
    if (old !== undefined && old !== url) this.release(old);
    this.urls.delete(row);
    this.urls.set(row, url);
    while (this.urls.size > this.keep) {
      const [oldest, u] = this.urls.entries().next().value as [number, string];
      this.urls.delete(oldest);
      this.release(u);
    }
  }

  clear(): void {
    for (const u of this.urls.values()) this.release(u);
    this.urls.clear();
    this.queued.clear();
  }
}
