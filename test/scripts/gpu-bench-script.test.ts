/**
 * bench/gpu/pytorch_engine.py stays runnable with only Python + torch (no Node in the loop): a dry
 * run on the CPU trains the generated project on its synthetic tensor cache and runs the peer, and
 * reports both speeds. The GPU numbers themselves come from a GPU machine (docs/pytorch-engine.md).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
if (!hasTorch && process.env['CI'] === 'true') throw new Error(`${PYTHON} cannot import torch and numpy`);

describe.runIf(hasTorch)('bench/gpu/pytorch_engine.py', () => {
  it('--device cpu dry run: the engine (train.py on a synthetic cache) and the peer both report images/s', () => {
    const script = join(__dirname, '..', '..', 'bench', 'gpu', 'pytorch_engine.py');
    const run = spawnSync(PYTHON, [script, '--device', 'cpu', '--batch-size', '4', '--image-size', '16', '--steps', '2', '--warmup', '1', '--threads', '1'], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { engine: { processes: number; steps: number; imagesPerSecond: number; device: string }; peer: { imagesPerSecond: number; device: string }; ratio: number };
    expect(report.engine).toMatchObject({ processes: 1, steps: 2, device: 'cpu (1 threads)' });
    expect(report.engine.imagesPerSecond).toBeGreaterThan(0);
    expect(report.peer.device).toBe('cpu');
    expect(report.ratio).toBeCloseTo(report.engine.imagesPerSecond / report.peer.imagesPerSecond, 9);
  }, 120_000);
});
