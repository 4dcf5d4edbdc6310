/**
 * The credits of the data the app bundles or downloads (see resources/samples/CREDITS.md), shown
 * by both About boxes: the native one of the desktop app and the page's own.
 */

export interface DataCredit {
  data: string;
  credit: string;
  license: string | null;
}

export const DATA_CREDITS: readonly DataCredit[] = [
  { data: 'Olivetti faces (ORL database)', credit: 'AT&T Laboratories Cambridge', license: null },
  { data: 'Optical Recognition of Handwritten Digits', credit: 'E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository', license: 'CC BY 4.0' },
  { data: 'Iris', credit: 'R. A. Fisher (1936), UCI Machine Learning Repository', license: 'CC BY 4.0' },
  { data: 'MNIST', credit: 'Y. LeCun, C. Cortes and C. J. C. Burges', license: 'CC BY-SA 3.0' },
  {
    data: 'Ladybug image; the blobs of the clustering chapter',
    credit: 'A. Géron, Hands-On Machine Learning with Scikit-Learn, Keras and TensorFlow',
    license: 'Apache-2.0',
  },
];

/** One credit as a line of text: `Iris: R. A. Fisher (1936), … (CC BY 4.0)`. */
export function creditLine(c: DataCredit): string {
  return `${c.data}: ${c.credit}${c.license ? ` (${c.license})` : ''}`;
}

/** What the app is, in one sentence (the About boxes' first line). */
export const APP_TAGLINE = 'Exploratory clustering with the algorithms and numbers of scikit-learn.';
