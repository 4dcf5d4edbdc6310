/**
 * The person's preferences as the renderer sees them: loaded from the backend at start, kept
 * current by `prefs:changed`, changed through `set` (the backend validates and stores them in the
 * settings file). Views read `prefs.value` — e.g. `prefs.value.defaultSeed` to pre-fill
 * random_state. The theme is applied here as soon as it is known or changed.
 */
import type { ClientApi } from '../../../../shared/api';
import { DEFAULT_PREFERENCES, type Preferences } from '../../../../shared/prefs';
import { theme } from './theme.svelte';

export class Prefs {
  value = $state<Preferences>({ ...DEFAULT_PREFERENCES });
  /** True once the backend's values are in (the tour waits for them). */
  loaded = $state(false);
  private api: ClientApi | null = null;

  /** Loads the preferences and follows their changes (another window, the desktop menu). */
  async connect(api: ClientApi): Promise<void> {
    this.api = api;
    api.on('prefs:changed', (p) => this.accept(p));
    this.accept(await api.prefs.get());
    this.loaded = true;
  }

  /** Changes some preferences; throws the backend's refusal (which names the field and rule). */
  async set(change: Partial<Preferences>): Promise<Preferences> {
    if (!this.api) throw new Error('The preferences are not loaded yet');
    const next = await this.api.prefs.set(change);
    this.accept(next);
    return next;
  }

  private accept(p: Preferences): void {
    this.value = p;
    if (p.theme !== theme.choice) theme.apply(p.theme);
  }
}

export const prefs = new Prefs();
