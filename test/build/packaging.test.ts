/**
 * Packaging inputs: icons generated from resources/icon.svg at the sizes each installer needs (read
 * back from the real files), and the electron-builder configuration as electron-builder itself loads
 * and validates it — targets for Linux, macOS and Windows — and an unpacked Linux package made by
 * electron-builder itself: the built entries, resources and docs in, dev tools out, its CLI working.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without types
import { generateIcons, ICNS_TYPES, ICO_SIZES, LINUX_SIZES } from '../../scripts/icons.mjs';
// @ts-expect-error — a plain .mjs script without types
import { keepNodeBuild } from '../../scripts/dist.mjs';
import { makeImageFolder } from '../helpers/dataset';
import { tempDir } from '../helpers/temp';
import { ensureBuilt } from './built';

const root = fileURLToPath(new URL('../..', import.meta.url));
const t = tempDir('cwb-icons-');
afterAll(() => t.cleanup());

describe('icons', () => {
  const build = join(t.dir, 'build');
  beforeAll(async () => {
    await generateIcons({ resourcesDir: t.dir, buildDir: build });
  });

  it('the kept master PNG in resources/ is at least 512 px and matches a fresh render', async () => {
    const kept = await sharp(join(root, 'resources', 'icon.png')).metadata();
    expect(kept.width).toBeGreaterThanOrEqual(512);
    expect(kept.height).toBe(kept.width);
    const fresh = await sharp(join(t.dir, 'icon.png')).raw().toBuffer();
    expect(Buffer.compare(await sharp(join(root, 'resources', 'icon.png')).raw().toBuffer(), fresh)).toBe(0);
  });

  it('Linux PNGs at every size, square, opaque blue corner-to-centre', async () => {
    for (const size of LINUX_SIZES as number[]) {
      const file = join(build, 'icons', `${size}x${size}.png`);
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height, meta.format], file).toEqual([size, size, 'png']);
    }
    const { data } = await sharp(join(build, 'icons', '64x64.png')).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4)];
    expect(at(32, 6)).toEqual([0x3b, 0x6f, 0xd8, 255]); // the background
    expect(at(0, 0)[3]).toBeLessThan(64); // the rounded corner is transparent
  });

  it('the .ico directory lists 16…256 px PNG entries that decode to their sizes', async () => {
    const ico = readFileSync(join(build, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    for (let i = 0; i < ICO_SIZES.length; i += 1) {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry) || 256;
      const png = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
      expect((await sharp(png).metadata()).width).toBe(size);
      expect(size).toBe(ICO_SIZES[i]);
    }
  });

  it('the .icns holds one PNG per type, 16…1024 px, and its length adds up', async () => {
    const icns = readFileSync(join(build, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Record<string, number> = {};
    for (let at = 8; at < icns.length; ) {
      const type = icns.subarray(at, at + 4).toString('ascii');
      const length = icns.readUInt32BE(at + 4);
      found[type] = (await sharp(icns.subarray(at + 8, at + length)).metadata()).width ?? 0;
      at += length;
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(ICNS_TYPES as Record<string, string>).map(([size, type]) => [type, Number(size)])));
  });
});

describe('electron-builder configuration', () => {
  it('loads and validates with electron-builder, with installers for all three systems', async () => {
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const config = (await getConfig(root, null, null)) as unknown as {
      appId: string;
      productName: string;
      files: { filter: string[] }[];
      npmRebuild: boolean;
      asar: boolean;
      afterPack: string;
      linux: { target: string[]; icon: string; executableName: string; syncDesktopName: boolean };
      mac: { target: string[]; icon: string };
      win: { target: string[]; icon: string };
    };
    await validateConfiguration(config as never, { isEnabled: false, add: () => undefined } as never);
    expect(config.appId).toMatch(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/);
    expect(config.productName).toBe('Contrastive Workbench');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.npmRebuild).toBe(true);
    expect(config.afterPack).toBe('scripts/after-pack.mjs');
    expect(config.files.flatMap((set) => set.filter)).toEqual(expect.arrayContaining(['package.json', 'out/**', 'resources/**']));
    for (const icon of [config.mac.icon, config.win.icon]) expect(icon).toMatch(/^build\/icon\.(icns|ico)$/);
    expect(config.linux.icon).toBe('build/icons');
    // Electron takes the window's app_id / WM_CLASS from package.json's desktopName; the .desktop file
    // electron-builder installs must carry the same name, or the desktop cannot link window and launcher.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { desktopName: string };
    expect(config.linux.syncDesktopName).toBe(true);
    expect(pkg.desktopName).toBe(`${config.linux.executableName}.desktop`);
  });

  it('npm run dist (icons, build, electron-builder); no dev tool is a runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts['dist']).toBe('node scripts/dist.mjs');
    expect(pkg.main).toBe('./out/main/index.js');
    for (const dev of ['electron', 'electron-builder', 'electron-vite', 'tsx']) {
      expect(pkg.devDependencies[dev], dev).toBeDefined();
      expect(pkg.dependencies[dev], dev).toBeUndefined();
    }
    expect(existsSync(join(root, 'resources', 'icon.svg'))).toBe(true);
  });
});

describe('npm run dist keeps the checkout working', () => {
  it('puts the Node build of better-sqlite3 back after electron-builder rebuilt it in place for Electron', () => {
    const file = join(t.dir, 'keep', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'node build');
    const restore = keepNodeBuild(join(t.dir, 'keep'));
    writeFileSync(file, 'electron build');
    restore();
    expect(readFileSync(file, 'utf8')).toBe('node build');
    expect(existsSync(`${file}.node-build`)).toBe(false);
    restore();
    expect(readFileSync(file, 'utf8')).toBe('node build');
  });
});

describe('electron-builder --dir (a stand-in Electron, no native rebuild: both need the network)', () => {
  const dist = join(t.dir, 'dist');
  const app = join(dist, 'linux-unpacked', 'resources', 'app');
  beforeAll(() => {
    ensureBuilt();
    const electronDist = join(t.dir, 'electron-dist');
    mkdirSync(electronDist, { recursive: true });
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(electronDist, 'version'), '41.7.1');
    const builder = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--publish', 'never', '-c.npmRebuild=false', `-c.electronDist=${electronDist}`, `-c.directories.output=${dist}`],
      { cwd: root, encoding: 'utf8', timeout: 400_000 },
    );
    if (builder.status !== 0) throw new Error(`electron-builder failed: ${builder.stdout}\n${builder.stderr}`);
  }, 420_000);

  it('packages the built entries, resources and docs with runtime dependencies only', () => {
    for (const file of ['package.json', 'out/main/index.js', 'out/main/cli.js', 'out/main/worker.js', 'out/main/decode-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'resources/icon.png', 'resources/presets', 'resources/pytorch-project/train.py', 'docs/desktop.md']) {
      expect(existsSync(join(app, file)), file).toBe(true);
    }
    // The WebAssembly SIMD kernels, wherever this checkout built them (the test set-up does, with clang).
    const kernels = join(root, 'out', 'wasm-kernels');
    for (const kernel of existsSync(kernels) ? readdirSync(kernels) : []) {
      const built = join('out', 'wasm-kernels', kernel);
      expect(existsSync(join(app, built)), built).toBe(true);
    }
    for (const runtime of ['better-sqlite3', 'sharp', 'onnxruntime-node', 'zod']) expect(existsSync(join(app, 'node_modules', runtime)), runtime).toBe(true);
    for (const dev of ['tsx', 'electron', 'electron-builder', 'electron-vite', 'vite', 'typescript', 'vitest']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    // The renderer's libraries are bundled into out/renderer: not again in node_modules, nor the build
    // plugins vue-router brings (unplugin, chokidar).
    for (const bundled of ['vue', 'vue-router', 'pinia', 'echarts', 'vue-echarts', 'unplugin', 'chokidar']) expect(existsSync(join(app, 'node_modules', bundled)), bundled).toBe(false);
    // Native binaries of this OS only.
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v3', 'linux'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v3', 'darwin'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v3', 'win32'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'webgpu', 'dist', 'linux-x64'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'webgpu', 'dist', 'win32-x64'))).toBe(false);
  });

  it('ships every preset and PyTorch project file, and only built JavaScript that never loads tsx', () => {
    const list = (dir: string): string[] => (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile: () => boolean }[]).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length)).sort();
    for (const folder of ['resources/presets', 'resources/pytorch-project']) {
      expect(list(join(app, folder)), folder).toEqual(list(join(root, folder)));
      expect(list(join(app, folder)).length, folder).toBeGreaterThan(3);
    }
    const built = list(join(app, 'out'));
    expect(built.filter((file) => /\.(ts|tsx|mts|cts)$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    for (const file of built.filter((f) => /\.(js|cjs|mjs)$/.test(f))) {
      expect(readFileSync(join(app, 'out', file), 'utf8'), file).not.toMatch(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']tsx(?:\/|["'])/);
    }
  });

  it('the packaged CLI imports a folder from its own node_modules, without tsx', async () => {
    const images = await makeImageFolder(join(t.dir, 'images'), ['circle', 'square'], 2, 16);
    const home = join(t.dir, 'home');
    const cli = (args: string[]) => spawnSync(process.execPath, [join(app, 'out', 'main', 'cli.js'), '--home', home, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
    const imported = cli(['dataset', 'import', images, '--size', '16', '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 4, skipped: [] });
    const listed = cli(['dataset', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as { datasets: { numImages: number }[] }).datasets.map((d) => d.numImages)).toEqual([4]);
  }, 120_000);
});
