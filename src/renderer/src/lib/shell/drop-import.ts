/**
 * Files dropped on the window, opened by what they are (lib/shell/drop.ts): a CSV/TSV opens the
 * import dialog with the file already read, a `.npy` is imported at once (its dtype and shape
 * reported), an image goes to the segmentation view, a folder to the image-folder import, a
 * project file is opened.
 *
 * Desktop app: the preload gives each dropped File's path (`api.pathForFile`), and
 * `files.dropped` lets the backend read exactly those paths. Browser host: files are uploaded;
 * a folder is read in the page (its files and their paths inside it) and handed to the folder
 * import, which uploads it.
 *
 * The folder import is the image-folder feature's: it registers the command `data.importImages`
 * taking one `DroppedFolder`; while no such command is registered, a dropped folder is answered
 * with a message.
 */
import type { ClientApi } from '../../../../shared/api';
import type { DatasetSummary, FileRef } from '../../../../shared/dto';
import { uploadFile } from '../api/websocket';
import { errorMessage } from '../format';
import type { CommandRegistry } from './command-registry';
import { describeNpy, dropKind, type DropKind } from './drop';

/**
 * A dropped folder as the folder import receives it: its path (desktop app, already granted), or
 * its files (browser host), each with its path from the folder, the folder's own name first —
 * `faces/s1/1.pgm`, as `webkitRelativePath` is for a folder chosen with a file input.
 */
export type DroppedFolder =
  | { kind: 'path'; path: string; name: string }
  | { kind: 'files'; name: string; files: Array<{ path: string; file: File }> };

/** One dropped item, taken from the DataTransfer while the drop event lasts. */
export interface DroppedItem {
  file: File;
  name: string;
  /** The item's directory entry, for a folder (browser host). */
  entry: FileSystemEntry | null;
  isDirectory: boolean;
}

/** The dropped files and folders (the DataTransfer is emptied once the event is over: call it in the handler). */
export function takeDropped(dt: DataTransfer): DroppedItem[] {
  const out: DroppedItem[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const file = item.getAsFile();
    if (!file) continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    out.push({ file, name: file.name, entry, isDirectory: entry?.isDirectory ?? false });
  }
  if (out.length === 0) for (const file of Array.from(dt.files)) out.push({ file, name: file.name, entry: null, isDirectory: false });
  return out;
}

/** Every file under a dropped folder, with its path from the folder (its name first; at most `limit`). */
async function folderFiles(dir: FileSystemDirectoryEntry, limit = 200_000): Promise<Array<{ path: string; file: File }>> {
  const out: Array<{ path: string; file: File }> = [];
  const readAll = async (d: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> => {
    const reader = d.createReader();
    const all: FileSystemEntry[] = [];
    // readEntries returns the entries in batches; an empty batch ends the listing.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) return all;
      all.push(...batch);
    }
  };
  const walk = async (d: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    for (const e of await readAll(d)) {
      if (out.length >= limit) return;
      if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, `${prefix}${e.name}/`);
      else out.push({ path: `${prefix}${e.name}`, file: await new Promise<File>((ok, fail) => (e as FileSystemFileEntry).file(ok, fail)) });
    }
  };
  await walk(dir, `${dir.name}/`);
  return out;
}

export interface DropDeps {
  api: ClientApi;
  registry: CommandRegistry;
  host: 'electron' | 'browser';
  /** The registry views' ids (the segmentation view may be there). */
  viewIds: readonly string[];
  /** Makes sure a project is open to import into (a new untitled one if none is). */
  ensureProject(): Promise<boolean>;
  openImport(preset: File | FileRef): void;
  addDataset(ds: DatasetSummary): Promise<void>;
  showView(id: string): void;
  openProject(path: string): Promise<void>;
  info(message: string): void;
  error(message: string): void;
}

const SEGMENTATION_VIEWS = ['segmentation', 'segment', 'image-segmentation'];

/** Opens what was dropped; every refusal or failure becomes a message. */
export async function openDropped(items: DroppedItem[], deps: DropDeps): Promise<void> {
  if (items.length === 0) return;
  const first = items[0];
  if (items.length > 1) deps.info(`${items.length} items were dropped: opening ${first.name} only (drop one file or one folder at a time)`);
  try {
    let ref: FileRef | null = null;
    let kind: DropKind;
    if (deps.host === 'electron') {
      const path = deps.api.pathForFile?.(first.file) ?? '';
      if (!path) throw new Error(`${first.name} has no path on disk (was it dragged from another application?)`);
      const [granted] = await deps.api.files.dropped([path]);
      if (!granted) throw new Error(`${first.name} is no longer there`);
      ref = granted.ref;
      kind = dropKind(granted.name, granted.isDirectory);
    } else {
      kind = dropKind(first.name, first.isDirectory);
    }
    const upload = async (): Promise<FileRef> => ref ?? (await uploadFile(first.file));

    switch (kind) {
      case 'table':
        if (await deps.ensureProject()) deps.openImport(ref ?? first.file);
        return;
      case 'npy': {
        if (!(await deps.ensureProject())) return;
        const r = await deps.api.data.importNpy({ file: await upload() });
        await deps.addDataset(r.dataset);
        deps.info(`Imported ${describeNpy(first.name, r)}`);
        return;
      }
      case 'image': {
        const view = SEGMENTATION_VIEWS.find((v) => deps.viewIds.includes(v));
        if (!view || !('images' in deps.api)) {
          deps.info(`${first.name} is an image: images open in the segmentation view, which this version does not have`);
          return;
        }
        if (!(await deps.ensureProject())) return;
        const ds = await deps.api.images.open(await upload());
        await deps.addDataset(ds);
        deps.showView(view);
        return;
      }
      case 'folder': {
        if (!deps.registry.get('data.importImages')) {
          deps.info(`${first.name} is a folder: importing a folder of images is not supported in this version yet`);
          return;
        }
        if (!(await deps.ensureProject())) return;
        const folder: DroppedFolder =
          ref?.kind === 'path'
            ? { kind: 'path', path: ref.path, name: first.name }
            : { kind: 'files', name: first.name, files: await folderFiles(first.entry as FileSystemDirectoryEntry) };
        await deps.registry.run('data.importImages', [folder], 'drop');
        return;
      }
      case 'project':
        if (ref?.kind === 'path') await deps.openProject(ref.path);
        else deps.info(`${first.name} is a project: in the browser host, open projects from Recent (a dropped project file cannot be opened in place)`);
        return;
      default:
        deps.info(`Clusterscope cannot open ${first.name}: drop a CSV or TSV table, a .npy array, an image or a folder of images`);
    }
  } catch (e) {
    deps.error(`Could not open ${first.name}: ${errorMessage(e)}`);
  }
}
