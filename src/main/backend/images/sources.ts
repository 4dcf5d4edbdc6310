/**
 * Images the app downloads on demand, with where they come from and the checksum the download
 * must have. A source's address can be replaced from the environment (tests serve the file from
 * a local server; a mirror can stand in for GitHub).
 */
export interface ImageSource {
  id: string;
  title: string;
  /** The file name in the downloads folder. */
  file: string;
  url: string;
  /** sha256 of the file, hex. */
  sha256: string;
  credit: string;
}

/** The chapter's ladybug (Hands-On Machine Learning, 2nd ed., chapter 9; Apache-2.0). */
const LADYBUG: ImageSource = {
  id: 'ladybug',
  title: 'The ladybug of the clustering chapter',
  file: 'ladybug.png',
  url: 'https://raw.githubusercontent.com/ageron/handson-ml2/master/images/unsupervised_learning/ladybug.png',
  sha256: '786f9c4c369c00e1f24e08f90adf0c3febd6778b322baeea7712f3f0d7df1f59',
  credit: 'A. Géron, Hands-On Machine Learning (2nd ed.), chapter 9 — ageron/handson-ml2, Apache-2.0',
};

/** Environment variable that replaces each source's address. */
export const URL_ENV: Record<string, string> = { ladybug: 'CLUSTERSCOPE_LADYBUG_URL' };

/** The downloadable images, with the addresses the environment gives (if any). */
export function imageSources(env: Record<string, string | undefined> = process.env): ImageSource[] {
  return [LADYBUG].map((s) => ({ ...s, url: env[URL_ENV[s.id]]?.trim() || s.url }));
}
