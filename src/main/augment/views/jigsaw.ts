/**
 * PIRL views (Misra & van der Maaten 2019, arXiv:1912.01991): one augmented view of the image and
 * its jigsaw transform — the original cut into n×n tiles, shuffled by a permutation of the fixed
 * maximal-Hamming set, each tile then augmented independently by `tileOps` (its own stream per tile).
 * The permutation index doubles as the label of jigsaw prediction (Noroozi & Favaro 2016).
 */
import type { tf } from '../../compute/tf';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { applyPipeline, imageStreams } from '../pipeline';
import { deriveSeed } from '../../random/index';
import { jigsaw } from '../jigsaw';
import { buildGroupViews } from './groups';
import type { ViewBatch, ViewOptions } from './types';

const JIGSAW_STREAM = 0x115a;
const TILE_STREAM = 0x711e;

export function buildJigsawViews(
  images: tf.Tensor4D,
  spec: AugmentSpec,
  options: ViewOptions,
): ViewBatch {
  const config = spec.jigsaw;
  if (!config) throw new Error('jigsaw views need a jigsaw section in the spec');
  const cut = jigsaw(
    images,
    imageStreams(images.shape[0], { ...options, stream: JIGSAW_STREAM }),
    config,
  );
  const k = config.grid * config.grid;
  const tileKeys = Array.from({ length: cut.tiles.shape[0] }, (_, t) =>
    deriveSeed(options.imageKeys?.[Math.floor(t / k)] ?? Math.floor(t / k), t % k),
  );
  try {
    const stats = options.stats ? { stats: options.stats } : {};
    const augmented = applyPipeline(cut.tiles, config.tileOps, {
      seed: options.seed,
      stream: TILE_STREAM,
      imageKeys: tileKeys,
      ...stats,
    });
    const views = buildGroupViews(images, spec.views, options);
    return {
      kind: 'jigsaw',
      views,
      jigsaw: { ...cut, tiles: augmented.images, tileOps: augmented.ops },
    };
  } finally {
    cut.tiles.dispose();
  }
}
