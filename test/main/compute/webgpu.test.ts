/**
 * The GPU code path: a tiny SimCLR run on the webgpu backend (Dawn; in CI Mesa's lavapipe software
 * Vulkan) must train with the same losses as the cpu reference backend.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { makeImageFolder } from '../../helpers/dataset';
import { tempDir } from '../../helpers/temp';

let home: string;
let cleanup: () => void;
let webgpu: { available: boolean; reason: string } = { available: false, reason: 'not probed' };

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  home = join(t.dir, 'home');
  const probe = await runCli(['--home', home, 'doctor', '--backend', 'webgpu', '--json']);
  webgpu = probe.code === 0 ? { available: true, reason: '' } : { available: false, reason: probe.stderr.trim().split('\n').pop() ?? '' };
  if (!webgpu.available && process.env['CI'] === 'true') {
    throw new Error(`CI needs a WebGPU adapter (mesa-vulkan-drivers from bookworm-backports gives lavapipe): ${webgpu.reason}`);
  }
  const r = await runCli(['--home', home, 'dataset', 'import', await makeImageFolder(join(t.dir, 'shapes')), '--size', '16', '--val-fraction', '0.34', '--json']);
  expect(r.code, r.stderr).toBe(0);
}, 300_000);
afterAll(() => cleanup());

describe('webgpu backend', () => {
  it('trains a tiny SimCLR run with the same losses as cpu', async (ctx) => {
    if (!webgpu.available) {
      console.warn(`skipping the webgpu test: ${webgpu.reason} (install a Vulkan driver, e.g. Debian's mesa-vulkan-drivers from bookworm-backports)`);
      ctx.skip();
    }
    const train = (backend: string) =>
      runCli(['--home', home, 'train', '--dataset', '1', '--method', 'simclr', '--epochs', '1', '--batch-size', '4', '--seed', '3', '--backend', backend, '--json']);
    const gpu = await train('webgpu');
    expect(gpu.code, gpu.stderr).toBe(0);
    const cpu = await train('cpu');
    expect(cpu.code, cpu.stderr).toBe(0);
    const [g, c] = [JSON.parse(gpu.stdout), JSON.parse(cpu.stdout)] as { backend: string; steps: number; finalLoss: number }[];
    expect(g).toMatchObject({ backend: 'webgpu', steps: 2 });
    expect(c).toMatchObject({ backend: 'cpu', steps: 2 });
    expect(Math.abs(g!.finalLoss - c!.finalLoss)).toBeLessThan(1e-3);
  }, 600_000);
});
