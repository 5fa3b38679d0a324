/** `cwb runs list | show | metrics`: read runs and take their metrics elsewhere (issue 17 §3). */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { WorkbenchError } from '../../../shared/errors';
import { MetricsFormatSchema } from '../../../shared/schemas/run-records';
import type { Run } from '../../../shared/schemas/runs';
import { parseOrThrow } from '../../../shared/validate';
import { writeFileAtomicSync } from '../../files/atomic-file';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger } from './parse';

const num = (v: unknown, digits: number): string => (typeof v === 'number' ? v.toFixed(digits) : '');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function listText(runs: Run[]): string {
  if (runs.length === 0) return 'no runs yet — start one with `cwb train --dataset <id> --method simclr`';
  return table(
    ['id', 'name', 'method', 'status', 'dataset', 'steps', 'final loss', 'kNN %', 'created'],
    runs.map((r) => [String(r.id), r.name ?? r.experimentName, r.method, r.status, String(r.datasetId ?? ''), String(r.summary['steps'] ?? ''), num(r.summary['finalLoss'], 4), typeof r.summary['knnAccuracy'] === 'number' ? (100 * r.summary['knnAccuracy']).toFixed(2) : '', r.createdAt]),
  );
}

function showText(run: Run & { checkpoints: number; metrics: string[] }): string {
  const lines = [
    `run ${run.id}: ${run.name ?? run.experimentName} (${run.method}, ${run.status})`,
    `experiment ${run.experimentId} on dataset ${run.datasetId ?? '?'}; backend ${run.backend ?? '?'}${run.device ? ` (${run.device})` : ''}`,
    `created ${run.createdAt}; started ${run.startedAt ?? '-'}; finished ${run.finishedAt ?? '-'}`,
  ];
  if (run.tags?.length) lines.push(`tags: ${run.tags.join(', ')}`);
  if (run.note) lines.push(`note: ${run.note}`);
  if (run.error) lines.push(`error: ${run.error}`);
  lines.push(`checkpoints: ${run.checkpoints}; metrics: ${run.metrics.join(', ') || 'none yet'}`);
  lines.push(`summary: ${JSON.stringify(run.summary)}`);
  if (run.experiment) lines.push(`experiment: ${JSON.stringify(run.experiment)}`);
  return lines.join('\n');
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('list and inspect runs, and export their metrics (CSV, JSON, TensorBoard)');

  runs
    .command('list')
    .description('every run with its status and results')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const list = services.runs.list().map((r) => services.runs.describe(r));
        out.result(out.json ? { runs: list } : list, (l) => listText(l as Run[]));
      });
    });

  runs
    .command('show')
    .description('one run: its experiment, backend, summary, checkpoints and metric names')
    .requiredOption('--run <id>', 'run id', parseInteger)
    .action(async (opts: { run: number }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const run = services.runs.describe(services.runs.get(opts.run));
        const reply = { ...run, checkpoints: services.ctx.store.checkpoints.list(opts.run).length, metrics: services.ctx.store.metrics.names(opts.run) };
        out.result(reply, showText);
      });
    });

  runs
    .command('metrics')
    .description('a run’s metrics: csv (step,epoch,name,value,wall_time) or json to stdout, or any format into --out <dir> (tensorboard: an event file TensorBoard reads)')
    .requiredOption('--run <id>', 'run id', parseInteger)
    .requiredOption('--format <format>', 'csv | json | tensorboard')
    .option('--out <dir>', 'folder to write the file into (created if needed); required for tensorboard')
    .action(async (opts: { run: number; format: string; out?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const format = parseOrThrow(MetricsFormatSchema, opts.format, 'format');
      if (opts.out === undefined && format === 'tensorboard') throw new WorkbenchError('INVALID_INPUT', '--format tensorboard writes an event file: give --out <dir>');
      if (opts.out === undefined && format === 'csv' && globals.json) throw new WorkbenchError('INVALID_INPUT', '--format csv prints CSV, not JSON: drop --json or give --out <dir>');
      await withServices(globals, async (services, out) => {
        const file = services.runRecords.metricsFile(opts.run, format);
        if (opts.out === undefined) {
          process.stdout.write(file.bytes);
          return;
        }
        const dir = resolve(opts.out);
        mkdirSync(dir, { recursive: true });
        const path = join(dir, file.fileName);
        writeFileAtomicSync(path, file.bytes);
        out.result({ runId: opts.run, format, file: path, bytes: file.bytes.length }, (r) => `wrote ${r.file} (${r.bytes} bytes)${format === 'tensorboard' ? `\nview it with: tensorboard --logdir ${dir}` : ''}`);
      });
    });
}
