/** Whether the system asks for dark colours; canvases read it to pick their palette. */
class Theme {
  dark = $state(false);

  constructor() {
    const q = window.matchMedia('(prefers-color-scheme: dark)');
    this.dark = q.matches;
    q.addEventListener('change', (e) => (this.dark = e.matches));
  }
}

export const theme = new Theme();
