/**
 * SwAV multi-crop (Caron et al. 2020, arXiv:2006.09882): a few large crops plus V small ones, sizes
 * relative to the dataset image size. Views come group by group in spec order — list the large
 * group first: SwAV computes codes only on the large crops, which the method finds at the front.
 */
import type { tf } from '../../compute/tf';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { buildGroupViews } from './groups';
import type { ViewBatch, ViewOptions } from './types';

export function buildMultiCropViews(
  images: tf.Tensor4D,
  spec: AugmentSpec,
  options: ViewOptions,
): ViewBatch {
  return { kind: 'multi-crop', views: buildGroupViews(images, spec.views, options) };
}
