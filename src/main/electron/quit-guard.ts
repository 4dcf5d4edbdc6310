/**
 * Whether quitting may lose work. Projects autosave: every change is committed to SQLite when it
 * is made, so there is normally nothing to ask. The one exception is an autosave that failed
 * (disk full, file gone read-only): then the last changes live only in memory and the person
 * chooses. The backend answers through an optional method, `lastSaveFailure()`; a backend
 * without it (or one reporting null) never causes a prompt.
 */

export interface SaveFailure {
  /** The backend's reason, shown as it is. */
  message: string;
  /** The project that could not be saved, when known. */
  path: string | null;
}

/** What a backend implements to take part in the quit check. */
export interface SaveStatusSource {
  lastSaveFailure(): SaveFailure | null;
}

function parseSaveFailure(v: unknown): SaveFailure | null {
  if (!v || typeof v !== 'object') return null;
  const { message, path } = v as Record<string, unknown>;
  if (typeof message !== 'string' || !message) return null;
  return { message, path: typeof path === 'string' ? path : null };
}

/** The failed save to warn about before quitting, or null when quitting loses nothing. */
export function pendingSaveFailure(source: object): SaveFailure | null {
  if (!('lastSaveFailure' in source) || typeof source.lastSaveFailure !== 'function') return null;
  return parseSaveFailure((source as SaveStatusSource).lastSaveFailure());
}

export type QuitChoice = 'save-as' | 'quit' | 'cancel';

const CHOICES: readonly QuitChoice[] = ['save-as', 'quit', 'cancel'];

/** The message box asking what to do; its button order is `CHOICES`. */
export function quitPrompt(failure: SaveFailure): {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
} {
  const where = failure.path ? ` to ${failure.path}` : '';
  return {
    type: 'warning',
    title: 'Unsaved changes',
    message: 'The latest changes could not be saved',
    detail: `Clusterscope could not save${where}: ${failure.message}\n\nSave the project somewhere else, or quit and lose the changes made since the last successful save.`,
    buttons: ['Save As…', 'Quit Anyway', 'Cancel'],
    defaultId: CHOICES.indexOf('save-as'),
    cancelId: CHOICES.indexOf('cancel'),
  };
}

/** The choice for a message box response (an unknown index cancels: the safe answer). */
export function quitChoice(response: number): QuitChoice {
  return CHOICES[response] ?? 'cancel';
}
