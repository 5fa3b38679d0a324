/**
 * ResNet encoders as functional `tf.LayersModel`s (so they serialise, export and reload).
 * He et al. 2015, "Deep Residual Learning for Image Recognition", https://arxiv.org/abs/1512.03385.
 *
 * - ImageNet form: 7×7 stride-2 stem + 3×3 stride-2 max-pool (resnet18, resnet34, resnet50).
 * - CIFAR form: 3×3 stride-1 stem, no max-pool (resnet18-cifar, as in SimCLR's CIFAR-10 runs).
 * - small: CIFAR stem and three stages of one basic block (16/32/64 channels) — trains on a CPU.
 * Widths are scaled by `widthMultiplier`. Input [H, W, C] (C = 1 or 3; H, W may be null for
 * multi-crop / jigsaw tiles), output [B, F] after global average pooling.
 * BatchNorm uses PyTorch's momentum 0.1 (tfjs momentum 0.9) and ε = 1e-5 by default. In a custom loop,
 * `model.apply(x, { training: true })` normalises with batch statistics and updates the moving mean /
 * variance in place (tfjs-layers does this imperatively); `{ training: false }` uses the moving stats.
 */
import { tf } from '../../compute/tf';
import { batchNormalization } from './batch-norm';
import { conv2d } from './conv2d';
import { SeedSequence } from '../../random/index';
import { BOTTLENECK_EXPANSION, scaledWidth, type ResNetSpec } from '../../specs/encoders';

export interface ResNetOptions {
  inputShape: [number | null, number | null, number];
  widthMultiplier: number;
  seed: number;
  batchNormMomentum: number;
  name: string;
}


class Builder {
  private readonly seeds: SeedSequence;

  constructor(private readonly opts: ResNetOptions) {
    this.seeds = new SeedSequence(opts.seed);
  }

  conv(
    x: tf.SymbolicTensor,
    filters: number,
    kernelSize: number,
    strides: number,
    name: string,
  ): tf.SymbolicTensor {
    return conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: this.seeds.next() }),
      name,
    }).apply(x) as tf.SymbolicTensor;
  }

  bn(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return batchNormalization({ momentum: this.opts.batchNormMomentum, epsilon: 1e-5, name }).apply(
      x,
    ) as tf.SymbolicTensor;
  }

  relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  }

  shortcut(
    x: tf.SymbolicTensor,
    outChannels: number,
    strides: number,
    name: string,
  ): tf.SymbolicTensor {
    const inChannels = x.shape[x.shape.length - 1];
    if (strides === 1 && inChannels === outChannels) return x;
    return this.bn(this.conv(x, outChannels, 1, strides, `${name}_proj`), `${name}_proj_bn`);
  }

  basic(x: tf.SymbolicTensor, width: number, strides: number, name: string): tf.SymbolicTensor {
    let y = this.relu(
      this.bn(this.conv(x, width, 3, strides, `${name}_conv1`), `${name}_bn1`),
      `${name}_relu1`,
    );
    y = this.bn(this.conv(y, width, 3, 1, `${name}_conv2`), `${name}_bn2`);
    const sum = tf.layers
      .add({ name: `${name}_add` })
      .apply([y, this.shortcut(x, width, strides, name)]) as tf.SymbolicTensor;
    return this.relu(sum, `${name}_out`);
  }

  bottleneck(
    x: tf.SymbolicTensor,
    width: number,
    strides: number,
    name: string,
  ): tf.SymbolicTensor {
    const out = width * BOTTLENECK_EXPANSION;
    let y = this.relu(
      this.bn(this.conv(x, width, 1, 1, `${name}_conv1`), `${name}_bn1`),
      `${name}_relu1`,
    );
    y = this.relu(
      this.bn(this.conv(y, width, 3, strides, `${name}_conv2`), `${name}_bn2`),
      `${name}_relu2`,
    );
    y = this.bn(this.conv(y, out, 1, 1, `${name}_conv3`), `${name}_bn3`);
    const sum = tf.layers
      .add({ name: `${name}_add` })
      .apply([y, this.shortcut(x, out, strides, name)]) as tf.SymbolicTensor;
    return this.relu(sum, `${name}_out`);
  }
}

export function buildResNet(spec: ResNetSpec, opts: ResNetOptions): tf.LayersModel {
  const b = new Builder(opts);
  const input = tf.input({ shape: opts.inputShape, name: `${opts.name}_input` });
  const stemWidth = scaledWidth(spec.widths[0] ?? 64, opts.widthMultiplier);
  let x: tf.SymbolicTensor;
  if (spec.stem === 'imagenet') {
    x = b.relu(b.bn(b.conv(input, stemWidth, 7, 2, 'stem_conv'), 'stem_bn'), 'stem_relu');
    x = tf.layers
      .maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'stem_pool' })
      .apply(x) as tf.SymbolicTensor;
  } else {
    x = b.relu(b.bn(b.conv(input, stemWidth, 3, 1, 'stem_conv'), 'stem_bn'), 'stem_relu');
  }
  spec.widths.forEach((w, stage) => {
    const width = scaledWidth(w, opts.widthMultiplier);
    const count = spec.blocks[stage] ?? 1;
    for (let i = 0; i < count; i++) {
      const strides = i === 0 && stage > 0 ? 2 : 1;
      const name = `stage${stage + 1}_block${i + 1}`;
      x =
        spec.block === 'basic'
          ? b.basic(x, width, strides, name)
          : b.bottleneck(x, width, strides, name);
    }
  });
  const features = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: features, name: opts.name });
}
