import { z } from 'zod';
import { IdSchema } from './common';

export const EXPORT_FORMATS = ['tfjs', 'onnx', 'embeddings', 'pytorch-project', 'safetensors'] as const;

/** Formats that need only an experiment (no trained weights); the others export a run's checkpoint. */
export const EXPERIMENT_EXPORT_FORMATS = ['pytorch-project'] as const satisfies readonly (typeof EXPORT_FORMATS)[number][];

/** Exactly one of `runId` (every format) and `experimentId` (only the formats that retrain it). */
export const ExportRequestSchema = z
  .object({
    runId: IdSchema.optional(),
    experimentId: IdSchema.optional(),
    format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
    outDir: z.string().min(1, 'an output folder is required'),
    /** Replace a non-empty output folder. */
    force: z.boolean().default(false),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.runId !== undefined && r.experimentId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['experimentId'], message: 'give a run or an experiment, not both' });
    } else if (r.runId === undefined && r.experimentId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['runId'], message: 'a run (runId) or, for pytorch-project, an experiment (experimentId) is required' });
    } else if (r.experimentId !== undefined && !(EXPERIMENT_EXPORT_FORMATS as readonly string[]).includes(r.format)) {
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: `${r.format} exports a trained encoder and needs a run (runId); only ${EXPERIMENT_EXPORT_FORMATS.join(', ')} can be exported from an experiment`,
      });
    }
  });
export type ExportRequest = z.input<typeof ExportRequestSchema>;

/** Also what `cwb export --json` prints. */
export const ExportReplySchema = z.object({
  /** null when an experiment was exported without a run (pytorch-project). */
  runId: IdSchema.nullable(),
  experimentId: IdSchema,
  format: z.enum(EXPORT_FORMATS),
  outDir: z.string(),
  files: z.array(z.string()),
  exportId: IdSchema,
  maxAbsDiff: z.number().nullable(),
});
export type ExportReply = z.infer<typeof ExportReplySchema>;

export const ExportRecordSchema = z.object({
  id: IdSchema,
  runId: z.number().int().nullable(),
  experimentId: z.number().int().nullable(),
  format: z.string(),
  outDir: z.string(),
  files: z.array(z.string()),
  createdAt: z.string(),
});
