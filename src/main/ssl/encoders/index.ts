/**
 * Encoder registry: the names users pick (`--encoder`) built from the ResNet table in specs/encoders.ts.
 * `buildEncoder` returns a functional `tf.LayersModel` from images [B, H, W, C] to features [B, F].
 */
import type { tf } from '../../compute/tf';
import type { EncoderName } from '../../../shared/schemas/method';
import { ENCODER_SPECS } from '../../specs/encoders';
import { buildResNet } from './resnet';

export interface EncoderOptions {
  name: EncoderName;
  /** [H, W, C]; H and W may be null when crops of several sizes go through one encoder. */
  inputShape: [number | null, number | null, number];
  widthMultiplier?: number;
  seed: number;
  /** tfjs convention: moving = momentum·moving + (1 − momentum)·batch. */
  batchNormMomentum?: number;
  /** Model name, also the prefix of its input layer. */
  modelName?: string;
}

export function buildEncoder(opts: EncoderOptions): tf.LayersModel {
  const spec = ENCODER_SPECS[opts.name];
  if (!spec) throw new RangeError(`buildEncoder: unknown encoder "${String(opts.name)}"`);
  const channels = opts.inputShape[2];
  if (channels !== 1 && channels !== 3)
    throw new RangeError(`buildEncoder: images need 1 or 3 channels, got ${channels}`);
  const widthMultiplier = opts.widthMultiplier ?? 1;
  if (!(widthMultiplier > 0))
    throw new RangeError(`buildEncoder: widthMultiplier must be > 0, got ${widthMultiplier}`);
  return buildResNet(spec, {
    inputShape: opts.inputShape,
    widthMultiplier,
    seed: opts.seed,
    batchNormMomentum: opts.batchNormMomentum ?? 0.9,
    name: opts.modelName ?? 'encoder',
  });
}

/** Width F of the feature vector an encoder returns. */
export function featureDim(encoder: tf.LayersModel): number {
  const shape = encoder.outputs[0]?.shape;
  const dim = shape?.[shape.length - 1];
  if (typeof dim !== 'number') throw new Error('featureDim: encoder output has no static width');
  return dim;
}
