import type { Command } from 'commander';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger, parseNumber } from './parse';

export function registerEval(program: Command): void {
  const evaluate = program.command('eval').description('evaluate a run’s encoder on its dataset');
  evaluate
    .command('knn')
    .description('weighted kNN accuracy (Wu et al. 2018) of the validation split against the training split')
    .requiredOption('--run <id>', 'run id', parseInteger)
    .option('--k <n>', 'neighbours', parseInteger, 200)
    .option('--temperature <t>', 'similarity temperature', parseNumber, 0.1)
    .option('--backend <name>', 'compute backend')
    .action(async (opts: { run: number; k: number; temperature: number; backend?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const reply = await services.runs.evalKnn(opts.run, opts.k, opts.temperature, opts.backend);
        out.result(reply, (r) => `run ${r.runId}: kNN accuracy ${(100 * r.accuracy).toFixed(2)} % (k = ${r.k})`);
      });
    });
}
