import type { Command } from 'commander';
import type { Dataset, ImportDatasetReply, ImportProgressEvent } from '../../../shared/schemas/datasets';
import { parseOrThrow } from '../../../shared/validate';
import { ImportDatasetRequestSchema } from '../../../shared/schemas/datasets';
import { toErrorShape, WorkbenchError } from '../../../shared/errors';
import { refuseHomeInside, withServices, type GlobalOptions } from '../context';
import { parseInteger, parseNumber } from './parse';

function listText(datasets: Dataset[]): string {
  if (datasets.length === 0) return 'no datasets yet — import one with `cwb dataset import <dir>`';
  return datasets
    .map((d) => `${String(d.id).padStart(4)}  ${d.name}  ${d.numImages} images, ${d.classes.length} classes, ${d.imageSize}px ×${d.channels}  ${d.rootPath}`)
    .join('\n');
}

function importText(reply: ImportDatasetReply): string {
  const lines = [`dataset ${reply.datasetId}: imported ${reply.imported} images, skipped ${reply.skipped.length}`];
  for (const s of reply.skipped.slice(0, 20)) lines.push(`  skipped ${s.path}: ${s.reason}`);
  if (reply.skipped.length > 20) lines.push(`  … and ${reply.skipped.length - 20} more (see --json)`);
  lines.push(...duplicatesText(reply.duplicates));
  return lines.join('\n');
}

/** Exact duplicates: the count, then each listed set (kept file ← its copies), capped like --json. */
function duplicatesText(report: ImportDatasetReply['duplicates']): string[] {
  if (report.files === 0) return ['exact duplicates: none'];
  const lines = [
    `exact duplicates: ${report.files} file(s) in ${report.groups} set(s) of identical files; the first of each set (in path order) is kept, copies are not trained on`,
  ];
  for (const group of report.shown) {
    const more = group.count - group.copies.length;
    lines.push(`  ${group.kept} = ${group.copies.join(', ')}${more > 0 ? ` … and ${more} more` : ''}`);
    if (group.conflictingLabels.length > 0)
      lines.push(`    labels disagree: ${group.conflictingLabels.map((l) => l ?? 'unlabelled').join(' / ')} (the kept file's label is used)`);
  }
  if (report.groups > report.shown.length) lines.push(`  … and ${report.groups - report.shown.length} more set(s)`);
  return lines;
}

/**
 * An import refused because every file was rejected: each file and its reason before the one error
 * line (stderr), and with --json the usual reply shape on stdout, `datasetId: null` plus the error.
 */
function reportRejected(err: unknown, json: boolean): void {
  if (!(err instanceof WorkbenchError)) return;
  const skipped = (err.details as { skipped?: ImportDatasetReply['skipped'] } | undefined)?.skipped;
  if (!skipped) return;
  if (json) {
    process.stdout.write(`${JSON.stringify({ datasetId: null, imported: 0, skipped, error: toErrorShape(err) })}\n`);
    return;
  }
  for (const s of skipped.slice(0, 20)) process.stderr.write(`  skipped ${s.path}: ${s.reason}\n`);
  if (skipped.length > 20) process.stderr.write(`  … and ${skipped.length - 20} more (see --json)\n`);
}

export function registerDataset(program: Command): void {
  const dataset = program.command('dataset').description('import and list image datasets');

  dataset
    .command('import <dir>')
    .description('import an image folder (read-only); class sub-folders become labels')
    .option('--name <name>', 'dataset name (default: the folder name)')
    .option('--labels <file>', 'CSV of path,label pairs instead of sub-folder labels')
    .option('--size <pixels>', 'square size images are decoded to', parseInteger)
    .option('--val-fraction <f>', 'fraction of images held out for validation', parseNumber)
    .option('--seed <n>', 'seed of the train/validation split', parseInteger)
    .option('--groups <layout>', "'sequences': each folder is a clip of ordered frames; 'views': each folder is a multi-view group")
    .option('--limit <n>', 'standard formats (IDX, CIFAR-10): a seeded random subset of at most n images per split', parseInteger)
    .action(async (dir: string, opts: { name?: string; labels?: string; size?: number; valFraction?: number; seed?: number; limit?: number; groups?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const request = parseOrThrow(
        ImportDatasetRequestSchema,
        {
          dir,
          ...(opts.name !== undefined && { name: opts.name }),
          ...(opts.labels !== undefined && { labelsCsv: opts.labels }),
          ...(opts.size !== undefined && { size: opts.size }),
          ...(opts.valFraction !== undefined && { valFraction: opts.valFraction }),
          ...(opts.seed !== undefined && { seed: opts.seed }),
          ...(opts.limit !== undefined && { limit: opts.limit }),
          ...(opts.groups !== undefined && { groups: opts.groups }),
        },
        'dataset import options',
      );
      refuseHomeInside(globals, dir);
      await withServices(globals, async (services, out) => {
        services.ctx.emit = (channel, payload) => {
          if (channel !== 'datasets:import-progress') return;
          const p = payload as ImportProgressEvent;
          out.progress(p.phase, p.done, p.total);
        };
        try {
          out.result(await services.datasets.import(request), importText);
        } catch (err) {
          reportRejected(err, out.json);
          throw err;
        }
      });
    });

  dataset
    .command('demo')
    .description('generate and import the demo dataset (256 colour shapes in 4 classes) into the workspace')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        out.result(await services.datasets.importDemo(), importText);
      });
    });

  dataset
    .command('list')
    .description('list imported datasets')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const datasets = services.datasets.list();
        out.result(out.json ? { datasets } : datasets, (d) => listText(d as Dataset[]));
      });
    });
}
