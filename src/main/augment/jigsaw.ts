/**
 * Jigsaw tiles (Noroozi & Favaro 2016, arXiv:1603.09246; PIRL, Misra & van der Maaten 2019,
 * arXiv:1912.01991): cut each image into an n×n grid, optionally crop each tile smaller than its
 * cell at a random offset (`jitter`, against edge-continuity shortcuts), and shuffle the tiles with
 * a permutation drawn from the fixed maximal-Hamming set. One `cropAndResize` for all N·n² tiles.
 *
 * images [N, H, W, C] → tiles [N·n², t, t', C] with t = ⌊H/n⌋, t' = ⌊W/n⌋, where
 * tiles[i·n² + position] is cell perms[permutationIndex[i]][position] of image i (cells row-major).
 */
import { tf } from '../compute/tf';
import type { JigsawSpec } from '../../shared/schemas/augment';
import type { Rng } from '../random/index';
import { toCropAndResizeBox } from './crop-boxes';
import { jigsawPermutations } from './jigsaw-permutations';
import { jigsawTileSize } from '../specs/view-size';

export interface JigsawParams {
  /** Index into the permutation set (the jigsaw-prediction label). */
  permutationIndex: number;
  /** Per cell (row-major) [dy, dx] offset of the tile inside its cell, pixels. */
  offsets: number[][];
}

export interface JigsawResult {
  tiles: tf.Tensor4D;
  permutationIndex: Int32Array;
  permutations: number[][];
  params: JigsawParams[];
  tileSize: { height: number; width: number };
}

type JigsawOptions = Pick<JigsawSpec, 'grid' | 'permutations' | 'permutationSeed' | 'jitter'>;

export function sampleJigsaw(
  rng: Rng,
  spec: JigsawOptions,
  height: number,
  width: number,
): JigsawParams {
  const permutationIndex = rng.int(0, spec.permutations);
  const cellH = height / spec.grid;
  const cellW = width / spec.grid;
  const offsets = Array.from({ length: spec.grid * spec.grid }, () => [
    rng.uniform(0, cellH * spec.jitter),
    rng.uniform(0, cellW * spec.jitter),
  ]);
  return { permutationIndex, offsets };
}

/** Cut and shuffle with already-sampled params (one per image). */
export function applyJigsaw(
  images: tf.Tensor4D,
  params: readonly JigsawParams[],
  spec: JigsawOptions,
): JigsawResult {
  const [n, h, w] = images.shape;
  const k = spec.grid * spec.grid;
  const permutations = jigsawPermutations(spec.grid, spec.permutations, spec.permutationSeed);
  const tileSize = jigsawTileSize(spec, h, w);
  const cellH = h / spec.grid;
  const cellW = w / spec.grid;
  const boxes: number[] = [];
  const owners: number[] = [];
  params.forEach((q, i) => {
    const perm = permutations[q.permutationIndex] ?? [];
    for (let position = 0; position < k; position++) {
      const cell = perm[position] ?? 0;
      const [dy = 0, dx = 0] = q.offsets[cell] ?? [];
      const box = {
        top: Math.floor(cell / spec.grid) * cellH + dy,
        left: (cell % spec.grid) * cellW + dx,
        height: cellH * (1 - spec.jitter),
        width: cellW * (1 - spec.jitter),
      };
      boxes.push(...toCropAndResizeBox(box, h, w, tileSize.height, tileSize.width));
      owners.push(i);
    }
  });
  const tiles = tf.tidy(() =>
    tf.image.cropAndResize(
      images,
      tf.tensor2d(boxes, [n * k, 4]),
      tf.tensor1d(owners, 'int32'),
      [tileSize.height, tileSize.width],
      'bilinear',
    ),
  );
  return {
    tiles,
    permutationIndex: Int32Array.from(params, (q) => q.permutationIndex),
    permutations,
    params: [...params],
    tileSize,
  };
}

/** Sample per-image params from the given streams and cut. */
export function jigsaw(
  images: tf.Tensor4D,
  rngs: readonly Rng[],
  spec: JigsawOptions,
): JigsawResult {
  const [, h, w] = images.shape;
  return applyJigsaw(
    images,
    rngs.map((rng) => sampleJigsaw(rng, spec, h, w)),
    spec,
  );
}
