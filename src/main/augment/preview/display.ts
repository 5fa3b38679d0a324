/**
 * Turning view tensors into what a preview shows: de-normalised [0, 1] images, the jigsaw mosaic of
 * an item's shuffled tiles, and PNGs of selected rows. Every helper returns tensors the caller owns.
 */
import { tf } from '../../compute/tf';
import type { AugmentSpec, OpSpec } from '../../../shared/schemas/augment';
import type { BuiltView } from '../views/index';
import { normalizeStats } from '../normalize';
import { batchToPngs } from '../image-io';

type Stats = { mean: readonly number[]; std: readonly number[] } | undefined;

/** The [0, 1] image behind a batch produced by `ops`: undo a final normalize (new tensor). */
export function displayable(
  images: tf.Tensor4D,
  ops: readonly OpSpec[],
  stats: Stats,
): tf.Tensor4D {
  const last = ops.at(-1);
  if (last?.op !== 'normalize') return images.clone();
  const channels = images.shape[3];
  const shape = { height: 0, width: 0 };
  const { mean, std } = normalizeStats(last, {
    input: { ...shape, channels },
    output: shape,
    ...(stats ? { stats } : {}),
  });
  return tf.tidy(() => tf.add(tf.mul(images, tf.tensor1d(std)), tf.tensor1d(mean)) as tf.Tensor4D);
}

export function groupOps(spec: AugmentSpec, view: BuiltView): OpSpec[] {
  return spec.views.find((g) => g.name === view.group)?.ops ?? [];
}

/** Tiles of item i laid out in their shuffled order on an n×n grid with 1-px white gaps. */
export function mosaic(tiles: tf.Tensor4D, item: number, grid: number): tf.Tensor4D {
  return tf.tidy(() => {
    const k = grid * grid;
    const [, th, tw, c] = tiles.shape;
    const own = tf.slice(tiles, [item * k], [k]);
    const padded = tf.pad(
      own,
      [
        [0, 0],
        [0, 1],
        [0, 1],
        [0, 0],
      ],
      1,
    );
    const rows = tf.reshape(padded, [grid, grid, th + 1, tw + 1, c]);
    const image = tf.reshape(tf.transpose(rows, [0, 2, 1, 3, 4]), [
      1,
      grid * (th + 1),
      grid * (tw + 1),
      c,
    ]);
    return tf.slice(
      image,
      [0, 0, 0, 0],
      [1, grid * (th + 1) - 1, grid * (tw + 1) - 1, c],
    ) as tf.Tensor4D;
  });
}

export async function rowPngs(batch: tf.Tensor4D, rows: readonly number[]): Promise<Buffer[]> {
  const picked = tf.tidy(() => tf.gather(batch, tf.tensor1d([...rows], 'int32')) as tf.Tensor4D);
  try {
    return await batchToPngs(picked);
  } finally {
    picked.dispose();
  }
}
