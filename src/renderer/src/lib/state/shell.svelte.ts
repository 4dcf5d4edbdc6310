/**
 * The window around the views: which of its dialogs is open (command palette, preferences, About,
 * shortcuts, import, save as), the last save that failed, and the tour. The commands of
 * `shared/commands` are wired to their actions in `installAppCommands` (app-commands.ts); this
 * class only holds what those actions open.
 */
import type { ClientApi } from '../../../../shared/api';
import type { FileRef, SaveFailure } from '../../../../shared/dto';
import { prefs } from './prefs.svelte';
import { Tour } from './tour.svelte';

/** The palette lists commands, or the recent projects (Open Recent, Open… in the browser host). */
export type PaletteMode = 'commands' | 'recent';

/** A file the import dialog starts with: uploaded from a drop (browser host) or a granted path. */
export type ImportPreset = File | FileRef;

export class Shell {
  paletteOpen = $state(false);
  paletteMode = $state<PaletteMode>('commands');
  prefsOpen = $state(false);
  aboutOpen = $state(false);
  shortcutsOpen = $state(false);
  importOpen = $state(false);
  importPreset = $state.raw<ImportPreset | null>(null);
  saveOpen = $state(false);
  /** A file is being dragged over the window. */
  dragging = $state(false);
  /** The backend's last failed write, while there is one (the page asks before unloading). */
  saveFailure = $state<SaveFailure | null>(null);

  readonly tour = new Tour(prefs);

  async connect(api: ClientApi): Promise<void> {
    api.on('save:status', (s) => (this.saveFailure = s.failure));
    this.saveFailure = await api.project.lastSaveFailure();
  }

  openPalette(mode: PaletteMode = 'commands'): void {
    this.closeDialogs();
    this.paletteMode = mode;
    this.paletteOpen = true;
  }

  openImport(preset: ImportPreset | null = null): void {
    this.closeDialogs();
    this.importPreset = preset;
    this.importOpen = true;
  }

  /** One dialog at a time: opening one closes the others. */
  closeDialogs(): void {
    this.paletteOpen = false;
    this.prefsOpen = false;
    this.aboutOpen = false;
    this.shortcutsOpen = false;
    this.importOpen = false;
    this.saveOpen = false;
  }

  /** Whether any of the shell's dialogs is open (page shortcuts wait while one is). */
  get dialogOpen(): boolean {
    return this.paletteOpen || this.prefsOpen || this.aboutOpen || this.shortcutsOpen || this.importOpen || this.saveOpen;
  }
}
