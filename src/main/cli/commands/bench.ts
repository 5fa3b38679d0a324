import type { Command } from 'commander';
import { loadAugmentPreset } from '../../augment/presets';
import { WorkbenchError } from '../../../shared/errors';
import { DEFAULT_AUGMENT_PRESET, gradientCacheProblem } from '../../../shared/schemas/experiment';
import { EncoderNameSchema, mergeMethodConfig, MethodNameSchema, type EncoderName, type MethodName } from '../../../shared/schemas/method';
import { loadMethodPreset } from '../../services/presets';
import { benchPytorchTrain } from '../../engine/pytorch/bench';
import type { BenchTrainBase } from '../../engine/protocol';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger } from './parse';

interface BenchTrainOptions {
  method: string;
  encoder: string;
  batchSize: number;
  imageSize: number;
  steps: number;
  warmup: number;
  channels: number;
  backend?: string;
  gradCacheChunk?: number;
  wasmThreads?: number;
  engine?: string;
  device?: string;
}

/**
 * The part of a training bench request both engines take, from the command's options: the method's
 * preset with `encoder`, and the method's augmentation preset (`grayscale-safe` for SimCLR on
 * 1-channel images).
 */
function benchTrainBase(method: MethodName, encoder: EncoderName, opts: BenchTrainOptions): BenchTrainBase {
  const preset = opts.channels === 1 && DEFAULT_AUGMENT_PRESET[method] === 'simclr' ? 'grayscale-safe' : DEFAULT_AUGMENT_PRESET[method];
  return {
    method: mergeMethodConfig(loadMethodPreset(method), { encoder: { name: encoder } }),
    augment: loadAugmentPreset(preset),
    batchSize: opts.batchSize,
    imageSize: opts.imageSize,
    channels: opts.channels as 1 | 3,
    steps: opts.steps,
    warmupSteps: opts.warmup,
  };
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('measure training and augmentation speed (see docs/BENCHMARKS.md)');

  bench
    .command('train')
    .description('images/s of full training steps (every view through forward + backward) on synthetic images')
    .requiredOption('--method <name>', 'SSL method')
    .requiredOption('--encoder <name>', 'encoder')
    .requiredOption('--batch-size <n>', 'images per step', parseInteger)
    .requiredOption('--image-size <px>', 'image size', parseInteger)
    .option('--steps <n>', 'timed steps', parseInteger, 5)
    .option('--warmup <n>', 'untimed steps first', parseInteger, 2)
    .option('--channels <n>', '1 or 3', parseInteger, 3)
    .option('--backend <name>', 'compute backend')
    .option('--grad-cache-chunk <n>', 'gradient caching: forward/backward the step this many views at a time (simclr; must divide 2 × batch size)', parseInteger)
    .option('--wasm-threads <n>', 'XNNPACK threads on wasm, 1-8 (default: $CWB_WASM_THREADS or 1)', parseInteger)
    .option('--engine <name>', 'tfjs (default) | pytorch: the PyTorch engine\'s whole loop (data feed, augmentation, event stream)')
    .option('--device <name>', 'PyTorch engine: auto | cpu | cuda')
    .action(async (opts: BenchTrainOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const method = MethodNameSchema.safeParse(opts.method);
      const encoder = EncoderNameSchema.safeParse(opts.encoder);
      if (!method.success) throw new WorkbenchError('INVALID_INPUT', method.error.issues[0]?.message ?? 'bad method');
      if (!encoder.success) throw new WorkbenchError('INVALID_INPUT', encoder.error.issues[0]?.message ?? 'bad encoder');
      if (opts.channels !== 1 && opts.channels !== 3) throw new WorkbenchError('INVALID_INPUT', '--channels must be 1 or 3');
      const chunk = opts.gradCacheChunk;
      if (chunk !== undefined) {
        if (chunk < 2) throw new WorkbenchError('INVALID_INPUT', '--grad-cache-chunk must be ≥ 2');
        const problem = gradientCacheProblem(method.data, opts.batchSize, chunk);
        if (problem) throw new WorkbenchError('INVALID_INPUT', `--grad-cache-chunk: ${problem.message}`);
      }
      const gradientCache = chunk !== undefined ? { chunkSize: chunk } : null;
      await withServices(globals, async (services, out) => {
        const base = benchTrainBase(method.data, encoder.data, opts);
        if (opts.engine !== undefined && opts.engine !== 'tfjs' && opts.engine !== 'pytorch') throw new WorkbenchError('INVALID_INPUT', `--engine must be tfjs or pytorch, not "${opts.engine}"`);
        if (opts.engine === 'pytorch') {
          if (gradientCache) throw new WorkbenchError('INVALID_INPUT', '--grad-cache-chunk applies to the tfjs engine only');
          if (opts.device !== undefined && !['auto', 'cpu', 'cuda'].includes(opts.device)) throw new WorkbenchError('INVALID_INPUT', `--device must be auto, cpu or cuda`);
          out.info(`benchmarking the PyTorch engine: ${method.data} / ${encoder.data}, batch ${opts.batchSize}, ${opts.imageSize} px: ${opts.warmup} warm-up + ${opts.steps} timed steps …`);
          const r = await benchPytorchTrain({
            ...base,
            ...(opts.device ? { device: opts.device as 'auto' | 'cpu' | 'cuda' } : {}),
          });
          const reply = { method: method.data, encoder: encoder.data, engine: 'pytorch', backend: r.backend, device: r.device, batchSize: opts.batchSize, imageSize: opts.imageSize, imagesPerSecond: r.imagesPerSecond, secondsPerStep: r.secondsPerStep, python: r.python };
          out.result(reply, (x) => `${x.method}/${x.encoder} on the PyTorch engine (${x.device}): ${x.imagesPerSecond.toFixed(1)} images/s (${x.secondsPerStep.toFixed(3)} s/step, data feed + augmentation + step)`);
          return;
        }
        out.info(`benchmarking ${method.data} / ${encoder.data}, batch ${opts.batchSize}, ${opts.imageSize} px${gradientCache ? `, gradient cache chunks of ${gradientCache.chunkSize} views` : ''}: ${opts.warmup} warm-up + ${opts.steps} timed steps …`);
        const r = await services.ctx.engine.call('benchTrain', {
          ...base,
          seed: 0,
          ...(opts.backend ? { backend: opts.backend } : {}),
          ...(gradientCache ? { gradientCache } : {}),
          ...(opts.wasmThreads === undefined ? {} : { wasmThreads: opts.wasmThreads }),
        });
        const reply = {
          method: method.data,
          encoder: encoder.data,
          backend: r.backend,
          threads: r.threads,
          ...(r.filterKernel ? { filterKernel: r.filterKernel } : {}),
          ...(r.inputKernel ? { inputKernel: r.inputKernel } : {}),
          ...(r.convKernel ? { convKernel: r.convKernel } : {}),
          batchSize: opts.batchSize,
          imageSize: opts.imageSize,
          imagesPerSecond: r.imagesPerSecond,
          peakRssMB: r.peakRssMB,
          secondsPerStep: r.secondsPerStep,
          viewsPerStep: r.viewsPerStep,
          gradientCache,
        };
        out.result(reply, (x) => `${x.method}/${x.encoder} on ${x.backend} (${x.threads} thread${x.threads === 1 ? '' : 's'}): ${x.imagesPerSecond.toFixed(1)} images/s (${x.viewsPerStep} views/step${x.gradientCache ? ` in chunks of ${x.gradientCache.chunkSize}` : ''}, ${x.secondsPerStep.toFixed(3)} s/step), peak RSS ${x.peakRssMB.toFixed(0)} MB`);
      });
    });

  bench
    .command('augment')
    .description('dataset images per second through an augmentation preset (all its views)')
    .requiredOption('--preset <name>', 'augmentation preset')
    .requiredOption('--batch-size <n>', 'images per batch', parseInteger)
    .requiredOption('--image-size <px>', 'image size', parseInteger)
    .option('--iterations <n>', 'timed batches', parseInteger, 5)
    .option('--backend <name>', 'compute backend')
    .action(async (opts: { preset: string; batchSize: number; imageSize: number; iterations: number; backend?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const r = await services.ctx.engine.call('benchAugment', {
          preset: opts.preset,
          batchSize: opts.batchSize,
          imageSize: opts.imageSize,
          iterations: opts.iterations,
          ...(opts.backend ? { backend: opts.backend } : {}),
        });
        out.result(r, (x) => `${x.preset} on ${x.backend}: ${x.imagesPerSecond.toFixed(0)} images/s (${x.viewsPerSecond.toFixed(0)} views/s), ${x.msPerBatch.toFixed(1)} ms per batch of ${x.batchSize}`);
      });
    });
}
