import type { Command } from 'commander';
import { withServices, type GlobalOptions } from '../context';

export function registerImportRun(program: Command): void {
  program
    .command('import-run <folder>')
    .description('bring a PyTorch project trained elsewhere (cwb export --format pytorch-project; its output/metrics.jsonl and encoder) into the workbench as a run')
    .action(async (folder: string, _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const reply = await services.runs.importRun(folder);
        out.result(reply, (r) => `run ${r.runId} (experiment ${r.experimentId}) imported ${r.status}: ${r.steps} steps, ${r.events} events`);
      });
    });
}
