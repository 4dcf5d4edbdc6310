// electron-builder `afterPack` hook: flips the Electron fuses of the packed app's binary with
// @electron/fuses. Fuses are switches compiled into the Electron binary; setting them here (after
// packing, before signing) turns off the ways to run arbitrary code through the installed app
// (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect) and makes it load only its own, checked
// app.asar. The settings are exported as data so a test can hold them to issue 9.
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** Every fuse set, by its @electron/fuses name; fuses not listed keep Electron's default. */
export const FUSES = Object.freeze({
  // The desktop app forks its workers with utilityProcess, which does not need this.
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // macOS and Windows check app.asar against the hash electron-builder embeds; Linux has no
  // such check and ignores the fuse.
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  EnableCookieEncryption: true,
});

/** builder-util's `Arch` values for the builds whose ad-hoc signature must be renewed. */
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/**
 * The @electron/fuses configuration for one build. Changing the binary breaks its ad-hoc
 * signature, which Apple silicon refuses to run; @electron/fuses signs it ad hoc again (a real
 * signature, where configured, is applied after this hook).
 */
export function fuseConfig(platform, arch) {
  const config = {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: platform === 'darwin' && (arch === ARCH_ARM64 || arch === ARCH_UNIVERSAL),
  };
  for (const [name, enabled] of Object.entries(FUSES)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses has no fuse named ${name}`);
    config[index] = enabled;
  }
  return config;
}

/** Where electron-builder put the Electron binary (the same rule as its own fuse step). */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`afterPack: no Electron binary layout known for '${electronPlatformName}'`);
  }
}

export async function afterPack(context) {
  const binary = electronBinaryPath(context);
  const flipped = await flipFuses(binary, fuseConfig(context.electronPlatformName, context.arch));
  console.log(`  • fuses set in ${binary} (${flipped} fuse wire${flipped === 1 ? '' : 's'})`);
}

export default afterPack;
