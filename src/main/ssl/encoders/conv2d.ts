/**
 * `tf.layers.conv2d` whose bias-free, linear convolutions (every ResNet conv: BatchNorm follows)
 * run as a plain `tf.conv2d` in the forward pass. tfjs-layers always calls the fused conv op, whose
 * custom gradient computes the input gradient eagerly even where nothing needs it: for the stem that
 * is a full convolution backwards into the augmented images (~2 % of a small-ResNet step on wasm).
 * `tf.conv2d`'s gradient is computed per input on demand, so the tape skips it. Same kernels and
 * weights otherwise; same class name and config, so models serialise, export and reload unchanged.
 */
import { tf } from '../../compute/tf';

type LayerArgs = Parameters<typeof tf.layers.conv2d>[0];
type Conv2DLayer = ReturnType<typeof tf.layers.conv2d>;
type Kwargs = Parameters<Conv2DLayer['call']>[1];

/** The fields of tfjs-layers' Conv2D this layer reads (protected in its typings). */
interface Conv2DFields {
  rank: number;
  bias: unknown;
  activation: { getClassName(): string };
  dataFormat: string;
  padding: string;
  strides: [number, number];
  dilationRate: [number, number];
  kernel: { read(): tf.Tensor4D };
}

const Conv2DBase = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 }))
  .constructor as new (args: LayerArgs) => Conv2DLayer;

class UnfusedLinearConv2D extends Conv2DBase {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const f = this as unknown as Conv2DFields;
    const plain =
      input !== undefined &&
      input.rank === 4 &&
      f.rank === 2 &&
      f.bias == null &&
      f.activation.getClassName() === 'linear' &&
      f.dataFormat === 'channelsLast' &&
      (f.padding === 'same' || f.padding === 'valid');
    if (!plain) return super.call(inputs, kwargs);
    return tf.conv2d(
      input as tf.Tensor4D,
      f.kernel.read(),
      f.strides,
      f.padding as 'same' | 'valid',
      'NHWC',
      f.dilationRate,
    );
  }
}

/** Drop-in for `tf.layers.conv2d`. */
export function conv2d(args: LayerArgs): Conv2DLayer {
  return new UnfusedLinearConv2D(args);
}
