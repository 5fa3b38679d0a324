import type { Command } from 'commander';
import { ExportRequestSchema } from '../../../shared/schemas/exports';
import { parseOrThrow } from '../../../shared/validate';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger } from './parse';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export a run’s encoder: tfjs LayersModel, ONNX (verified with onnxruntime) or the dataset’s embeddings; or a PyTorch DDP project that retrains a run’s experiment, or an experiment not run yet (pytorch-project)',
    )
    .option('--run <id>', 'run id (every format)', parseInteger)
    .option('--experiment <id>', 'experiment id, without a run (pytorch-project only)', parseInteger)
    .requiredOption('--format <format>', 'tfjs | onnx | embeddings | pytorch-project | safetensors (encoder weights keyed like the PyTorch project\'s model, for train.py --init-from)')
    .requiredOption('--out <dir>', 'output folder (must be empty or absent)')
    .option('--force', 'replace a non-empty output folder')
    .action(async (opts: { run?: number; experiment?: number; format: string; out: string; force?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const request = parseOrThrow(
        ExportRequestSchema,
        {
          ...(opts.run !== undefined ? { runId: opts.run } : {}),
          ...(opts.experiment !== undefined ? { experimentId: opts.experiment } : {}),
          format: opts.format,
          outDir: opts.out,
          force: Boolean(opts.force),
        },
        'export options',
      );
      await withServices(globals, async (services, out) => {
        out.info(`exporting ${request.runId !== undefined ? `run ${request.runId}` : `experiment ${request.experimentId}`} as ${request.format} …`);
        const reply = await services.exports.create(request);
        out.result(
          {
            runId: reply.runId,
            experimentId: reply.experimentId,
            format: reply.format,
            outDir: reply.outDir,
            files: reply.files,
            ...(reply.maxAbsDiff !== null ? { maxAbsDiff: reply.maxAbsDiff } : {}),
          },
          (r) => [`wrote ${r.files.length} files to ${r.outDir}`, ...r.files.map((f) => `  ${f}`), ...(reply.maxAbsDiff !== null ? [`onnxruntime vs tfjs: max |Δ| = ${reply.maxAbsDiff.toExponential(2)}`] : [])].join('\n'),
        );
      });
    });
}
