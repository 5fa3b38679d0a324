/**
 * Per-channel standardisation (x − mean) / std with the spec's statistics or, when the spec gives
 * none, the dataset statistics passed to the pipeline. Always applied (no probability); the output
 * leaves [0, 1] by design, which is why it must be the last op. [N, H, W, C] → same shape.
 */
import { tf } from '../compute/tf';
import type { NormalizeSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpContext } from './op';

function perChannel(values: readonly number[], channels: number, what: string): number[] {
  if (values.length === channels) return [...values];
  if (values.length === 1) return Array.from({ length: channels }, () => values[0] ?? 0);
  throw new Error(
    `normalize: ${what} has ${values.length} values but the images have ${channels} channel(s)`,
  );
}

/** The mean and std actually used, one value per channel. */
export function normalizeStats(
  spec: NormalizeSpec,
  context: OpContext,
): { mean: number[]; std: number[] } {
  const mean = spec.mean ?? context.stats?.mean;
  const std = spec.std ?? context.stats?.std;
  if (!mean || !std) {
    throw new Error(
      'normalize: no mean/std — set them in the spec or pass the dataset statistics (stats) to the pipeline',
    );
  }
  const channels = context.input.channels;
  return { mean: perChannel(mean, channels, 'mean'), std: perChannel(std, channels, 'std') };
}

export const normalize: AugmentOp<NormalizeSpec> = {
  name: 'normalize',
  sample: () => ({ applied: true }),
  apply(images, _params, spec, context) {
    const { mean, std } = normalizeStats(spec, context);
    return tf.div(tf.sub(images, tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor4D;
  },
};
