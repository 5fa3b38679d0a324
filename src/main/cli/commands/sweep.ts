/** `cwb sweep --config sweep.json`: run every point of a sweep (grid or seeded random), then print the results table. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import type { SweepRecord } from '../../../shared/schemas/sweep';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger } from './parse';

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(2)} %`);

function table(record: SweepRecord): string {
  const header = ['#', ...record.fields, 'run', 'status', 'final loss', 'best kNN (epoch)'];
  const rows = record.runs.map((r) => [
    String(r.index + 1),
    ...record.fields.map((f) => String(r.settings[f])),
    r.runId === null ? '—' : String(r.runId),
    r.status,
    r.finalLoss === null ? '—' : r.finalLoss.toFixed(4),
    r.bestKnnAccuracy === null ? '—' : `${pct(r.bestKnnAccuracy)} (${String(r.bestEpoch)})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  const best = record.best
    ? `best: run ${String(record.best.runId)} ${JSON.stringify(record.best.settings)}, kNN ${pct(record.best.bestKnnAccuracy)}`
    : 'best: none (no run has a kNN accuracy)';
  return [
    `sweep ${record.sweepId} ${record.status}: ${record.runs.length} runs`,
    line(header),
    ...rows.map(line),
    best,
  ].join('\n');
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description(
      'train one run per setting of the named fields (grid or seeded random) and compare best-epoch kNN',
    )
    .requiredOption(
      '--config <file>',
      'sweep JSON: { experiment, fields: { name: [values] }, search?, samples?, seed? }',
    )
    .option('--dataset <id>', 'train on this dataset instead of experiment.datasetId (e.g. for a bundled sweep)', parseInteger)
    .option('--backend <name>', 'tensorflow | webgpu | wasm | cpu (default: best available)')
    .action(async (opts: { config: string; dataset?: number; backend?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      let input: unknown;
      try {
        input = JSON.parse(readFileSync(resolve(opts.config), 'utf8'));
      } catch (err) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `--config: cannot read ${opts.config}: ${(err as Error).message}`,
        );
      }
      if (opts.dataset !== undefined && typeof input === 'object' && input !== null) {
        const sweep = input as { experiment?: unknown };
        const experiment = typeof sweep.experiment === 'object' && sweep.experiment !== null ? sweep.experiment : {};
        input = { ...sweep, experiment: { ...experiment, datasetId: opts.dataset } };
      }
      await withServices(globals, async (services, out) => {
        const { sweepId, done } = services.sweeps.start(input, {
          ...(opts.backend ? { backend: opts.backend } : {}),
          listener: {
            started: (e) =>
              out.info(`sweep ${sweepId}: run on ${e.backend}, ${e.stepsPerEpoch} steps per epoch`),
            epoch: (e) =>
              out.info(
                `  epoch ${e.epoch}${e.knnAccuracy !== null ? `: kNN ${pct(e.knnAccuracy)}` : ''}`,
              ),
          },
        });
        const record = await done;
        out.result(
          {
            sweepId: record.sweepId,
            name: record.name,
            search: record.search,
            fields: record.fields,
            status: record.status,
            runs: record.runs,
            best: record.best,
          },
          () => table(record),
        );
        if (record.status === 'failed') process.exitCode = 1;
      });
    });
}
