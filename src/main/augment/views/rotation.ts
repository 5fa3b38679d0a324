/**
 * RotNet views (Gidaris et al. 2018, arXiv:1803.07728): the image view, then rotated by k·90°
 * (all four per image, or one per image at random); `rotationLabels` holds k for every row.
 */
import type { tf } from '../../compute/tf';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { imageStreams } from '../pipeline';
import { rotationPrediction } from '../rotation-prediction';
import { buildGroupViews } from './groups';
import type { ViewBatch, ViewOptions } from './types';

const ROTATION_STREAM = 0x4070;

export function buildRotationViews(
  images: tf.Tensor4D,
  spec: AugmentSpec,
  options: ViewOptions,
): ViewBatch {
  const [view] = buildGroupViews(images, spec.views, options);
  if (!view) throw new Error('rotation views need one view group');
  const rngs = imageStreams(images.shape[0], { ...options, stream: ROTATION_STREAM });
  const rotated = rotationPrediction(view.images, spec.rotation?.mode ?? 'all', rngs);
  view.images.dispose();
  return {
    kind: 'rotation',
    views: [{ ...view, images: rotated.images }],
    rotationLabels: rotated.labels,
  };
}
