/**
 * The set-up the training-step probes share (`cwb bench train`'s: seeded synthetic images, the
 * method's preset with the chosen encoder, its default augmentation fitted to its views, Adam 1e-3),
 * run in this process (no engine worker). The caller disposes `images`, `optimizer` and `method`.
 */
import { loadAugmentPreset } from '../../src/main/augment/presets';
import { createOptimizer } from '../../src/main/ssl/optimizers';
import { initBackend, tf } from '../../src/main/compute/tf';
import { fitAugmentToMethod } from '../../src/main/specs/views';
import { createMethod } from '../../src/main/ssl/methods/index';
import { loadMethodPreset } from '../../src/main/services/presets';
import { DEFAULT_AUGMENT_PRESET } from '../../src/shared/schemas/experiment';
import {
  EncoderNameSchema,
  mergeMethodConfig,
  MethodNameSchema,
} from '../../src/shared/schemas/method';

/** The `parseArgs` options every training probe takes; spread them into the probe's own. */
export const TRAIN_PROBE_OPTIONS = {
  method: { type: 'string', default: 'simclr' },
  encoder: { type: 'string', default: 'small' },
  'batch-size': { type: 'string', default: '64' },
  'image-size': { type: 'string', default: '32' },
  backend: { type: 'string', default: 'wasm' },
} as const;

/** The parsed values of TRAIN_PROBE_OPTIONS. */
export interface TrainProbeArgs {
  method: string;
  encoder: string;
  'batch-size': string;
  'image-size': string;
  backend: string;
}

export async function setUpTrainProbe(args: TrainProbeArgs) {
  const methodName = MethodNameSchema.parse(args.method);
  const encoderName = EncoderNameSchema.parse(args.encoder);
  const batchSize = Number(args['batch-size']);
  const imageSize = Number(args['image-size']);
  const report = await initBackend(args.backend);
  const config = mergeMethodConfig(loadMethodPreset(methodName), { encoder: { name: encoderName } });
  const method = createMethod(methodName, config, {
    imageSize,
    channels: 3,
    datasetSize: Math.max(batchSize * 4, 64),
    seed: 0,
  });
  const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3, weightDecay: 0 }, () =>
    method.trainableVariables(),
  );
  const spec = fitAugmentToMethod(
    loadAugmentPreset(DEFAULT_AUGMENT_PRESET[methodName]),
    method.viewsNeeded,
    imageSize,
  );
  const images = tf.randomUniform(
    [batchSize, imageSize, imageSize, 3],
    0,
    1,
    'float32',
    0,
  ) as tf.Tensor4D;
  const indices = Int32Array.from({ length: batchSize }, (_, i) => i);
  return {
    methodName,
    encoderName,
    batchSize,
    imageSize,
    report,
    method,
    optimizer,
    spec,
    images,
    indices,
  };
}
