/**
 * Augmentation previews: run the SAME `buildViews` as training on a few images and encode the
 * original, every view and (optionally) the image after each op as PNG, with the sampled parameters.
 *
 * Item j previews image j mod M (M images given) with the per-image key `imageKeys[j mod M]`
 * (default j mod M); repeats of an image (pairs > M) get fresh keys, so they show new draws. Pass the
 * dataset indices as `imageKeys` and the training step seed as `seed` to see exactly what that
 * training step computes. Views ending in `normalize` are shown de-normalised (x·std + mean), i.e.
 * the [0, 1] image before standardisation. No SQL, CLI or Electron here: the engine worker stores and
 * serves the result.
 */
import { tf } from '../../compute/tf';
import {
  parseAugmentSpec,
  type AugmentSpec,
  type AugmentSpecInput,
  type PipelineSpecInput,
} from '../../../shared/schemas/augment';
import type { OpParams } from '../op';
import type { OpRecord } from '../pipeline';
import { buildViews, disposeViewBatch, type ViewBatch } from '../views/index';
import { deriveSeed } from '../../random/index';
import { displayable, groupOps, mosaic, rowPngs } from './display';
import { batchToPngs, toImageBatch, type ImagesInput } from '../image-io';

export interface PreviewRequest {
  images: ImagesInput;
  /** A views spec, or a bare op list (previewed as a symmetric pair). */
  spec: AugmentSpec | AugmentSpecInput | PipelineSpecInput;
  seed: number;
  /** Number of previewed items (default: one per image, at most 64). */
  pairs?: number;
  /** Also return the image after every op of every view. */
  stepByStep?: boolean;
  imageKeys?: readonly number[];
  stats?: { mean: readonly number[]; std: readonly number[] };
  /** Resize raw images to this size first (default: the first image's size). */
  imageSize?: { height: number; width: number };
}

export interface PreviewStep {
  /** Index into the item's views. */
  view: number;
  op: OpRecord['op'];
  params: OpParams;
  png: Buffer;
}

export interface PreviewItem {
  original: Buffer;
  views: Buffer[];
  steps?: PreviewStep[];
}

export interface PreviewItemParams {
  /** Index of the source image in the request and the key that seeded it. */
  image: number;
  key: number;
  views: { name: string; ops: { op: OpRecord['op']; params: OpParams }[] }[];
  permutationIndex?: number;
  rotationLabels?: number[];
  negative?: number;
}

export interface PreviewResult {
  items: PreviewItem[];
  params: PreviewItemParams[];
  /** Column titles of `items[*].views`. */
  viewNames: string[];
  /** Side in pixels of each column's images (a 96-of-224 local crop is 0.43 of a global one). */
  viewSizes: number[];
  spec: AugmentSpec;
  seed: number;
}

const MAX_ITEMS = 64;

export function asAugmentSpec(spec: PreviewRequest['spec']): AugmentSpec {
  if (Array.isArray(spec))
    return parseAugmentSpec({ kind: 'pair', views: [{ name: 'view', count: 2, ops: spec }] });
  return parseAugmentSpec(spec);
}

export async function previewAugmentations(request: PreviewRequest): Promise<PreviewResult> {
  const spec = asAugmentSpec(request.spec);
  const source = toImageBatch(request.images, request.imageSize);
  const m = source.shape[0];
  const count = Math.min(request.pairs ?? m, MAX_ITEMS);
  const imageOf = Array.from({ length: count }, (_, j) => j % m);
  const keys = imageOf.map((i, j) => {
    const base = request.imageKeys?.[i] ?? i;
    return j < m ? base : deriveSeed(base, Math.floor(j / m));
  });
  const batch = tf.tidy(() => tf.gather(source, tf.tensor1d(imageOf, 'int32')) as tf.Tensor4D);
  source.dispose();
  let views: ViewBatch | undefined;
  const owned: tf.Tensor[] = [batch];
  try {
    views = buildViews(batch, spec, {
      seed: request.seed,
      imageKeys: keys,
      recordSteps: !!request.stepByStep,
      ...(request.stats ? { stats: request.stats } : {}),
    });
    const originals = await batchToPngs(batch);
    const rotations = views.rotationLabels ? views.views[0]?.images.shape[0] === 4 * count : false;
    const items: PreviewItem[] = originals.map((original) => ({ original, views: [] }));
    const viewNames: string[] = [];
    const viewSizes: number[] = [];

    for (const view of views.views) {
      const shown = displayable(view.images, groupOps(spec, view), request.stats);
      owned.push(shown);
      if (rotations) {
        for (let k = 0; k < 4; k++) {
          viewNames.push(`${view.name} ${k * 90}°`);
          viewSizes.push(shown.shape[1]);
          const pngs = await rowPngs(
            shown,
            imageOf.map((_, j) => k * count + j),
          );
          pngs.forEach((png, j) => items[j]?.views.push(png));
        }
      } else {
        viewNames.push(view.name);
        viewSizes.push(shown.shape[1]);
        const pngs = await batchToPngs(shown);
        pngs.forEach((png, j) => items[j]?.views.push(png));
      }
    }
    if (views.negatives && views.views[0]) {
      viewNames.push('negative');
      viewSizes.push(views.views[0].images.shape[1]);
      const shown = displayable(
        views.views[0].images,
        groupOps(spec, views.views[0]),
        request.stats,
      );
      owned.push(shown);
      const pngs = await rowPngs(shown, Array.from(views.negatives));
      pngs.forEach((png, j) => items[j]?.views.push(png));
    }
    if (views.jigsaw && spec.jigsaw) {
      viewNames.push(`jigsaw ${spec.jigsaw.grid}×${spec.jigsaw.grid}`);
      const tiles = displayable(views.jigsaw.tiles, spec.jigsaw.tileOps, request.stats);
      owned.push(tiles);
      viewSizes.push((tiles.shape[1] + 1) * spec.jigsaw.grid - 1);
      for (let j = 0; j < count; j++) {
        const image = mosaic(tiles, j, spec.jigsaw.grid);
        owned.push(image);
        const [png] = await batchToPngs(image);
        if (png) items[j]?.views.push(png);
      }
    }
    if (request.stepByStep) {
      for (const [v, view] of views.views.entries()) {
        for (const [s, step] of (view.steps ?? []).entries()) {
          const record = view.ops[s];
          if (!record) continue;
          const shown =
            record.op === 'normalize'
              ? displayable(step, groupOps(spec, view), request.stats)
              : step;
          if (shown !== step) owned.push(shown);
          const pngs = await batchToPngs(shown);
          pngs.forEach((png, j) => {
            const item = items[j];
            const params = record.params[j];
            if (item && params) (item.steps ??= []).push({ view: v, op: record.op, params, png });
          });
        }
      }
    }

    const params: PreviewItemParams[] = imageOf.map((image, j) => ({
      image,
      key: keys[j] ?? j,
      views: (views as ViewBatch).views.map((view) => ({
        name: view.name,
        ops: view.ops.map((record) => ({
          op: record.op,
          params: record.params[j] ?? { applied: false },
        })),
      })),
      ...(views?.jigsaw ? { permutationIndex: views.jigsaw.permutationIndex[j] ?? 0 } : {}),
      ...(views?.rotationLabels
        ? { rotationLabels: rotations ? [0, 1, 2, 3] : [views.rotationLabels[j] ?? 0] }
        : {}),
      ...(views?.negatives ? { negative: views.negatives[j] ?? 0 } : {}),
    }));
    return { items, params, viewNames, viewSizes, spec, seed: request.seed };
  } finally {
    if (views) disposeViewBatch(views);
    tf.dispose(owned);
  }
}
