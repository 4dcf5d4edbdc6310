// Packaging for the desktop app: `npm run dist` (electron-vite build, then electron-builder with
// this file). Each platform is built on its own OS, for the machine's architecture: sharp's
// libvips comes as an npm package per platform, and a dmg can only be made on macOS.
// test/unit/packaging/builder-config.test.ts checks this file against electron-builder's own
// schema and matcher, and against the files it names, so it cannot rot unnoticed.

/** @type {import('electron-builder').Configuration} */
const config = {
  // Must equal APP_ID in src/main/electron/about.ts (the app sets it as its AppUserModelID).
  appId: 'org.clusterscope.app',
  productName: 'Clusterscope',
  copyright: 'Copyright © Clusterscope contributors',
  directories: { output: 'dist', buildResources: 'build' },

  // What goes into app.asar: the electron-vite build and package.json (its "main" is
  // out/main/index.js). Sources, tests, source maps and the bundled data stay out; production
  // dependencies are added by electron-builder and only the exclusions below apply to them.
  files: [
    'out/**/*',
    'package.json',
    '!**/*.map',
    // better-sqlite3 ships its C++ sources and the SQLite amalgamation (about 10 MB) beside the
    // prebuilt binaries it loads.
    '!**/node_modules/better-sqlite3/{deps,src}/**',
    '!**/node_modules/better-sqlite3/binding.gyp',
  ],
  // resources/ sits beside app.asar, where the main process looks for it
  // (process.resourcesPath/resources in src/main/electron/index.ts): the sample tables are read
  // with plain file access, and the window icon is handed to the OS by path.
  extraResources: [{ from: 'resources', to: 'resources', filter: ['samples/**/*', 'icon.png'] }],

  asar: true,
  // Native code cannot be loaded from inside an archive. better-sqlite3 and sharp are Node-API
  // modules with prebuilt binaries, and sharp's @img/* packages hold libvips, which its binary
  // links against by relative path: each package is unpacked whole.
  asarUnpack: ['**/node_modules/better-sqlite3/**/*', '**/node_modules/sharp/**/*', '**/node_modules/@img/**/*'],
  // Node-API binaries work in Electron as they are: nothing to rebuild against Electron's headers.
  npmRebuild: false,
  afterPack: './build/after-pack.mjs',

  fileAssociations: [
    {
      ext: 'clusterscope',
      name: 'Clusterscope project',
      description: 'Clusterscope project',
      role: 'Editor',
      mimeType: 'application/x-clusterscope',
      // resources/icons/document.icns on macOS, document.ico on Windows (Linux uses the app icon).
      icon: 'resources/icons/document',
    },
  ],

  linux: {
    target: ['AppImage', 'deb'],
    icon: 'resources/icons',
    category: 'Science',
    synopsis: 'Exploratory clustering',
  },
  mac: {
    target: ['dmg'],
    icon: 'resources/icon.icns',
    category: 'public.app-category.productivity',
  },
  win: {
    target: ['nsis'],
    icon: 'resources/icon.ico',
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
    // Projects and settings live in the user's folders; uninstalling must not delete them.
    deleteAppDataOnUninstall: false,
  },
};

export default config;
