import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { createMethod } from '../../../src/main/ssl/index';
import { METHOD_NAMES, type MethodName } from '../../../src/shared/schemas/method';
import { CONTEXT, DATASET_SIZE, syntheticImages, tinyConfig, trainLosses } from '../ssl/fixtures';

const STEPS = 3;
/**
 * SimSiam: its step-0 gradients agree across backends to ~1e-6 (measured), but Adam's first update is
 * lr·sign(g), and the stop-gradient leaves gradient elements below 1e-6 whose sign is float noise, so
 * later losses drift by ~1e-4 of lr 0.01 steps.
 */
const TOLERANCE: Partial<Record<MethodName, number>> = { simsiam: 5e-4 };

/** Initial stem kernel and the first STEPS losses of `name`, trained on `backend` from the same seed. */
async function run(
  backend: 'cpu' | 'wasm',
  name: MethodName,
): Promise<{ kernel: Float32Array; losses: number[] }> {
  await tf.setBackend(backend);
  const dataset = syntheticImages(DATASET_SIZE, CONTEXT.imageSize, CONTEXT.channels, 1);
  const method = createMethod(name, tinyConfig(name), CONTEXT);
  const kernel = Float32Array.from(
    method.encoder.getLayer('stem_conv').getWeights()[0]!.dataSync(),
  );
  const losses = await trainLosses(method, dataset, STEPS);
  method.dispose();
  dataset.dispose();
  return { kernel, losses };
}

describe('cpu and wasm agree', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const name of METHOD_NAMES) {
    it(`${name}: same initial weights and the same ${STEPS} losses within ${TOLERANCE[name] ?? 1e-4}`, async () => {
      const wasm = await run('wasm', name);
      const cpu = await run('cpu', name);
      await tf.setBackend('wasm');
      expect(Array.from(cpu.kernel)).toEqual(Array.from(wasm.kernel));
      wasm.losses.forEach((loss, i) =>
        expect(
          Math.abs(loss - cpu.losses[i]!),
          `step ${i}: wasm ${loss} cpu ${cpu.losses[i]}`,
        ).toBeLessThan(TOLERANCE[name] ?? 1e-4),
      );
    });
  }
});
