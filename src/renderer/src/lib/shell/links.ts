/** Pages outside the app that it links to (the desktop app opens them in the system browser). */

/** The scikit-learn 1.2 clustering guide (the same page as the desktop menu's Help item). */
export const DOCS_URL = 'https://scikit-learn.org/1.2/modules/clustering.html';
