/**
 * Training-mode BatchNorm as one op with a hand-written gradient (Ioffe & Szegedy 2015,
 * https://arxiv.org/abs/1502.03167), and the `tf.layers.batchNormalization` layer that uses it.
 *
 * tfjs-layers builds training BatchNorm from `moments` + `batchNorm` and differentiates every small op
 * of both: on wasm a step of the small ResNet spent ~40 % of its time there, mostly in per-channel
 * `Sum`/`Mean` (each transposes the whole NHWC tensor first) and broadcast multiplies. Here the
 * forward pass is 5 passes over x and the backward pass 5 over dy, using, on wasm, XNNPACK average
 * pooling for per-channel means and a 1×1 depthwise convolution for per-channel affine maps.
 *
 * Shapes: x [..., C] (channels last, any rank ≥ 2), γ and β [C]. Over the R = size / C rows:
 *   μ = Σx / R,  σ² = Σ(x − μ)² / R (biased, as tfjs-layers and Keras),  x̂ = (x − μ) / √(σ² + ε),
 *   y = γ·x̂ + β.
 * Gradient with a = γ / √(σ² + ε):  dβ = Σdy,  dγ = Σdy·x̂,  dx = a·(dy − dβ/R − x̂·dγ/R).
 */
import { tf } from '../../compute/tf';

export interface BatchStatistics {
  y: tf.Tensor;
  /** Batch mean and biased variance [C], for the moving averages. The caller disposes them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Backends whose per-channel reductions are cheaper through pooling and convolution kernels. */
function useXnnpackForms(): boolean {
  return tf.getBackend() === 'wasm';
}

/** Largest divisor of n that is at most √n (1 for primes): splits a long sum in two shorter ones. */
function splitFactor(n: number): number {
  for (let d = Math.floor(Math.sqrt(n)); d > 1; d -= 1) if (n % d === 0) return d;
  return 1;
}

/**
 * Per-channel mean of rows [R, C] → [C]. On wasm, two rounds of average pooling (R = a·b rows: b
 * means of a rows, then their mean), which reads x once without transposing it and keeps float32
 * rounding to that of sums of ~√R terms.
 */
export function channelMean(rows: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [r, c] = rows.shape;
    if (!useXnnpackForms() || r < 4) return tf.mean(rows, 0) as tf.Tensor1D;
    const b = splitFactor(r);
    const a = r / b;
    let partial = tf.avgPool(tf.reshape(rows, [1, a, b, c]) as tf.Tensor4D, [a, 1], 1, 'valid');
    if (b > 1)
      partial = tf.avgPool(tf.reshape(partial, [1, b, 1, c]) as tf.Tensor4D, [b, 1], 1, 'valid');
    return tf.reshape(partial, [c]) as tf.Tensor1D;
  });
}

/** rows·scale + shift per channel, rows [R, C], scale and shift [C]. */
export function channelAffine(
  rows: tf.Tensor2D,
  scale: tf.Tensor1D,
  shift?: tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [r, c] = rows.shape;
    if (!useXnnpackForms()) {
      const scaled = tf.mul(rows, scale);
      return (shift ? tf.add(scaled, shift) : scaled) as tf.Tensor2D;
    }
    const out = tf.fused.depthwiseConv2d({
      x: tf.reshape(rows, [1, 1, r, c]) as tf.Tensor4D,
      filter: tf.reshape(scale, [1, 1, c, 1]) as tf.Tensor4D,
      strides: 1,
      pad: 'valid',
      ...(shift ? { bias: shift } : {}),
    });
    return tf.reshape(out, [r, c]) as tf.Tensor2D;
  });
}

