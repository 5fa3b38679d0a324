import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { rollRows, semiHardNegatives } from '../../../src/main/ssl/methods/in-batch-negatives';
import { expectArrayClose, expectNoLeakedTensors } from './tensor-assertions';

describe('in-batch negatives', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('rollRows shifts rows cyclically and never returns a row to itself for 0 < shift < B', () => {
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    expect(Array.from(rollRows(x, 1).dataSync())).toEqual([1, 2, 3, 0]);
    expect(Array.from(rollRows(x, 3).dataSync())).toEqual([3, 0, 1, 2]);
    expect(Array.from(rollRows(x, -1).dataSync())).toEqual([3, 0, 1, 2]);
    x.dispose();
  });

  it('semi-hard: closest positive farther than the own positive, else the farthest', () => {
    // 1-D embeddings. Anchor 0 at 0 with its positive at 1 (d = 1): others at 3 and 1.5 → 1.5.
    // Anchor 1 at 10 with its positive at 3 (d = 7): others at 1 (d 9) and 1.5 (d 8.5) → 1.5 (closest farther).
    // Anchor 2 at 1.5 with its positive at 1.5 (d = 0): others at 1 and 3 → 1 (closest farther).
    const anchors = tf.tensor2d([[0], [10], [1.5]]);
    const positives = tf.tensor2d([[1], [3], [1.5]]);
    expectArrayClose(semiHardNegatives(anchors, positives).dataSync(), [1.5, 1.5, 1]);
    // Anchor 0 at 0 with its positive far away at 9: no farther negative → the farthest one (5).
    const a2 = tf.tensor2d([[0], [4], [5]]);
    const p2 = tf.tensor2d([[9], [4], [5]]);
    expectArrayClose(semiHardNegatives(a2, p2).dataSync().slice(0, 1), [5]);
    expectNoLeakedTensors(() => semiHardNegatives(anchors, positives).dispose());
    tf.dispose([anchors, positives, a2, p2]);
  });

  it('passes gradient to the chosen rows only, none through the choice', () => {
    const anchors = tf.tensor2d([[0], [10], [1.5]]);
    const positives = tf.tensor2d([[1], [3], [1.5]]);
    const [ga, gp] = tf.grads((a: tf.Tensor, p: tf.Tensor) =>
      tf.sum(semiHardNegatives(a as tf.Tensor2D, p as tf.Tensor2D)),
    )([anchors, positives]);
    expectArrayClose(ga!.dataSync(), [0, 0, 0]);
    // Row 2 (value 1.5) chosen twice, row 0 (value 1) once.
    expectArrayClose(gp!.dataSync(), [1, 0, 2]);
    tf.dispose([anchors, positives, ga!, gp!]);
  });
});
