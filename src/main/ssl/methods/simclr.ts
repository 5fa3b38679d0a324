/**
 * End-to-end contrastive learning, SimCLR: two augmented views of every image, encoder + projection
 * head, NT-Xent over the 2N views of the batch (the other 2N − 2 views are the negatives).
 * Chen et al. 2020, https://arxiv.org/abs/2002.05709. No state beyond the weights.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { ntXentLoss } from '../losses/ntxent';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import type { EmbeddingLoss, MethodBatch } from './types';

export class SimclrMethod extends OneNetworkMethod<MethodConfigOf<'simclr'>> {
  readonly name = 'simclr' as const;

  /** Rows are [view 0 of the N images; view 1 of them]; NT-Xent pairs row i with row N + i. */
  readonly embeddingLoss: EmbeddingLoss = {
    rows: (batch) => {
      checkBatch(this.name, batch.views, batch.indices, 2);
      return tf.concat(batch.views, 0) as tf.Tensor4D;
    },
    project: (rows) => this.network.project(rows, true),
    fromEmbeddings: (z, batch) => {
      const n = batch.indices.length;
      if (z.shape[0] !== 2 * n)
        throw new RangeError(`simclr: expected ${2 * n} embeddings, got ${z.shape[0]}`);
      return tf.tidy(() =>
        ntXentLoss(
          tf.slice(z, [0, 0], [n, -1]),
          tf.slice(z, [n, 0], [n, -1]),
          this.config.temperature,
        ),
      );
    },
    models: () => [this.network.encoder, this.network.head],
  };

  loss(batch: MethodBatch): tf.Scalar {
    // One forward pass over both views: BatchNorm sees the 2N views together, as in SimCLR.
    return tf.tidy(() => {
      const { rows, project, fromEmbeddings } = this.embeddingLoss;
      return fromEmbeddings(project(rows(batch)), batch);
    });
  }
}
