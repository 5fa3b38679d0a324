/**
 * The glue between an augmentation spec (what the researcher tuned) and a method's view needs (what
 * its loss consumes): fit the spec's view counts to the method, and hand the built views over in the
 * order `MethodBatch` documents.
 */
import { WorkbenchError } from '../../shared/errors';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { ViewBatch } from '../augment/views/index';
import type { LoaderItem, PositiveSampling } from '../data/loader';
import type { MethodBatch, ViewSpec } from './methods/types';
import type { tf } from '../compute/tf';

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
export function fitAugmentToMethod(spec: AugmentSpec, need: ViewSpec, imageSize: number): AugmentSpec {
  if (!COMPATIBLE[need.kind].includes(spec.kind)) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `augment: the method needs "${need.kind}" views but the augmentation spec makes "${spec.kind}" views; pick a ${need.kind} preset`,
    );
  }
  // One view is all a memory bank consumes: do not augment a second one for nothing.
  if (need.kind === 'single' && spec.views[0]) return { ...spec, kind: 'single', views: [{ ...spec.views[0], count: 1 }] };
  if (need.kind !== 'multi-crop') return spec;
  const [large, small] = spec.views;
  if (!large || !small) throw new WorkbenchError('INVALID_INPUT', 'augment: a multi-crop spec needs a large and a small view group');
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

/** Views in the order the method's loss expects them (see MethodBatch / ViewSpec). */
export function toMethodViews(built: ViewBatch, need: ViewSpec): tf.Tensor4D[] {
  const images = built.views.map((v) => v.images);
  switch (need.kind) {
    case 'single':
      return images.slice(0, 1);
    case 'pair':
    case 'triplet':
      return images.slice(0, 2);
    case 'multi-crop':
      return images;
    case 'jigsaw': {
      const tiles = built.jigsaw?.tiles;
      if (!tiles || !images[0]) throw new Error('jigsaw views were not built');
      return [images[0], tiles];
    }
  }
}

export function methodBatch(built: ViewBatch, need: ViewSpec, indices: Int32Array): MethodBatch {
  return { views: toMethodViews(built, need), indices };
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

/**
 * How the loader draws each image's positive partner for cross-view / temporal positives, or
 * undefined for the usual two augmentations of one image. Refused, naming the field, for methods
 * that do not take a pair of views and for datasets without sequences or view groups.
 */
export function positiveSampling(spec: AugmentSpec, need: ViewSpec, items: readonly LoaderItem[]): PositiveSampling | undefined {
  const source = spec.positives?.source ?? 'same-image';
  if (source === 'same-image') return undefined;
  if (need.kind !== 'pair' && need.kind !== 'triplet') {
    throw new WorkbenchError('INVALID_INPUT', `augment.positives.source: "${source}" positives work with two-view methods (simclr, moco, triplet, margin-contrastive), not with "${need.kind}" views`);
  }
  if (!items.some((i) => i.group >= 0)) {
    const layout = source === 'temporal' ? 'sequences' : 'views';
    throw new WorkbenchError('INVALID_INPUT', `augment.positives.source: "${source}" positives need a dataset imported with --groups ${layout} (a folder per clip or group)`);
  }
  return source === 'temporal' && spec.positives?.source === 'temporal' ? { kind: 'temporal', maxOffset: spec.positives.maxFrameGap } : { kind: 'group' };
}

/** Anchor's first view with the partner's second view: the positive pair comes from two images. */
export function crossImagePair(anchor: ViewBatch, partner: ViewBatch): ViewBatch {
  const [first] = anchor.views;
  const second = partner.views[1];
  if (!first || !second) throw new Error('cross-image positives need two views per image');
  return { ...anchor, views: [first, second] };
}
