/**
 * The views a method needs, as pure data: what each method's loss consumes (`viewsNeeded`), how an
 * augmentation spec is fitted to it, and how many views a step pushes through the network. Read by
 * the methods (ssl/methods/), the training loop and the PyTorch plan — one definition, no copies.
 */
import { WorkbenchError } from '../../shared/errors';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { MethodConfig } from '../../shared/schemas/method';

/**
 * What a method needs the augmentation stage to produce per step. Kinds follow
 * `src/shared/schemas/augment.ts` (VIEW_KINDS). Every view is float32 [B, H, W, C], row b from the
 * dataset image `indices[b]`.
 * - single: views = [v] (memory bank).
 * - pair: views = [v0, v1], two augmentations of each image (SimCLR, MoCo, margin-contrastive).
 * - triplet: views = [anchor, positive] of each image; negatives are other images of the batch.
 * - multi-crop: views = `large` crops at the image size, then `small` crops of `smallSize` px (SwAV).
 * - jigsaw: views = [image [B, H, W, C], tiles [B·grid², t, t, C]] — image b's grid² tiles at rows
 *   b·grid² … (b+1)·grid² − 1, already shuffled by the jigsaw permutation (PIRL).
 */
export type ViewSpec =
  | { kind: 'single' }
  | { kind: 'pair' }
  | { kind: 'triplet' }
  | { kind: 'multi-crop'; large: number; small: number; smallSize: number }
  | { kind: 'jigsaw'; grid: number };

/** The views `method` needs at training size `imageSize`. */
export function viewsNeeded(method: MethodConfig, imageSize: number): ViewSpec {
  switch (method.method) {
    case 'swav':
    case 'dino':
      return {
        kind: 'multi-crop',
        large: method.largeCrops,
        small: method.smallCrops,
        smallSize: Math.max(2, Math.round(imageSize * method.smallCropScale)),
      };
    case 'memory-bank':
    case 'autoencoder':
      return { kind: 'single' };
    case 'pirl':
      return { kind: 'jigsaw', grid: method.jigsaw.grid };
    case 'triplet':
      return { kind: 'triplet' };
    case 'simclr':
    case 'moco':
    case 'margin-contrastive':
    case 'byol':
    case 'simsiam':
    case 'barlow-twins':
    case 'vicreg':
      return { kind: 'pair' };
  }
}

/** How many of the built views the loss takes, in order (multi-crop: all; jigsaw: the image view, its tiles come apart). */
export const VIEWS_CONSUMED: Record<Exclude<ViewSpec['kind'], 'multi-crop'>, number> = {
  single: 1,
  pair: 2,
  triplet: 2,
  jigsaw: 1,
};

const COMPATIBLE: Record<ViewSpec['kind'], readonly AugmentSpec['kind'][]> = {
  single: ['pair', 'single'],
  pair: ['pair'],
  triplet: ['pair', 'triplet'],
  'multi-crop': ['multi-crop'],
  jigsaw: ['jigsaw'],
};

/**
 * A copy of `spec` whose views match `need`: SwAV's large/small crop counts and small-crop size come
 * from the method config (the augmentation spec keeps its ops). Incompatible kinds are refused.
 */
export function fitAugmentToMethod(
  spec: AugmentSpec,
  need: ViewSpec,
  imageSize: number,
): AugmentSpec {
  if (!COMPATIBLE[need.kind].includes(spec.kind)) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `augment: the method needs "${need.kind}" views but the augmentation spec makes "${spec.kind}" views; pick a ${need.kind} preset`,
    );
  }
  // One view is all a memory bank consumes: do not augment a second one for nothing.
  if (need.kind === 'single' && spec.views[0])
    return { ...spec, kind: 'single', views: [{ ...spec.views[0], count: 1 }] };
  if (need.kind !== 'multi-crop') return spec;
  const [large, small] = spec.views;
  if (!large || !small)
    throw new WorkbenchError(
      'INVALID_INPUT',
      'augment: a multi-crop spec needs a large and a small view group',
    );
  const relative = Math.min(1, need.smallSize / imageSize);
  return {
    ...spec,
    views: [
      { ...large, count: need.large },
      { ...small, count: need.small, size: { relative } },
      ...spec.views.slice(2),
    ],
  };
}

/** Views that go through forward + backward per step (the benchmarks' unit of work). */
export function viewsPerStep(need: ViewSpec, batchSize: number): number {
  switch (need.kind) {
    case 'single':
      return batchSize;
    case 'pair':
    case 'triplet':
      return 2 * batchSize;
    case 'multi-crop':
      return (need.large + need.small) * batchSize;
    case 'jigsaw':
      return batchSize * (1 + need.grid * need.grid);
  }
}
