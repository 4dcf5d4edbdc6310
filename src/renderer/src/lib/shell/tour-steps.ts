/**
 * The guided tour of the first start: a few steps, each anchored to a real element of the window
 * (found by a CSS selector) and saying in two sentences what it is for. A step whose element is
 * not on screen (a view this build does not have) is passed over.
 */

export interface TourStep {
  id: string;
  /** Selectors of the element to point at, the first present one wins. */
  anchor: string;
  title: string;
  /** `{palette}` is replaced by the palette's shortcut as the platform writes it. */
  text: string;
}

export const TOUR_STEPS: readonly TourStep[] = [
  {
    id: 'datasets',
    anchor: '[data-tour="datasets"]',
    title: 'Your data',
    text: "Every dataset of the project is listed here; the sample holds the chapter's blobs, iris and the 8×8 digits. Import a CSV from here, or drop a table, a .npy array or an image anywhere on the window.",
  },
  {
    id: 'run-form',
    anchor: '[data-testid="algorithm-form"], [data-tour="run-form"]',
    title: 'Cluster it',
    text: "Choose an algorithm and its parameters, with scikit-learn's names and defaults (focus a field to read what it does). Run starts a job; its progress is in the status bar.",
  },
  {
    id: 'scatter',
    anchor: '[data-tour="scatter"], [data-testid="scatter-canvas"]',
    title: 'See the clustering',
    text: 'The samples coloured by cluster, with the centroids. Data with more than two features can be shown through its PCA projection.',
  },
  {
    id: 'views',
    anchor: '[data-tour="view-tabs"]',
    title: 'Judge it',
    text: 'The other views look at the same dataset and run: which k, silhouettes, decision boundaries, densities and more.',
  },
  {
    id: 'palette',
    anchor: '[data-tour="palette"]',
    title: 'Every command at hand',
    text: 'Press {palette} for the command palette: type a few letters of any action or view. Show this tour again from there (Show the Tour).',
  },
];

/**
 * The step to show after `from` going `dir` (+1 / −1) among the steps whose anchor is present,
 * or null when there is none (the tour ends going forward).
 */
export function nextStep(from: number, dir: 1 | -1, present: (step: TourStep) => boolean, steps: readonly TourStep[] = TOUR_STEPS): number | null {
  for (let i = from + dir; i >= 0 && i < steps.length; i += dir) if (present(steps[i])) return i;
  return null;
}
