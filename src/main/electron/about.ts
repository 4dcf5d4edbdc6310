/**
 * The app's identity as the operating system knows it, and the About box: versions and the
 * credits of the data the app bundles or downloads (see resources/samples/CREDITS.md).
 */
import { APP_TAGLINE, creditLine, DATA_CREDITS } from '../../shared/credits';

/** Must equal `appId` in electron-builder.config.mjs (a test checks): Windows ties taskbar
 * entries, jump lists and notifications to it. */
export const APP_ID = 'org.clusterscope.app';
export const PRODUCT_NAME = 'Clusterscope';

export { DATA_CREDITS, type DataCredit } from '../../shared/credits';

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
  const credits = DATA_CREDITS.map((c) => `• ${creditLine(c)}`);
  return {
    title: `About ${PRODUCT_NAME}`,
    message: `${PRODUCT_NAME} ${input.version}`,
    detail: [
      APP_TAGLINE,
      '',
      [...runtime, `${input.platform} ${input.arch}`].join('\n'),
      '',
      'Data credits:',
      ...credits,
    ].join('\n'),
  };
}
