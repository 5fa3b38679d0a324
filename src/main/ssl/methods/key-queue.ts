/**
 * MoCo's dictionary: a FIFO queue of the K most recent keys [K, D]. Enqueueing a batch of B keys
 * drops the B oldest (rows are ordered oldest first). Starts as random unit vectors, like MoCo's
 * `torch.randn` + normalise initialisation. Keys are stored as given (callers normalise).
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from '../losses/normalize';
import { tfSeed } from '../../random/index';

export class KeyQueue {
  private keys: tf.Tensor2D;

  constructor(
    readonly size: number,
    readonly dim: number,
    seed: number,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`KeyQueue: size must be an integer ≥ 1, got ${size}`);
    this.keys = tf.tidy(() => l2Normalize(tf.randomNormal([size, dim], 0, 1, 'float32', tfSeed(seed))));
  }

  /** Current keys, oldest first → [K, D]. */
  get entries(): tf.Tensor2D {
    return this.keys;
  }

  enqueue(batch: tf.Tensor2D): void {
    if (batch.shape[1] !== this.dim)
      throw new RangeError(
        `KeyQueue.enqueue: keys of dim ${batch.shape[1]}, queue holds ${this.dim}`,
      );
    const next = tf.tidy(() => {
      const b = batch.shape[0];
      if (b >= this.size) return tf.slice(batch, [b - this.size, 0], [this.size, -1]);
      return tf.concat([tf.slice(this.keys, [b, 0], [this.size - b, -1]), batch], 0);
    });
    this.keys.dispose();
    this.keys = next;
  }

  replace(values: tf.Tensor2D): void {
    if (values.shape[0] !== this.size || values.shape[1] !== this.dim) {
      throw new RangeError(
        `KeyQueue.replace: expected [${this.size}, ${this.dim}], got [${values.shape.join(', ')}]`,
      );
    }
    this.keys.dispose();
    this.keys = tf.clone(values);
  }

  dispose(): void {
    this.keys.dispose();
  }
}
