/**
 * The app's identity as the operating system knows it, and the About box: versions and the
 * credits of the data the app bundles or downloads (see resources/samples/CREDITS.md).
 */

/** Must equal `appId` in electron-builder.config.mjs (a test checks): Windows ties taskbar
 * entries, jump lists and notifications to it. */
export const APP_ID = 'org.clusterscope.app';
export const PRODUCT_NAME = 'Clusterscope';

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

export interface AboutInput {
  version: string;
  /** `process.versions`: electron, chrome, node, v8. */
  versions: Partial<Record<string, string>>;
  platform: string;
  arch: string;
}

/** The About box's text: the version line as the message, versions and credits as detail. */
export function aboutText(input: AboutInput): { title: string; message: string; detail: string } {
  const v = input.versions;
  const runtime = [
    ['Electron', v.electron],
    ['Chromium', v.chrome],
    ['Node.js', v.node],
    ['V8', v.v8],
  ]
    .filter(([, value]) => value)
    .map(([name, value]) => `${name} ${value}`);
  const credits = DATA_CREDITS.map((c) => `• ${c.data}: ${c.credit}${c.license ? ` (${c.license})` : ''}`);
  return {
    title: `About ${PRODUCT_NAME}`,
    message: `${PRODUCT_NAME} ${input.version}`,
    detail: [
      'Exploratory clustering with the algorithms and numbers of scikit-learn.',
      '',
      [...runtime, `${input.platform} ${input.arch}`].join('\n'),
      '',
      'Data credits:',
      ...credits,
    ].join('\n'),
  };
}
