/**
 * DINO's last layer (Caron et al. 2021, https://arxiv.org/abs/2104.14294, Sec. 3.1 and the reference
 * `DINOHead` with `norm_last_layer=True`): the bottleneck output is L2-normalised, then a bias-free
 * linear layer with weight normalisation (Salimans & Kingma 2016, https://arxiv.org/abs/1602.07868)
 * whose gain g is fixed to 1 — each output unit's weight vector is v_k / ‖v_k‖. So every output is a
 * cosine in [−1, 1] and only the directions of v learn (∂L/∂v_k ⟂ v_k); the paper reports that
 * fixing g stabilises training.
 *
 * Shapes: x [B, D], v [D, K] (column k = output unit k; PyTorch's `weight_v` is its transpose
 * [K, D]) → y [B, K] = normalize(x) · (v / ‖v‖ column-wise).
 * Example: x = [[3, 4]], v = [[1, 0], [0, 2]] → y = [[0.6, 0.8]].
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from '../losses/normalize';

/** y = normalize(x) · (v / ‖v‖ over each column): the layer's forward pass as one differentiable function. */
export function weightNormLinear(x: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  if (x.rank !== 2 || v.rank !== 2 || x.shape[1] !== v.shape[0])
    throw new RangeError(
      `weightNormLinear: x [B, D] and v [D, K] must share D, got [${x.shape.join(', ')}] and [${v.shape.join(', ')}]`,
    );
  return tf.tidy(() => {
    // PyTorch's weight_norm divides by the plain norm (no ε): a zero column is a bug, not a case.
    const columns = tf.div(v, tf.sqrt(tf.sum(tf.square(v), 0, true)));
    return tf.matMul(l2Normalize(x), columns);
  });
}

interface WeightNormLinearArgs {
  units: number;
  seed: number;
  name: string;
}

/** The layer form of `weightNormLinear`, so a head stays one LayersModel (state, EMA and checkpoints unchanged). */
export class WeightNormLinear extends tf.layers.Layer {
  static readonly className = 'WeightNormLinear';
  private readonly units: number;
  private readonly seed: number;
  private v: tf.LayerVariable | null = null;

  constructor(args: WeightNormLinearArgs) {
    super({ name: args.name });
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new RangeError(`WeightNormLinear: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const dim = shape[shape.length - 1];
    if (typeof dim !== 'number')
      throw new RangeError('WeightNormLinear: the input needs a known last dimension');
    // PyTorch's default Linear init U(±1/√D); only the direction matters with g fixed to 1.
    const init = tf.initializers.varianceScaling({
      scale: 1 / 3,
      mode: 'fanIn',
      distribution: 'uniform',
      seed: this.seed,
    });
    this.v = this.addWeight('kernel_v', [dim, this.units], 'float32', init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return weightNormLinear(x, this.v!.read() as tf.Tensor2D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, seed: this.seed };
  }
}
tf.serialization.registerClass(WeightNormLinear);
