/**
 * Light or dark: the system's setting, or the choice made in Preferences (System / Light / Dark).
 * The choice is applied at once as `data-theme` on the root, which sets the page's
 * `color-scheme` (app.css picks every colour with light-dark()); canvases read `dark` to pick
 * their palette. The backend keeps the choice (Preferences); a copy in localStorage lets the next
 * start paint in the right theme before the backend has answered.
 */
import type { ThemeChoice } from '../../../../shared/prefs';

const STORAGE_KEY = 'clusterscope.theme';

function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

class Theme {
  /** What the person chose. */
  choice = $state<ThemeChoice>('system');
  /** What the system asks for. */
  systemDark = $state(false);
  /** The theme in effect. */
  dark = $derived(this.choice === 'dark' || (this.choice === 'system' && this.systemDark));

  constructor() {
    const q = window.matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = q.matches;
    q.addEventListener('change', (e) => (this.systemDark = e.matches));
    this.apply(storedChoice());
  }

  /** Shows the page in `choice` now (Preferences stores it with the backend). */
  apply(choice: ThemeChoice): void {
    this.choice = choice;
    const root = document.documentElement;
    if (choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = choice;
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage may be unavailable (private mode); the backend still has the choice.
    }
  }
}

export const theme = new Theme();
