/**
 * Two views per image (SimCLR, MoCo query/key, BYOL online/target): either one group with count 2
 * (symmetric) or two groups of one view each (asymmetric, e.g. BYOL's blur/solarize split). Also
 * serves `single` (one view, e.g. a memory-bank method).
 */
import type { tf } from '../../compute/tf';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { buildGroupViews } from './groups';
import type { ViewBatch, ViewOptions } from './types';

export function buildPairViews(
  images: tf.Tensor4D,
  spec: AugmentSpec,
  options: ViewOptions,
): ViewBatch {
  return { kind: spec.kind, views: buildGroupViews(images, spec.views, options) };
}
