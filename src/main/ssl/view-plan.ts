/**
 * Handing built views to a method in the order `MethodBatch` documents, and the loader's positive
 * partners. What a method needs and how a spec is fitted to it are pure data: specs/views.ts.
 */
import { WorkbenchError } from '../../shared/errors';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { ViewBatch } from '../augment/views/index';
import type { LoaderItem, PositiveSampling } from '../data/loader';
import type { MethodBatch } from './methods/types';
import { VIEWS_CONSUMED, type ViewSpec } from '../specs/views';
import type { tf } from '../compute/tf';

/** Views in the order the method's loss expects them (see MethodBatch / ViewSpec). */
export function toMethodViews(built: ViewBatch, need: ViewSpec): tf.Tensor4D[] {
  const images = built.views.map((v) => v.images);
  switch (need.kind) {
    case 'single':
    case 'pair':
    case 'triplet':
      return images.slice(0, VIEWS_CONSUMED[need.kind]);
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
