/**
 * The electron-builder configuration cannot be exercised here (the builder needs the Electron
 * binary), so this file holds it to what packaging needs: electron-builder's own schema and file
 * matcher, the files it names, the fuses of issue 9, and the main process it must agree with.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseV1Options } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration, FileAssociation } from 'electron-builder';
import { APP_ID, PRODUCT_NAME } from '../../../src/main/electron/about';
import { PROJECT_EXTENSION } from '../../../src/main/electron/open-files';

const root = resolve(__dirname, '../../..');
const requireHere = createRequire(__filename);
// electron-builder's internals (its schema check and file matcher) live in its app-builder-lib.
const requireBuilder = createRequire(requireHere.resolve('electron-builder/package.json'));

interface FileMatcherLike {
  createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean;
}
type FileMatcherClass = new (from: string, to: string, expand: (s: string) => string, patterns?: string | string[]) => FileMatcherLike;

const { FileMatcher } = requireBuilder('app-builder-lib/out/fileMatcher') as { FileMatcher: FileMatcherClass };
const { validateConfiguration } = requireBuilder('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger, Arch } = requireBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown; Arch: Record<string, number> };

/** Imports a project .mjs file by path (a variable specifier: these files carry no types). */
async function importProjectFile<T>(rel: string): Promise<T> {
  return (await import(pathToFileURL(join(root, rel)).href)) as T;
}

interface AfterPackModule {
  FUSES: Record<string, boolean>;
  fuseConfig(platform: string, arch: number): Record<string | number, unknown>;
  electronBinaryPath(context: unknown): string;
  afterPack(context: unknown): Promise<void>;
  default: (context: unknown) => Promise<void>;
}

let config: Configuration;
let hook: AfterPackModule;
beforeAll(async () => {
  config = (await importProjectFile<{ default: Configuration }>('electron-builder.config.mjs')).default;
  hook = await importProjectFile<AfterPackModule>('build/after-pack.mjs');
});

const notDir = { isDirectory: () => false };
const identity = (s: string): string => s;

/** electron-builder's own decision for a path relative to `from`, given a pattern list. */
function matcher(from: string, patterns: string[]): (rel: string) => boolean {
  const filter = new FileMatcher(from, '/packed', identity, patterns).createFilter();
  return (rel) => filter(join(from, rel), notDir);
}

function asStrings(v: unknown): string[] {
  const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  return list.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Width and height from a PNG's IHDR chunk, and its colour type. */
function pngHeader(buf: Buffer): { width: number; height: number; colorType: number } {
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf[25] };
}

/** The images of an ICO file: size and whether the entry is PNG (else a BMP/DIB). */
function icoEntries(buf: Buffer): { size: number; png: boolean; width: number }[] {
  expect(buf.readUInt16LE(0)).toBe(0);
  expect(buf.readUInt16LE(2)).toBe(1);
  const n = buf.readUInt16LE(4);
  return Array.from({ length: n }, (_, i) => {
    const e = 6 + 16 * i;
    const size = buf[e] || 256;
    const bytes = buf.readUInt32LE(e + 8);
    const offset = buf.readUInt32LE(e + 12);
    expect(offset + bytes).toBeLessThanOrEqual(buf.length);
    const data = buf.subarray(offset, offset + bytes);
    const png = data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const width = png ? pngHeader(data).width : data.readInt32LE(4);
    return { size, png, width };
  });
}

