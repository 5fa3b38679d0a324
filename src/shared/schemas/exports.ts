import { z } from 'zod';
import { IdSchema } from './common';

export const EXPORT_FORMATS = ['tfjs', 'onnx', 'embeddings', 'pytorch-project'] as const;

export const ExportRequestSchema = z
  .object({
    runId: IdSchema,
    format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
    outDir: z.string().min(1, 'an output folder is required'),
    /** Replace a non-empty output folder. */
    force: z.boolean().default(false),
  })
  .strict();
export type ExportRequest = z.input<typeof ExportRequestSchema>;

/** Also what `cwb export --json` prints. */
export const ExportReplySchema = z.object({
  runId: IdSchema,
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
  format: z.string(),
  outDir: z.string(),
  files: z.array(z.string()),
  createdAt: z.string(),
});
