/**
 * The experiment a command line describes: `--config experiment.json` (the designer's JSON) with
 * flags overriding its fields. Shared by `cwb train` and `cwb experiment save`, so both accept the
 * same files and flags and refuse the same mistakes.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import { METHOD_NAMES } from '../../../shared/schemas/method';
import type { Services } from '../../services/index';
import type { Output } from '../output';
import { parseInteger, parseNumber } from './parse';

export interface ExperimentOptions {
  dataset?: string;
  method?: string;
  encoder?: string;
  epochs?: number;
  batchSize?: number;
  imageSize?: number;
  learningRate?: number;
  maxStepsPerEpoch?: number;
  config?: string;
  seed?: number;
  engine?: string;
}

/** Register the flags that describe an experiment on a command. */
export function experimentOptions(command: Command): Command {
  return command
    .option('--dataset <id|dir>', 'dataset id, or an image folder to import first')
    .option('--method <name>', METHOD_NAMES.join(' | '))
    .option('--encoder <name>', 'small | resnet18 | resnet18-cifar | resnet34 | resnet50')
    .option('--epochs <n>', 'epochs (0 evaluates the randomly initialised encoder)', parseInteger)
    .option('--batch-size <n>', 'dataset images per step', parseInteger)
    .option('--image-size <px>', 'training image size (default: the dataset size)', parseInteger)
    .option('--learning-rate <lr>', 'base learning rate of the optimiser', parseNumber)
    .option('--max-steps-per-epoch <n>', 'cap the steps of each epoch (quick looks)', parseInteger)
    .option('--config <file>', 'experiment JSON; flags override its fields')
    .option('--seed <n>', 'seed of initialisation, batches and augmentations', parseInteger)
    .option('--engine <name>', 'tfjs (default) | pytorch (a Python with torch: CWB_PYTHON, else python3)');
}

/** The `--config` file: a JSON object. A missing file, bad JSON or another value is one clear INVALID_INPUT line. */
function readConfig(file: string): Record<string, unknown> {
  const fail = (why: string): never => {
    throw new WorkbenchError('INVALID_INPUT', `cannot read the experiment file ${file}: ${why}`);
  };
  let text = '';
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object (an experiment as the designer shows it)');
  return value as Record<string, unknown>;
}

/** `--dataset` is an id, or a folder imported on the spot (reusing an earlier import of it). */
async function datasetId(services: Services, ref: string, out: Output): Promise<number> {
  if (/^\d+$/.test(ref)) return Number(ref);
  const dir = resolve(ref);
  const known = services.ctx.store.datasets.findByRoot(dir);
  if (known) return known.id;
  out.info(`importing ${dir} …`);
  const reply = await services.datasets.import({ dir, size: 64, valFraction: 0.1, seed: 0 });
  out.info(`imported ${reply.imported} images (${reply.skipped.length} skipped) as dataset ${reply.datasetId}`);
  return reply.datasetId;
}

/**
 * The unvalidated experiment of `--config` and the flags; `services.experiments.create` validates it
 * (schema, then against the dataset) like every other front.
 */
export async function experimentFromOptions(services: Services, opts: ExperimentOptions, out: Output): Promise<Record<string, unknown>> {
  const config: Record<string, unknown> = opts.config ? readConfig(opts.config) : {};
  if (opts.dataset !== undefined) config['datasetId'] = await datasetId(services, opts.dataset, out);
  if (config['datasetId'] === undefined) throw new WorkbenchError('INVALID_INPUT', 'give --dataset <id|dir> (or datasetId in --config)');
  if (opts.method !== undefined) config['method'] = opts.method;
  if (config['method'] === undefined) throw new WorkbenchError('INVALID_INPUT', 'give --method (or method in --config)');
  if (opts.encoder !== undefined) config['encoder'] = opts.encoder;
  if (opts.epochs !== undefined) config['epochs'] = opts.epochs;
  if (opts.batchSize !== undefined) config['batchSize'] = opts.batchSize;
  if (opts.imageSize !== undefined) config['imageSize'] = opts.imageSize;
  if (opts.seed !== undefined) config['seed'] = opts.seed;
  if (opts.maxStepsPerEpoch !== undefined) config['maxStepsPerEpoch'] = opts.maxStepsPerEpoch;
  if (opts.engine !== undefined) config['engine'] = opts.engine;
  if (opts.learningRate !== undefined) {
    const base = (config['optimizer'] as Record<string, unknown> | undefined) ?? { name: 'adam' };
    config['optimizer'] = { ...base, learningRate: opts.learningRate };
  }
  return config;
}
