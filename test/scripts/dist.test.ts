/**
 * `npm run dist` around electron-builder, with real files: the Node version it needs, the environment
 * it gives electron-builder (no npm `nodedir`, which made the "Electron" rebuild compile against Node's
 * headers), the Node build of better-sqlite3 put back even after a failed rebuild deleted build/, and
 * the afterPack check that refuses a package whose better-sqlite3 is not built for the bundled Electron
 * (the real Node build in node_modules is exactly such a file).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without types
import { builderEnv, keepNodeBuild, MIN_NODE, nodeProblem } from '../../scripts/dist.mjs';
// @ts-expect-error — a plain .mjs script without types
import afterPack, { electronAbi, wrongAbiModules } from '../../scripts/after-pack.mjs';
// @ts-expect-error — a plain .mjs script without types
import { checkElectronAbi } from '../../scripts/electron-native.mjs';
import { tempDir } from '../helpers/temp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modules = join(root, 'node_modules');
const t = tempDir('cwb-dist-');
afterAll(() => t.cleanup());

describe('the Node that npm run dist needs', () => {
  it('refuses an older Node with one line, accepts the floor and newer', () => {
    expect(nodeProblem('20.18.3')).toBe('npm run dist needs Node >= 20.19 (this is Node 20.18.3)');
    expect(nodeProblem('18.20.0')).toMatch(/^npm run dist needs Node >= 20\.19/);
    for (const ok of ['20.19.0', '20.20.2', '22.12.0', '24.1.0', process.versions.node]) expect(nodeProblem(ok), ok).toBeNull();
  });

  it('is the floor package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${(MIN_NODE as number[]).join('.')}`);
  });
});

describe("electron-builder's environment", () => {
  it("drops npm's nodedir (any case) and keeps everything else", () => {
    const env = builderEnv({ PATH: '/bin', npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', npm_config_arch: 'x64', HOME: '/root' }) as Record<string, string>;
    expect(env).toEqual({ PATH: '/bin', npm_config_arch: 'x64', HOME: '/root' });
  });
});

describe('the Node build of better-sqlite3 survives packaging', () => {
  const fake = join(t.dir, 'checkout');
  const release = join(fake, 'node_modules', 'better-sqlite3', 'build', 'Release');
  const file = join(release, 'better_sqlite3.node');
  const marker = join(release, '.forge-meta');

  it('is put back after node-gyp deleted build/ and the rebuild failed; the rebuild marker goes', () => {
    mkdirSync(release, { recursive: true });
    writeFileSync(file, 'node build');
    writeFileSync(marker, 'linux--x64--145'); // left by an earlier `npm run dist`
    const restore = keepNodeBuild(fake) as () => void;
    expect(existsSync(marker)).toBe(false); // else @electron/rebuild skips the rebuild
    rmSync(join(fake, 'node_modules', 'better-sqlite3', 'build'), { recursive: true }); // node-gyp's first step
    restore();
    expect(readFileSync(file, 'utf8')).toBe('node build');
    restore();
    expect(readFileSync(file, 'utf8')).toBe('node build');
  });

  it('after a rebuild that worked: the Node build again, and no marker claiming an Electron build', () => {
    const restore = keepNodeBuild(fake) as () => void;
    writeFileSync(file, 'electron build');
    writeFileSync(marker, 'linux--x64--145');
    restore();
    expect(readFileSync(file, 'utf8')).toBe('node build');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('afterPack: native modules must match the bundled Electron', () => {
  const app = join(t.dir, 'resources', 'app');
  const sqlite = join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const sharpNode = join(app, 'node_modules', '@img', 'sharp', 'lib', 'sharp.node');
  /** sharp's N-API binary for this machine (@img/sharp-<platform>-<arch>/lib/*.node). */
  const sharpBinary = (): string => {
    const pkg = readdirSync(join(modules, '@img')).find((name) => name.startsWith(`sharp-${process.platform}`) && existsSync(join(modules, '@img', name, 'lib')));
    const lib = join(modules, '@img', pkg ?? 'sharp-missing', 'lib');
    return join(lib, readdirSync(lib).find((name) => name.endsWith('.node')) ?? 'missing.node');
  };
  const electronVersion = (JSON.parse(readFileSync(join(modules, 'electron', 'package.json'), 'utf8')) as { version: string }).version;

  it("Electron's ABI from node-abi agrees with the electron package's own abi_version", () => {
    expect(electronAbi(electronVersion)).toBe(readFileSync(join(modules, 'electron', 'abi_version'), 'utf8').trim());
    expect(electronAbi(electronVersion)).not.toBe(process.versions.modules);
  });

  it("names the real Node build of better-sqlite3 and passes N-API modules (sharp's)", () => {
    mkdirSync(join(sqlite, '..'), { recursive: true });
    copyFileSync(join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), sqlite);
    mkdirSync(join(sharpNode, '..'), { recursive: true });
    copyFileSync(sharpBinary(), sharpNode);
    const abi = electronAbi(electronVersion) as string;
    expect(wrongAbiModules(app, abi)).toEqual([
      `node_modules/better-sqlite3/build/Release/better_sqlite3.node is built for NODE_MODULE_VERSION ${process.versions.modules}, the bundled Electron needs ${abi}`,
    ]);
    expect(wrongAbiModules(app, process.versions.modules)).toEqual([]);
  });

  it("fails electron-builder's packaging with that reason when the rebuild is on, and lets a --dir test build through when it is off", async () => {
    const context = (npmRebuild: boolean) => ({
      appOutDir: t.dir,
      electronPlatformName: 'linux',
      packager: { getResourcesDir: (dir: string) => join(dir, 'resources'), config: { npmRebuild }, info: { framework: { version: electronVersion } } },
    });
    await expect((afterPack as (c: unknown) => Promise<void>)(context(true))).rejects.toThrow(`native modules not rebuilt for Electron ${electronVersion}: node_modules/better-sqlite3/`);
    await expect((afterPack as (c: unknown) => Promise<void>)(context(false))).resolves.toBeUndefined();
  });
});

describe('the development cache (npm start) checks its own build from source the same way', () => {
  it("refuses the real Node build as Electron's; an Electron node-abi does not know is left to the app's load check", () => {
    const nodeBuild = join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const electronVersion = (JSON.parse(readFileSync(join(modules, 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    expect(() => checkElectronAbi(nodeBuild, electronVersion)).toThrow(
      `the build is for NODE_MODULE_VERSION ${process.versions.modules}, Electron ${electronVersion} needs ${electronAbi(electronVersion) as string}`,
    );
    expect(() => checkElectronAbi(nodeBuild, '999.0.0')).not.toThrow();
  });
});
