/**
 * The built main bundle (out/main, what the packaged app runs) works without tsx: a copy of out/main
 * beside a node_modules that has every runtime dependency but tsx trains one tiny SimCLR epoch through
 * the built CLI, its engine worker (worker.js) and decode workers (decode-worker.js), under plain Node.
 * Builds out/ first when it is missing or older than src/main.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from '../helpers/dataset';
import { tempDir } from '../helpers/temp';
import { ensureBuilt, outMain, root } from './built';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
const t = tempDir('cwb-built-');
afterAll(() => t.cleanup());

beforeAll(() => {
  ensureBuilt();
  // The app as packaged: out/main, resources, package.json, and runtime dependencies only (no tsx).
  const app = join(t.dir, 'app');
  mkdirSync(join(app, 'node_modules', '@tensorflow'), { recursive: true });
  cpSync(outMain, join(app, 'out', 'main'), { recursive: true });
  symlinkSync(join(root, 'resources'), join(app, 'resources'));
  writeFileSync(join(app, 'package.json'), readFileSync(join(root, 'package.json')));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    if (existsSync(join(root, 'node_modules', name))) symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name));
  }
}, 240_000);

describe('the built bundle, as packaged', () => {
  it('has no dev tool among the runtime dependencies', () => {
    for (const tool of ['tsx', 'electron', 'electron-builder', 'electron-vite', 'vite', 'typescript', 'vitest']) {
      expect(Object.keys(pkg.dependencies)).not.toContain(tool);
    }
    expect(existsSync(join(t.dir, 'app', 'node_modules', 'tsx'))).toBe(false);
    for (const entry of ['index.js', 'cli.js', 'worker.js', 'decode-worker.js']) expect(existsSync(join(outMain, entry)), entry).toBe(true);
  });

  it('imports a folder and trains one tiny epoch with the built CLI and workers under plain Node', async () => {
    const images = await makeImageFolder(join(t.dir, 'images'), ['circle', 'square'], 4, 16);
    const home = join(t.dir, 'home');
    const cli = join(t.dir, 'app', 'out', 'main', 'cli.js');
    const run = (args: string[]) => spawnSync(process.execPath, [cli, '--home', home, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_OPTIONS: '' } });
    const imported = run(['dataset', 'import', images, '--size', '16', '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const { datasetId } = JSON.parse(imported.stdout) as { datasetId: number };
    const trained = run(['train', '--dataset', String(datasetId), '--method', 'simclr', '--encoder', 'small', '--epochs', '1', '--batch-size', '4', '--image-size', '16', '--backend', 'wasm', '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout) as { steps: number; finalLoss: number; backend: string };
    expect(result.steps).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(result.finalLoss)).toBe(true);
    expect(result.backend).toBe('wasm');
  }, 240_000);
});
