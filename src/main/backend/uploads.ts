/**
 * Files the browser host received by upload. The renderer refers to them by id; only ids this
 * registry issued resolve, so a request cannot name an arbitrary path.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';

export class UploadRegistry {
  private readonly files = new Map<string, { path: string; name: string }>();

  constructor(private readonly dir: string) {}

  add(name: string, bytes: Uint8Array): { id: string; name: string } {
    mkdirSync(this.dir, { recursive: true });
    const id = randomUUID();
    const safe = basename(name).replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'upload';
    const path = join(this.dir, `${id}-${safe}`);
    writeFileSync(path, bytes);
    this.files.set(id, { path, name: basename(name) });
    return { id, name: basename(name) };
  }

  resolve(id: string): { path: string; name: string } | undefined {
    return this.files.get(id);
  }

  clear(): void {
    this.files.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
