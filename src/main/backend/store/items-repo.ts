/**
 * Per-row items of a dataset: the file each row of an image dataset came from and its thumbnail
 * (PNG bytes), for galleries, labeling grids and review queues.
 */
import type { ProjectStore } from './project-store';

export interface NewItem {
  name: string;
  /** PNG bytes, or null. */
  thumbnail: Uint8Array | null;
}

/** Stores the items of rows 0..n−1 in one transaction. */
export function addItems(store: ProjectStore, datasetId: string, items: readonly NewItem[]): void {
  store.transaction((db) => {
    const insert = db.prepare('INSERT INTO dataset_items (dataset_id, row, name, thumbnail) VALUES (?, ?, ?, ?)');
    items.forEach((it, row) => insert.run(datasetId, row, it.name, it.thumbnail ? Buffer.from(it.thumbnail.buffer, it.thumbnail.byteOffset, it.thumbnail.byteLength) : null));
  });
}

/** The item names in row order, or null when the dataset has no items (a plain table). */
export function itemNames(store: ProjectStore, datasetId: string): string[] | null {
  const rows = store.query((db) => db.prepare('SELECT name FROM dataset_items WHERE dataset_id = ? ORDER BY row').all(datasetId) as Array<{ name: string }>);
  return rows.length ? rows.map((r) => r.name) : null;
}

/** Thumbnails (PNG bytes) of the given rows, in that order; null where a row has none. */
export function thumbnails(store: ProjectStore, datasetId: string, rows: readonly number[]): Array<Uint8Array | null> {
  return store.query((db) => {
    const get = db.prepare('SELECT thumbnail FROM dataset_items WHERE dataset_id = ? AND row = ?');
    return rows.map((row) => {
      const r = get.get(datasetId, row) as { thumbnail: Buffer | null } | undefined;
      return r?.thumbnail ? new Uint8Array(r.thumbnail) : null;
    });
  });
}
