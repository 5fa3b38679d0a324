/**
 * Per-method view builders behind one entry point: validate the spec, then dispatch on `kind`.
 * images: [N, H, W, C] float32 in [0, 1]; see `ViewBatch` for what comes back.
 */
import type { tf } from '../../compute/tf';
import {
  parseAugmentSpec,
  type AugmentSpec,
  type AugmentSpecInput,
} from '../../../shared/schemas/augment';
import { buildPairViews } from './pair';
import { buildMultiCropViews } from './multi-crop';
import { buildTripletViews } from './triplet';
import { buildJigsawViews } from './jigsaw';
import { buildRotationViews } from './rotation';
import type { ViewBatch, ViewOptions } from './types';

export type { BuiltView, ViewBatch, ViewOptions } from './types';
export { disposeViewBatch } from './types';

export function buildViews(
  images: tf.Tensor4D,
  spec: AugmentSpec | AugmentSpecInput,
  options: ViewOptions,
): ViewBatch {
  const parsed = parseAugmentSpec(spec);
  switch (parsed.kind) {
    case 'pair':
    case 'single':
      return buildPairViews(images, parsed, options);
    case 'multi-crop':
      return buildMultiCropViews(images, parsed, options);
    case 'triplet':
      return buildTripletViews(images, parsed, options);
    case 'jigsaw':
      return buildJigsawViews(images, parsed, options);
    case 'rotation':
      return buildRotationViews(images, parsed, options);
  }
}

/** Dataset images per batch → views per batch, e.g. 8 for SwAV 2 + 6 (RotNet `all`: 4). */
export function viewsPerImage(spec: AugmentSpec): number {
  const views = spec.views.reduce((sum, g) => sum + g.count, 0);
  return spec.kind === 'rotation' && (spec.rotation?.mode ?? 'all') === 'all' ? 4 * views : views;
}
