import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import type { Experiment } from '../../../shared/schemas/experiment';
import type { TrainResult } from '../../engine/train-types';
import type { Services } from '../../services/index';
import { withServices, type GlobalOptions } from '../context';
import type { Output } from '../output';
import { parseInteger, parseNumber } from './parse';

interface TrainOptions {
  dataset?: string;
  method?: string;
  encoder?: string;
  epochs?: number;
  batchSize?: number;
  imageSize?: number;
  config?: string;
  seed?: number;
  backend?: string;
  resume?: number;
  learningRate?: number;
  maxStepsPerEpoch?: number;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function readConfig(file: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(resolve(file), 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new WorkbenchError('INVALID_INPUT', `cannot read the experiment file ${file}: ${(err as Error).message}`);
  }
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

function summary(result: TrainResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    runId: result.runId,
    status: result.status,
    epochs: result.epochs,
    steps: result.steps,
    finalLoss: result.finalLoss,
    imagesPerSecond: result.imagesPerSecond,
    backend: result.backend,
  };
  if (result.knnAccuracy !== null) out['knnAccuracy'] = result.knnAccuracy;
  return out;
}

function human(s: Record<string, unknown>): string {
  const lines = [`run ${String(s['runId'])} ${String(s['status'])}: ${String(s['epochs'])} epochs, ${String(s['steps'])} steps on ${String(s['backend'])}`];
  if (typeof s['finalLoss'] === 'number') lines.push(`final loss ${s['finalLoss'].toFixed(4)}`);
  if (typeof s['imagesPerSecond'] === 'number') lines.push(`${s['imagesPerSecond'].toFixed(1)} images/s (every view through forward + backward)`);
  if (typeof s['knnAccuracy'] === 'number') lines.push(`kNN accuracy ${(100 * s['knnAccuracy']).toFixed(2)} %`);
  return lines.join('\n');
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train an encoder with a contrastive method (Ctrl-C stops with a resumable checkpoint)')
    .option('--dataset <id|dir>', 'dataset id, or an image folder to import first')
    .option('--method <name>', 'simclr | memory-bank | moco | swav | pirl | triplet | margin-contrastive')
    .option('--encoder <name>', 'small | resnet18 | resnet18-cifar | resnet34 | resnet50')
    .option('--epochs <n>', 'epochs (0 evaluates the randomly initialised encoder)', parseInteger)
    .option('--batch-size <n>', 'dataset images per step', parseInteger)
    .option('--image-size <px>', 'training image size (default: the dataset size)', parseInteger)
    .option('--learning-rate <lr>', 'base learning rate of the optimiser', parseNumber)
    .option('--max-steps-per-epoch <n>', 'cap the steps of each epoch (quick looks)', parseInteger)
    .option('--config <file>', 'experiment JSON; flags override its fields')
    .option('--seed <n>', 'seed of initialisation, batches and augmentations', parseInteger)
    .option('--backend <name>', 'tensorflow | webgpu | wasm | cpu (default: best available)')
    .option('--resume <runId>', 'continue a paused, cancelled or interrupted run', parseInteger)
    .action(async (opts: TrainOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        let started: { runId: number; done: Promise<TrainResult> };
        const listener = {
          started: (e: { backend: string; device: string | null; stepsPerEpoch: number; resumedAtStep: number }) =>
            out.info(`training on ${e.backend}${e.device ? ` (${e.device})` : ''}: ${e.stepsPerEpoch} steps per epoch${e.resumedAtStep ? `, resuming after step ${e.resumedAtStep}` : ''}`),
          step: (e: { step: number; epoch: number; loss: number; imagesPerSecond: number; etaSeconds: number }) =>
            out.live(`epoch ${e.epoch.toFixed(2)}  step ${e.step}  loss ${e.loss.toFixed(4)}  ${e.imagesPerSecond.toFixed(0)} img/s  ETA ${duration(e.etaSeconds)}`),
          epoch: (e: { epoch: number; knnAccuracy: number | null; meanLoss: number | null }) =>
            out.info(`epoch ${e.epoch}: ${e.meanLoss !== null ? `mean loss ${e.meanLoss.toFixed(4)}` : 'not trained'}${e.knnAccuracy !== null ? `, kNN accuracy ${(100 * e.knnAccuracy).toFixed(2)} %` : ''}`),
        };
        const run = { ...(opts.backend ? { backend: opts.backend } : {}), listener };
        if (opts.resume !== undefined) {
          started = services.runs.resume(opts.resume, run);
        } else {
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
          if (opts.learningRate !== undefined) {
            const base = (config['optimizer'] as Record<string, unknown> | undefined) ?? { name: 'adam' };
            config['optimizer'] = { ...base, learningRate: opts.learningRate };
          }
          const { id } = services.experiments.create(config as Experiment);
          started = services.runs.start(id, run);
        }
        const interrupt = (): void => {
          out.info(`stopping run ${started.runId} after the current step …`);
          services.runs.stop(started.runId, 'cancelled');
        };
        process.once('SIGINT', interrupt);
        process.once('SIGTERM', interrupt);
        try {
          const result = await started.done;
          out.result(summary(result), human);
          if (result.status === 'cancelled') {
            out.info(`resume with: cwb train --resume ${result.runId}`);
            process.exitCode = 130;
          }
        } finally {
          process.off('SIGINT', interrupt);
          process.off('SIGTERM', interrupt);
        }
      });
    });
}
