import type { Command } from 'commander';
import { WorkbenchError } from '../../../shared/errors';
import type { Experiment } from '../../../shared/schemas/experiment';
import type { ExperimentWarning } from '../../../shared/schemas/experiment-warnings';
import type { TrainResult } from '../../engine/protocol';
import { refuseHomeInside, withServices, type GlobalOptions } from '../context';
import { experimentFromOptions, experimentOptions, type ExperimentOptions } from './experiment-config';
import { parseInteger } from './parse';

interface TrainOptions extends ExperimentOptions {
  backend?: string;
  device?: string;
  resume?: number;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
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
  experimentOptions(
    program.command('train').description('train an encoder with a contrastive method (Ctrl-C stops with a resumable checkpoint)'),
  )
    .option('--backend <name>', 'tensorflow | webgpu | wasm | cpu (default: best available)')
    .option('--device <name>', 'PyTorch engine: auto (default: CUDA when there is one) | cpu | cuda')
    .option('--resume <runId>', 'continue a paused, cancelled or interrupted run', parseInteger)
    .action(async (opts: TrainOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      if (opts.dataset !== undefined && !/^\d+$/.test(opts.dataset.trim())) refuseHomeInside(globals, opts.dataset);
      await withServices(globals, async (services, out) => {
        let started: { runId: number; done: Promise<TrainResult> };
        let warnings: ExperimentWarning[];
        const listener = {
          started: (e: { backend: string; device: string | null; stepsPerEpoch: number; resumedAtStep: number }) =>
            out.info(`training on ${e.backend}${e.device ? ` (${e.device})` : ''}: ${e.stepsPerEpoch} steps per epoch${e.resumedAtStep ? `, resuming after step ${e.resumedAtStep}` : ''}`),
          step: (e: { step: number; epoch: number; loss: number; imagesPerSecond: number; etaSeconds: number }) =>
            out.live(`epoch ${e.epoch.toFixed(2)}  step ${e.step}  loss ${e.loss.toFixed(4)}  ${e.imagesPerSecond.toFixed(0)} img/s  ETA ${duration(e.etaSeconds)}`),
          epoch: (e: { epoch: number; knnAccuracy: number | null; meanLoss: number | null }) =>
            out.info(`epoch ${e.epoch}: ${e.meanLoss !== null ? `mean loss ${e.meanLoss.toFixed(4)}` : 'not trained'}${e.knnAccuracy !== null ? `, kNN accuracy ${(100 * e.knnAccuracy).toFixed(2)} %` : ''}`),
        };
        if (opts.device !== undefined && !['auto', 'cpu', 'cuda'].includes(opts.device)) {
          throw new WorkbenchError('INVALID_INPUT', `--device must be auto, cpu or cuda, not "${opts.device}"`);
        }
        const device = opts.device as 'auto' | 'cpu' | 'cuda' | undefined;
        const run = { ...(opts.backend ? { backend: opts.backend } : {}), ...(device ? { device } : {}), listener };
        if (opts.resume !== undefined) {
          started = services.runs.resume(opts.resume, run);
          warnings = services.experiments.warnings(services.experiments.get(services.runs.get(opts.resume).experiment_id));
        } else {
          const config = await experimentFromOptions(services, opts, out);
          const { id, experiment } = services.experiments.create(config as Experiment);
          warnings = services.experiments.warnings(experiment);
          for (const w of warnings) out.info(`warning: ${w.field}: ${w.message}`);
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
          out.result({ ...summary(result), warnings }, human);
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
