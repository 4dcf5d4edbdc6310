/**
 * Whether the open project holds everything the person did. Every change is committed when it is
 * made, so normally it does; when a write fails (disk full, the file turned read-only or became
 * unreachable) the change exists only in the window until a later write succeeds. The backend
 * keeps that last failure here: the desktop app's quit guard asks before quitting, and the
 * browser host's page before unloading, only while there is one.
 */
import type { SaveFailure } from '../../../shared/dto';
import { ProjectError, type ProjectErrorCode } from '../store/errors';
import type { ProjectStore } from '../store/project-store';

/**
 * The store's reasons that mean "this change was not written" (as opposed to a refused request,
 * an unknown id, or a project opened read-only on purpose, which the window already says).
 */
const UNSAVED_CODES: ReadonlySet<ProjectErrorCode> = new Set(['disk-full', 'io', 'read-only', 'locked', 'damaged']);

export function isSaveFailure(e: unknown): e is ProjectError {
  return e instanceof ProjectError && UNSAVED_CODES.has(e.code);
}

export class SaveStatus {
  private failure: SaveFailure | null = null;

  /** @param onChange told when a failure appears or is cleared (the `save:status` event). */
  constructor(private readonly onChange: (failure: SaveFailure | null) => void) {}

  current(): SaveFailure | null {
    return this.failure;
  }

  /** A write failed: it is the one to warn about (the latest failure replaces older ones). */
  failed(e: ProjectError, path: string): void {
    this.failure = { message: e.message, path, at: new Date().toISOString() };
    this.onChange(this.failure);
  }

  /** A write succeeded, or the project whose write failed is no longer open. */
  clear(): void {
    if (!this.failure) return;
    this.failure = null;
    this.onChange(null);
  }

  /**
   * Follows every write of `store`. ProjectStore sends each of its writes (its own and the
   * repositories' `transaction`s) through one private `write`; wrapping it on this instance sees
   * them all, including writers added later, without the store knowing about this status.
   */
  watch(store: ProjectStore): void {
    if (store.readOnly) return;
    const target = store as unknown as { write: <T>(fn: () => T) => T };
    const write = target.write.bind(store);
    target.write = <T>(fn: () => T): T => {
      let result: T;
      try {
        result = write(fn);
      } catch (e) {
        if (isSaveFailure(e)) this.failed(e, store.path);
        throw e;
      }
      this.clear();
      return result;
    };
  }
}
