/** The `cwb` command line (contract in ARCHITECTURE.md). Commands register as their features land. */
import { Command } from 'commander';
import { appVersion } from '../version';
import { registerDataset } from './commands/dataset';
import { registerDoctor } from './commands/doctor';
import { registerBench } from './commands/bench';
import { registerEval } from './commands/eval';
import { registerExperiment } from './commands/experiment';
import { registerExport } from './commands/export';
import { registerImportEncoder } from './commands/import-encoder';
import { registerImportRun } from './commands/import-run';
import { registerPreview } from './commands/preview';
import { registerRuns } from './commands/runs';
import { registerServe } from './commands/serve';
import { registerTrain } from './commands/train';
import { registerSweep } from './commands/sweep';

export function buildProgram(): Command {
  const program = new Command('cwb')
    .description('Contrastive Workbench — contrastive self-supervised learning on your own image folders')
    .version(appVersion())
    .option('--home <dir>', 'workspace folder (default: $CWB_HOME or the OS app-data folder)')
    .option('--json', 'print exactly one JSON object on stdout; progress goes to stderr')
    .option('--verbose', "also print native libraries' own diagnostics (Dawn, Vulkan drivers) on stderr")
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_program, action) => {
      // The engine worker (and its probes) read it from the environment.
      if (action.optsWithGlobals<{ verbose?: boolean }>().verbose) process.env['CWB_VERBOSE'] = '1';
    });
  registerDoctor(program);
  registerDataset(program);
  registerExperiment(program);
  registerTrain(program);
  registerRuns(program);
  registerEval(program);
  registerExport(program);
  registerImportEncoder(program);
  registerImportRun(program);
  registerPreview(program);
  registerServe(program);
  registerBench(program);
  registerSweep(program);
  return program;
}
