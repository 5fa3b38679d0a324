/**
 * Memory bank of one L2-normalised embedding per dataset image, as in InstDisc / NPID
 * (Wu et al. 2018, https://arxiv.org/abs/1805.01978) and PIRL (Misra & van der Maaten 2019,
 * https://arxiv.org/abs/1912.01991). Entries start as random unit vectors; after each step the
 * entries of the batch's images move towards their new features:
 * v ← normalise(m·v + (1 − m)·f). Negatives are sampled uniformly with replacement.
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from '../losses/normalize';
import type { SeededRng } from '../../random/index';
import { tfSeed } from '../../random/index';

export class InstanceBank {
  private bank: tf.Tensor2D;
  /** Features computed in the loss, applied after the optimiser step (the loss runs inside tidy). */
  private staged: tf.Tensor2D | undefined;

  constructor(
    readonly size: number,
    readonly dim: number,
    seed: number,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`InstanceBank: size must be an integer ≥ 1, got ${size}`);
    this.bank = tf.tidy(() => l2Normalize(tf.randomNormal([size, dim], 0, 1, 'float32', tfSeed(seed))));
  }

  get entries(): tf.Tensor2D {
    return this.bank;
  }

  /** Entries of `indices` → [B, D] (a new tensor; the bank itself carries no gradient). */
  rows(indices: Int32Array): tf.Tensor2D {
    this.checkIndices(indices);
    return tf.tidy(() => tf.gather(this.bank, tf.tensor1d(indices, 'int32')));
  }

  /** `count` entries drawn uniformly with replacement → [count, D]. */
  sampleNegatives(count: number, random: SeededRng): tf.Tensor2D {
    const picks = new Int32Array(count);
    for (let i = 0; i < count; i++) picks[i] = random.int(this.size);
    return this.rows(picks);
  }

  /** v ← normalise(m·v + (1 − m)·f) for the batch's entries; features [B, D] (normalised inside). */
  update(indices: Int32Array, features: tf.Tensor2D, momentum: number): void {
    this.checkIndices(indices);
    if (features.shape[0] !== indices.length || features.shape[1] !== this.dim) {
      throw new RangeError(
        `InstanceBank.update: features [${features.shape.join(', ')}] for ${indices.length} indices of dim ${this.dim}`,
      );
    }
    // A repeated index would make the scatter ambiguous: its last occurrence wins.
    const last = new Map<number, number>();
    indices.forEach((index, row) => last.set(index, row));
    const rows = Int32Array.from(last.values());
    const targets = Int32Array.from(last.keys());
    const next = tf.tidy(() => {
      const f = l2Normalize(tf.gather(features, tf.tensor1d(rows, 'int32')));
      const old = tf.gather(this.bank, tf.tensor1d(targets, 'int32'));
      const mixed = l2Normalize(tf.add(tf.mul(old, momentum), tf.mul(f, 1 - momentum)));
      return tf.tensorScatterUpdate(
        this.bank,
        tf.tensor2d(targets, [targets.length, 1], 'int32'),
        mixed,
      ) as tf.Tensor2D;
    });
    this.bank.dispose();
    this.bank = next;
  }

  /** Keep a copy of this step's features [B, D] (called inside the loss's tidy). */
  stage(features: tf.Tensor2D): void {
    this.staged?.dispose();
    this.staged = tf.keep(tf.clone(features));
  }

  /** Apply the staged features to the batch's entries (after the optimiser step); no-op when none. */
  commitStaged(indices: Int32Array, momentum: number): void {
    if (!this.staged) return;
    try {
      this.update(indices, this.staged, momentum);
    } finally {
      this.staged.dispose();
      this.staged = undefined;
    }
  }

  replace(values: tf.Tensor2D): void {
    if (values.shape[0] !== this.size || values.shape[1] !== this.dim) {
      throw new RangeError(
        `InstanceBank.replace: expected [${this.size}, ${this.dim}], got [${values.shape.join(', ')}]`,
      );
    }
    this.bank.dispose();
    this.bank = tf.clone(values);
  }

  dispose(): void {
    this.staged?.dispose();
    this.bank.dispose();
  }

  private checkIndices(indices: Int32Array): void {
    for (const i of indices) {
      if (i < 0 || i >= this.size)
        throw new RangeError(`InstanceBank: index ${i} outside [0, ${this.size})`);
    }
  }
}
