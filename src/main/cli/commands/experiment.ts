import type { Command } from 'commander';
import type { ExperimentInput, ExperimentSummary } from '../../../shared/schemas/experiment';
import { withServices, type GlobalOptions } from '../context';
import { experimentFromOptions, experimentOptions, type ExperimentOptions } from './experiment-config';

function listText(experiments: ExperimentSummary[]): string {
  if (experiments.length === 0) return 'no experiments yet — save one with `cwb experiment save --config experiment.json`';
  const rows = experiments.map((e) => [String(e.id), e.name, e.method, String(e.datasetId), String(e.runs), e.createdAt]);
  const header = ['id', 'name', 'method', 'dataset', 'runs', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function registerExperiment(program: Command): void {
  const experiment = program.command('experiment').description('save experiments without running them, and list them');

  experimentOptions(
    experiment
      .command('save')
      .description('save an experiment without training it (checked against its dataset like cwb train), e.g. to export it with --format pytorch-project')
      .option('--name <name>', 'experiment name (default: "<method> on dataset <id>")'),
  ).action(async (opts: ExperimentOptions & { name?: string }, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    await withServices(globals, async (services, out) => {
      const config = await experimentFromOptions(services, opts, out);
      if (opts.name !== undefined) config['name'] = opts.name;
      const { id, warnings } = services.experiments.save(config as ExperimentInput);
      const name = services.ctx.store.experiments.get(id)?.name ?? '';
      if (!out.json) for (const w of warnings) out.info(`warning: ${w.field}: ${w.message}`);
      out.result({ experimentId: id, warnings }, () => `experiment ${id} saved: ${name}`);
      out.info(`export it for a cluster with: cwb export --experiment ${id} --format pytorch-project --out <dir>`);
    });
  });

  experiment
    .command('list')
    .description('list saved experiments with how many runs each has')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const experiments = services.experiments.list();
        out.result(out.json ? { experiments } : experiments, (e) => listText(e as ExperimentSummary[]));
      });
    });
}
