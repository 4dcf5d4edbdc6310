export type ProjectErrorCode =
  | 'not-found'
  | 'not-a-project'
  | 'foreign-app'
  | 'newer-version'
  | 'damaged'
  | 'locked'
  | 'read-only'
  | 'disk-full'
  | 'not-open'
  | 'unknown-id'
  | 'io';

/** A project file that cannot be opened or written, with a reason a person can act on. */
export class ProjectError extends Error {
  override name = 'ProjectError';
  constructor(
    readonly code: ProjectErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