/** The elements of an ICNS file: type → PNG pixel width. */
function icnsEntries(buf: Buffer): Map<string, number> {
  expect(buf.toString('latin1', 0, 4)).toBe('icns');
  expect(buf.readUInt32BE(4)).toBe(buf.length);
  const out = new Map<string, number>();
  for (let at = 8; at < buf.length; ) {
    const type = buf.toString('latin1', at, at + 4);
    const len = buf.readUInt32BE(at + 4);
    expect(len).toBeGreaterThan(8);
    out.set(type, pngHeader(buf.subarray(at + 8, at + len)).width);
    at += len;
  }
  return out;
}

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s own configuration schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is the file the dist script hands to electron-builder', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/--config electron-builder\.config\.mjs\b/);
  });

  it('names the app as the main process does', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.directories?.output).toBe('dist');
  });

  it('builds an AppImage and a deb on Linux, a dmg on macOS and an NSIS installer on Windows', () => {
    expect(asStrings(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(asStrings(config.mac?.target)).toEqual(['dmg']);
    expect(asStrings(config.win?.target)).toEqual(['nsis']);
  });

  describe('files in app.asar', () => {
    const inAsar = (rel: string): boolean => matcher(root, config.files as string[])(rel);

    it('include the build output the main process loads, and package.json with its entry point', () => {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
      expect(pkg.main).toBe('out/main/index.js');
      for (const f of ['package.json', pkg.main, 'out/main/cluster-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/index-abc123.js']) {
        expect(inAsar(f), f).toBe(true);
      }
    });

    it('leave out sources, tests, scripts, configuration and source maps', () => {
      for (const f of [
        'src/main/electron/index.ts',
        'src/core/cluster/kmeans/index.ts',
        'src/renderer/src/App.svelte',
        'test/unit/packaging/builder-config.test.ts',
        'test/fixtures/csv/plain.csv',
        'scripts/make-icons.mjs',
        'build/after-pack.mjs',
        'electron-builder.config.mjs',
        'electron.vite.config.ts',
        'tsconfig.json',
        'out/main/index.js.map',
        'out/renderer/assets/index-abc123.js.map',
        'resources/samples/iris.csv',
      ]) {
        expect(inAsar(f), f).toBe(false);
      }
    });

    it('keep the prebuilt binaries of dependencies but drop better-sqlite3’s C sources', () => {
      // Dependencies are matched by the exclusions only, after an implicit "everything".
      const excludes = (config.files as string[]).filter((p) => p.startsWith('!'));
      const inModules = matcher(root, ['**/*', ...excludes]);
      expect(inModules('node_modules/better-sqlite3/lib/index.js')).toBe(true);
      expect(inModules('node_modules/better-sqlite3/prebuilds/linux-x64.node')).toBe(true);
      expect(inModules('node_modules/sharp/lib/index.js')).toBe(true);
      expect(inModules('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(false);
      expect(inModules('node_modules/better-sqlite3/src/better_sqlite3.cpp')).toBe(false);
    });
  });

  it('puts resources/ beside app.asar, where the packaged main process reads it', () => {
    const extra = (config.extraResources as { from: string; to: string; filter: string[] }[]) ?? [];
    const resources = extra.find((e) => e.from === 'resources');
    expect(resources?.to).toBe('resources');
    const mainSource = readFileSync(join(root, 'src/main/electron/index.ts'), 'utf8');
    expect(mainSource).toContain("join(process.resourcesPath, 'resources')");
    const shipped = matcher(join(root, 'resources'), resources!.filter);
    const samples = walk(join(root, 'resources/samples'));
    expect(samples.length).toBeGreaterThan(0);
    for (const f of samples) expect(shipped(relative(join(root, 'resources'), f)), f).toBe(true);
    expect(shipped('icon.png')).toBe(true);
    // Build-time icon sources stay behind.
    expect(shipped('icon.svg')).toBe(false);
    expect(shipped('icons/1024x1024.png')).toBe(false);
  });

  describe('native modules', () => {
    const unpacked = (rel: string): boolean => matcher(root, config.asarUnpack as string[])(rel);
    const nativeFiles = (dir: string): string[] =>
      walk(join(root, dir))
        .filter((f) => /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(f))
        .map((f) => relative(root, f));

    it('unpacks every file of better-sqlite3, sharp and sharp’s @img packages (libvips)', () => {
      const natives = [...nativeFiles('node_modules/better-sqlite3'), ...nativeFiles('node_modules/sharp'), ...nativeFiles('node_modules/@img')];
      expect(natives.some((f) => f.includes('better-sqlite3'))).toBe(true);
      expect(natives.some((f) => f.startsWith('node_modules/@img/') && /libvips/.test(f))).toBe(true);
      for (const f of natives) expect(unpacked(f), f).toBe(true);
      for (const f of ['node_modules/better-sqlite3/lib/index.js', 'node_modules/sharp/lib/sharp.js', 'node_modules/@img/colour/package.json']) {
        expect(unpacked(f), f).toBe(true);
      }
    });

    it('leaves the app code and pure-JS dependencies inside the archive', () => {
      for (const f of ['out/main/index.js', 'node_modules/ml-matrix/matrix.js', 'node_modules/ws/index.js', 'package.json']) {
        expect(unpacked(f), f).toBe(false);
      }
    });

    it('needs no rebuild: better-sqlite3 ships Node-API binaries for every packaged platform', () => {
      expect(config.npmRebuild).toBe(false);
      const gyp = readFileSync(join(root, 'node_modules/better-sqlite3/binding.gyp'), 'utf8');
      expect(gyp).toMatch(/NAPI_VERSION=\d+/);
      for (const p of ['linux-x64', 'darwin-x64', 'darwin-arm64', 'win32-x64']) {
        expect(existsSync(join(root, `node_modules/better-sqlite3/prebuilds/${p}.node`)), p).toBe(true);
      }
    });
  });

  describe('icons', () => {
    it('has a Linux icon set of PNGs from 16 to 1024 px named by size', () => {
      expect(config.linux?.icon).toBe('resources/icons');
      for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
        const h = pngHeader(readFileSync(join(root, `resources/icons/${size}x${size}.png`)));
        expect([h.width, h.height, h.colorType], `${size}px`).toEqual([size, size, 6]);
      }
      const app = pngHeader(readFileSync(join(root, 'resources/icon.png')));
      expect([app.width, app.height]).toEqual([512, 512]);
    });

    it('has a Windows .ico from 16 px (bitmaps) to 256 px (PNG)', () => {
      expect(config.win?.icon).toBe('resources/icon.ico');
      const entries = icoEntries(readFileSync(join(root, 'resources/icon.ico')));
      expect(entries.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
      for (const e of entries) {
        expect(e.width).toBe(e.size);
        expect(e.png).toBe(e.size === 256);
      }
    });

    it('has a macOS .icns with every size up to 1024 px', () => {
      expect(config.mac?.icon).toBe('resources/icon.icns');
      const entries = icnsEntries(readFileSync(join(root, 'resources/icon.icns')));
      expect(Object.fromEntries(entries)).toEqual({ icp4: 16, icp5: 32, ic11: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 });
    });

    it('was rendered from the SVG sources as they are now (scripts/make-icons.mjs)', () => {
      const manifest = JSON.parse(readFileSync(join(root, 'resources/icons/manifest.json'), 'utf8')) as { sources: Record<string, string> };
      expect(Object.keys(manifest.sources).sort()).toEqual(['resources/icon.svg', 'resources/icons/icon-small.svg']);
      for (const [rel, hash] of Object.entries(manifest.sources)) {
        const text = readFileSync(join(root, rel), 'utf8').replace(/\r\n/g, '\n');
        expect(createHash('sha256').update(text).digest('hex'), `${rel} changed: run npx node scripts/make-icons.mjs`).toBe(hash);
      }
    });
  });

  describe('file association', () => {
    const assoc = (): FileAssociation => {
      const list = Array.isArray(config.fileAssociations) ? config.fileAssociations : [config.fileAssociations!];
      expect(list).toHaveLength(1);
      return list[0];
    };

    it('registers the project extension as an editable Clusterscope document', () => {
      const a = assoc();
      expect(`.${String(a.ext)}`).toBe(PROJECT_EXTENSION);
      expect(a.role).toBe('Editor');
      expect(a.name).toBeTruthy();
      expect(a.description).toBeTruthy();
      // Linux registers a glob only for associations with a MIME type.
      expect(a.mimeType).toMatch(/^application\/x-clusterscope$/);
    });

    it('has a document icon for macOS (.icns) and Windows (.ico)', () => {
      const base = assoc().icon!;
      expect(base).not.toMatch(/\.\w+$/); // electron-builder adds the platform's extension
      expect(icnsEntries(readFileSync(join(root, `${base}.icns`))).get('ic10')).toBe(1024);
      expect(icoEntries(readFileSync(join(root, `${base}.ico`))).map((e) => e.size)).toContain(256);
    });
  });

  describe('fuses', () => {
    it('turns off run-as-node, NODE_OPTIONS and --inspect, and turns on asar integrity, asar-only loading and cookie encryption', () => {
      expect(hook.FUSES).toEqual({
        RunAsNode: false,
        EnableNodeOptionsEnvironmentVariable: false,
        EnableNodeCliInspectArguments: false,
        EnableEmbeddedAsarIntegrityValidation: true,
        OnlyLoadAppFromAsar: true,
        EnableCookieEncryption: true,
      });
    });

    it('are set by an afterPack hook that exists and exports the hook function', () => {
      expect(config.afterPack).toBe('./build/after-pack.mjs');
      expect(existsSync(join(root, config.afterPack as string))).toBe(true);
      expect(typeof hook.afterPack).toBe('function');
      expect(hook.default).toBe(hook.afterPack);
      // The other fuse route would set them a second time.
      expect(config.electronFuses ?? null).toBeNull();
    });

    it('renew the ad-hoc signature only for Apple-silicon builds', () => {
      expect(hook.fuseConfig('darwin', Arch.arm64).resetAdHocDarwinSignature).toBe(true);
      expect(hook.fuseConfig('darwin', Arch.universal).resetAdHocDarwinSignature).toBe(true);
      expect(hook.fuseConfig('darwin', Arch.x64).resetAdHocDarwinSignature).toBe(false);
      expect(hook.fuseConfig('linux', Arch.arm64).resetAdHocDarwinSignature).toBe(false);
      expect(hook.fuseConfig('win32', Arch.x64).resetAdHocDarwinSignature).toBe(false);
    });

    describe('the hook on a stand-in Electron binary', () => {
      // @electron/fuses finds the fuse wire by its sentinel; a file holding a sentinel and a
      // wire in Electron's default states stands in for the binary.
      const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
      // Electron's defaults, RunAsNode … WasmTrapHandlers in @electron/fuses order.
      const DEFAULT_WIRE = '101100011';
      let dir: string;
      beforeAll(() => {
        dir = mkdtempSync(join(tmpdir(), 'cs-fuses-'));
      });
      afterAll(() => rmSync(dir, { recursive: true, force: true }));

      function fakeBinary(path: string): void {
        mkdirSync(resolve(path, '..'), { recursive: true });
        const wire = Buffer.from(DEFAULT_WIRE, 'latin1');
        writeFileSync(path, Buffer.concat([Buffer.from('\0prefix\0'), Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, wire.length]), wire, Buffer.from('\0suffix')]));
      }

      function wireOf(path: string): string {
        const buf = readFileSync(path);
        const at = buf.indexOf(SENTINEL) + SENTINEL.length;
        return buf.toString('latin1', at + 2, at + 2 + buf[at + 1]);
      }

      const expected = (): string => {
        const wire = DEFAULT_WIRE.split('');
        for (const [name, on] of Object.entries(hook.FUSES)) wire[FuseV1Options[name as keyof typeof FuseV1Options]] = on ? '1' : '0';
        return wire.join('');
      };

      it('flips exactly the listed fuses in the Linux executable', async () => {
        const appOutDir = join(dir, 'linux-unpacked');
        fakeBinary(join(appOutDir, 'clusterscope'));
        await hook.afterPack({ appOutDir, electronPlatformName: 'linux', arch: Arch.x64, packager: { executableName: 'clusterscope', appInfo: { productFilename: PRODUCT_NAME } } });
        const wire = wireOf(join(appOutDir, 'clusterscope'));
        expect(wire).toBe(expected());
        expect(wire).not.toBe(DEFAULT_WIRE);
      });

      it('finds the Windows executable and the macOS framework binary', async () => {
        const win = join(dir, 'win-unpacked');
        fakeBinary(join(win, `${PRODUCT_NAME}.exe`));
        await hook.afterPack({ appOutDir: win, electronPlatformName: 'win32', arch: Arch.x64, packager: { appInfo: { productFilename: PRODUCT_NAME } } });
        expect(wireOf(join(win, `${PRODUCT_NAME}.exe`))).toBe(expected());

        const mac = join(dir, 'mac');
        const framework = join(mac, `${PRODUCT_NAME}.app`, 'Contents/Frameworks/Electron Framework.framework/Electron Framework');
        fakeBinary(framework);
        // x64: no ad-hoc signing step, which would need Apple's codesign.
        await hook.afterPack({ appOutDir: mac, electronPlatformName: 'darwin', arch: Arch.x64, packager: { appInfo: { productFilename: PRODUCT_NAME } } });
        expect(wireOf(framework)).toBe(expected());
      });

      it('refuses a platform whose binary layout it does not know', () => {
        expect(() => hook.electronBinaryPath({ appOutDir: dir, electronPlatformName: 'aix', packager: { appInfo: { productFilename: 'x' } } })).toThrow(/aix/);
      });
    });
  });
});
