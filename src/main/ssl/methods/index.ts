/**
 * The METHODS registry (solo-learn style): method name → factory. `createMethod` validates the
 * config with the shared schema first, so a bad preset or override fails before any tensor exists.
 */
import {
  MethodConfigSchema,
  type MethodConfig,
  type MethodConfigOf,
  type MethodName,
} from '../../../shared/schemas/method';
import { AutoencoderMethod } from './autoencoder';
import { BarlowTwinsMethod } from './barlow-twins';
import { ByolMethod } from './byol';
import { DinoMethod } from './dino';
import { SimsiamMethod } from './simsiam';
import { VicregMethod } from './vicreg';
import { MarginContrastiveMethod } from './margin-contrastive';
import { MemoryBankMethod } from './memory-bank';
import { MocoMethod } from './moco';
import { PirlMethod } from './pirl';
import { SimclrMethod } from './simclr';
import { SwavMethod } from './swav';
import { TripletMethod } from './triplet';
import type { MethodContext, MethodFactory, SslMethod } from './types';

export const METHODS: { [N in MethodName]: MethodFactory<MethodConfigOf<N>> } = {
  simclr: (config, context) => new SimclrMethod(config, context),
  'memory-bank': (config, context) => new MemoryBankMethod(config, context),
  moco: (config, context) => new MocoMethod(config, context),
  swav: (config, context) => new SwavMethod(config, context),
  pirl: (config, context) => new PirlMethod(config, context),
  triplet: (config, context) => new TripletMethod(config, context),
  'margin-contrastive': (config, context) => new MarginContrastiveMethod(config, context),
  byol: (config, context) => new ByolMethod(config, context),
  simsiam: (config, context) => new SimsiamMethod(config, context),
  'barlow-twins': (config, context) => new BarlowTwinsMethod(config, context),
  vicreg: (config, context) => new VicregMethod(config, context),
  dino: (config, context) => new DinoMethod(config, context),
  autoencoder: (config, context) => new AutoencoderMethod(config, context),
};

function checkContext(context: MethodContext): void {
  const { imageSize, channels, datasetSize, seed } = context;
  if (!Number.isInteger(imageSize) || imageSize < 2)
    throw new RangeError(`createMethod: imageSize must be an integer ≥ 2, got ${imageSize}`);
  if (channels !== 1 && channels !== 3)
    throw new RangeError(`createMethod: channels must be 1 or 3, got ${String(channels)}`);
  if (!Number.isInteger(datasetSize) || datasetSize < 1)
    throw new RangeError(`createMethod: datasetSize must be an integer ≥ 1, got ${datasetSize}`);
  if (!Number.isInteger(seed))
    throw new RangeError(`createMethod: seed must be an integer, got ${seed}`);
}

/** Build method `name` from a full config (e.g. `mergeMethodConfig(preset, overrides)`). */
export function createMethod(
  name: MethodName,
  config: MethodConfig | unknown,
  context: MethodContext,
): SslMethod {
  const parsed = MethodConfigSchema.parse(config);
  if (parsed.method !== name)
    throw new RangeError(`createMethod: config is for "${parsed.method}", not "${name}"`);
  checkContext(context);
  const factory = METHODS[name] as MethodFactory;
  return factory(parsed, context);
}