/** Training-mode BatchNorm over every axis but the last; see the module comment. */
export function batchNormInTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchStatistics {
  const channels = x.shape[x.rank - 1] ?? 0;
  if (x.rank < 2 || gamma.shape[0] !== channels || beta.shape[0] !== channels) {
    throw new RangeError(
      `batchNormInTraining: x [${x.shape.join(', ')}] needs channels last matching γ [${gamma.shape.join(', ')}] and β [${beta.shape.join(', ')}]`,
    );
  }
  const r = x.size / channels;
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | ((save: tf.Tensor[]) => void)>) => {
    const [input, g, b, save] = args as [
      tf.Tensor,
      tf.Tensor1D,
      tf.Tensor1D,
      (s: tf.Tensor[]) => void,
    ];
    const rows = tf.reshape(input, [r, channels]) as tf.Tensor2D;
    const mu = channelMean(rows);
    const centered = channelAffine(rows, tf.onesLike(mu), tf.neg(mu));
    const sigma2 = channelMean(tf.square(centered) as tf.Tensor2D);
    const invStd = tf.rsqrt(tf.add(sigma2, epsilon)) as tf.Tensor1D;
    const y = tf.reshape(channelAffine(centered, tf.mul(g, invStd), b), input.shape);
    mean = tf.keep(mu);
    variance = tf.keep(sigma2);
    save([centered, invStd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xc, inv, scale] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const dyRows = tf.reshape(dy, [r, channels]) as tf.Tensor2D;
        const meanDy = channelMean(dyRows);
        const meanDyXc = channelMean(tf.mul(dyRows, xc) as tf.Tensor2D);
        const a = tf.mul(scale, inv) as tf.Tensor1D;
        // dx = a·dy − a·mean(dy) − a·inv²·mean(dy·(x − μ))·(x − μ)
        const fromDy = channelAffine(dyRows, a, tf.neg(tf.mul(a, meanDy)) as tf.Tensor1D);
        const fromX = channelAffine(
          xc,
          tf.neg(tf.mul(a, tf.mul(tf.square(inv), meanDyXc))) as tf.Tensor1D,
        );
        const dx = tf.reshape(tf.add(fromDy, fromX), dy.shape);
        const dGamma = tf.mul(tf.mul(meanDyXc, inv), r);
        const dBeta = tf.mul(meanDy, r);
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta);
  if (!mean || !variance) throw new Error('batchNormInTraining: statistics were not computed');
  return { y, mean, variance };
}

type LayerArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type BatchNormalizationLayer = ReturnType<typeof tf.layers.batchNormalization>;
type Kwargs = Parameters<BatchNormalizationLayer['call']>[1];

/** The fields of tfjs-layers' BatchNormalization this layer reads (private in its typings). */
interface BatchNormalizationFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor1D };
  beta: { read(): tf.Tensor1D };
  movingMean: { read(): tf.Tensor1D; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor1D; write(value: tf.Tensor): void };
}

const BatchNormalizationBase = Object.getPrototypeOf(tf.layers.batchNormalization({}))
  .constructor as new (args: LayerArgs) => BatchNormalizationLayer;

/**
 * tfjs-layers' BatchNormalization whose training pass is `batchNormInTraining`, on the backends
 * where that is tested (wasm, cpu); inference, other backends and non-last axes run the original.
 * Same class name, config and weights, so models serialise, export and reload unchanged.
 */
class TrainingFastBatchNormalization extends BatchNormalizationBase {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const fields = this as unknown as BatchNormalizationFields;
    const lastAxis = input !== undefined && (fields.axis === -1 || fields.axis === input.rank - 1);
    const backend = tf.getBackend();
    if (
      kwargs['training'] !== true ||
      !input ||
      !lastAxis ||
      !fields.center ||
      !fields.scale ||
      (backend !== 'wasm' && backend !== 'cpu')
    ) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormInTraining(
        input,
        fields.gamma.read(),
        fields.beta.read(),
        fields.epsilon,
      );
      // tfjs-layers' moving average, formula for formula: moving − (moving − batch)·(1 − momentum).
      const update = (moving: BatchNormalizationFields['movingMean'], value: tf.Tensor): void => {
        tf.tidy(() => {
          const current = moving.read();
          moving.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - fields.momentum)));
        });
      };
      update(fields.movingMean, mean);
      update(fields.movingVariance, variance);
      tf.dispose([mean, variance]);
      return y;
    });
  }
}

/** Drop-in for `tf.layers.batchNormalization` with the faster training pass. */
export function batchNormalization(args: LayerArgs): BatchNormalizationLayer {
  return new TrainingFastBatchNormalization(args);
}
