/** The app version, injected at build time from package.json. */
declare const __CLUSTERSCOPE_VERSION__: string;
