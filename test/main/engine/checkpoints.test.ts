import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../../src/main/engine/checkpoints';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('checkpoint files', () => {
  it('round-trip method state, optimiser slots, position and extras exactly', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'ck.cwbckpt');
    const checkpoint = {
      position: { step: 12, epoch: 3, batchInEpoch: 2 },
      method: [
        { name: 'encoder/conv/kernel', shape: [3, 3, 1, 2], data: Float32Array.from({ length: 18 }, (_, i) => i / 7) },
        { name: 'queue', shape: [0], data: new Float32Array(0) },
      ],
      optimizer: [{ name: 'iter', shape: [], data: Float32Array.of(12) }],
      extra: { lastLoss: 1.25 },
    };
    const bytes = writeCheckpoint(file, checkpoint);
    expect(bytes).toBe(readFileSync(file).length);
    expect(readCheckpoint(file)).toEqual(checkpoint);
    expect(readdirSync(t.dir)).toEqual(['ck.cwbckpt']);
  });

  it('refuse a truncated or foreign file with a clear error', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'ck.cwbckpt');
    writeCheckpoint(file, { position: { step: 1, epoch: 0, batchInEpoch: 1 }, method: [{ name: 'w', shape: [64], data: new Float32Array(64).fill(1) }], optimizer: [], extra: {} });
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 10));
    expect(() => readCheckpoint(file)).toThrow(/truncated/);
    writeFileSync(file, 'PK\u0003\u0004 a zip file');
    expect(() => readCheckpoint(file)).toThrow(/not a workbench checkpoint/);
  });
});
