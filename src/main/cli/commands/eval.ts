import type { Command } from 'commander';
import { WorkbenchError } from '../../../shared/errors';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger, parseNumber } from './parse';

const BASELINES_HELP = 'also score the same protocol on the randomly initialised encoder and on raw pixels ({ baselines: { randomInit, rawPixels } } in --json; cached after the first time)';

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(2)} %`);
/** The references of a score, for the human-readable line. */
const against = (b: { randomInit: number | null; rawPixels: number | null } | null): string =>
  b ? `; random init ${pct(b.randomInit)}, raw pixels ${pct(b.rawPixels)}` : '';

export function registerEval(program: Command): void {
  const evaluate = program.command('eval').description('evaluate a run’s encoder on its dataset');
  evaluate
    .command('knn')
    .description('weighted kNN accuracy (Wu et al. 2018) of the validation split against the training split')
    .option('--run <id>', 'run id', parseInteger)
    .option('--encoder <id>', 'an imported encoder (cwb import-encoder) instead of a run', parseInteger)
    .option('--dataset <id>', 'with --encoder: the dataset to evaluate on', parseInteger)
    .option('--k <n>', 'neighbours', parseInteger, 200)
    .option('--temperature <t>', 'similarity temperature', parseNumber, 0.1)
    .option('--backend <name>', 'compute backend')
    .option('--baselines', BASELINES_HELP)
    .action(async (opts: { run?: number; encoder?: number; dataset?: number; k: number; temperature: number; backend?: string; baselines?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      if (opts.encoder !== undefined) {
        if (opts.dataset === undefined) throw new WorkbenchError('INVALID_INPUT', '--encoder needs --dataset <id>');
        const encoderId = opts.encoder;
        const datasetId = opts.dataset;
        await withServices(globals, async (services, out) => {
          const reply = await services.encoders.evalKnn(encoderId, datasetId, opts.k, opts.temperature);
          out.result(reply, (r) => `encoder ${r.encoderId} on dataset ${r.datasetId}: kNN accuracy ${(100 * r.accuracy).toFixed(2)} % (k = ${r.k})`);
        });
        return;
      }
      if (opts.run === undefined) throw new WorkbenchError('INVALID_INPUT', 'give --run <id> (or --encoder <id> --dataset <id>)');
      const runId = opts.run;
      await withServices(globals, async (services, out) => {
        // The references are the run chart's, at the experiment's k: with another --k they are not this score's.
        const b = opts.baselines ? await services.baselines.forRun(runId) : null;
        if (b && b.k !== opts.k) throw new WorkbenchError('INVALID_INPUT', `--baselines are computed at the experiment's k = ${b.k}; give --k ${b.k} (or leave out --baselines)`);
        const reply = await services.runs.evalKnn(runId, opts.k, opts.temperature, opts.backend);
        const baselines = b && { randomInit: b.randomInit, rawPixels: b.rawPixels };
        out.result({ ...reply, ...(baselines && { baselines }) }, (r) => `run ${r.runId}: kNN accuracy ${(100 * r.accuracy).toFixed(2)} % (k = ${r.k})${against(baselines)}`);
      });
    });

  evaluate
    .command('linear')
    .description('linear probe: logistic regression on the frozen features, validation accuracy')
    .requiredOption('--run <id>', 'run id', parseInteger)
    .option('--epochs <n>', 'epochs of the probe', parseInteger, 100)
    .option('--backend <name>', 'compute backend')
    .option('--baselines', BASELINES_HELP)
    .action(async (opts: { run: number; epochs: number; backend?: string; baselines?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const reply = await services.runs.evalLinear(opts.run, opts.epochs, opts.backend);
        const baselines = opts.baselines ? await services.baselines.forEvaluation(opts.run, { protocol: 'linear', epochs: opts.epochs, backend: opts.backend }) : null;
        out.result({ ...reply, ...(baselines && { baselines }) }, (r) => `run ${r.runId}: linear-probe accuracy ${(100 * r.accuracy).toFixed(2)} % (train ${(100 * r.trainAccuracy).toFixed(2)} %)${against(baselines)}`);
      });
    });

  evaluate
    .command('finetune')
    .description('fine-tune encoder + linear head on a class-balanced fraction of the training labels, validation accuracy')
    .requiredOption('--run <id>', 'run id', parseInteger)
    .option('--label-fraction <f>', 'fraction of each class’s training labels (e.g. 0.01, 0.1, 1)', parseNumber, 0.1)
    .option('--epochs <n>', 'fine-tuning epochs', parseInteger, 10)
    .option('--backend <name>', 'compute backend')
    .option('--baselines', BASELINES_HELP)
    .action(async (opts: { run: number; labelFraction: number; epochs: number; backend?: string; baselines?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const reply = await services.runs.evalFinetune(opts.run, opts.labelFraction, opts.epochs, opts.backend);
        const baselines = opts.baselines
          ? await services.baselines.forEvaluation(opts.run, { protocol: 'finetune', epochs: opts.epochs, labelFraction: opts.labelFraction, backend: opts.backend })
          : null;
        out.result(
          { runId: reply.runId, labelFraction: reply.labelFraction, accuracy: reply.accuracy, ...(baselines && { baselines }) },
          (r) => `run ${r.runId}: fine-tune accuracy ${(100 * r.accuracy).toFixed(2)} % with ${(100 * r.labelFraction).toFixed(1)} % of the labels (${reply.trainImages} images)${against(baselines)}`,
        );
      });
    });
}
