/**
 * Triplet views (Schroff et al. 2015, arXiv:1503.03832, as a self-supervised pretext): anchor and
 * positive are two augmentations of one image; the negative of anchor i is another image j ≠ i of the
 * batch, drawn from i's own stream, so its embedding is row j of the anchor views.
 */
import type { tf } from '../../compute/tf';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { createRng, deriveSeed } from '../../random/index';
import { buildGroupViews } from './groups';
import type { ViewBatch, ViewOptions } from './types';

const NEGATIVE_STREAM = 0x7e9a;

export function sampleNegatives(
  n: number,
  options: Pick<ViewOptions, 'seed' | 'imageKeys'>,
): Int32Array {
  if (n < 2)
    throw new Error(
      'triplet views need a batch of at least 2 images (the negative is another image)',
    );
  return Int32Array.from({ length: n }, (_, i) => {
    const rng = createRng(deriveSeed(options.seed, NEGATIVE_STREAM, options.imageKeys?.[i] ?? i));
    return (i + 1 + rng.int(0, n - 1)) % n;
  });
}

export function buildTripletViews(
  images: tf.Tensor4D,
  spec: AugmentSpec,
  options: ViewOptions,
): ViewBatch {
  const negatives = sampleNegatives(images.shape[0], options);
  return { kind: 'triplet', views: buildGroupViews(images, spec.views, options), negatives };
}
