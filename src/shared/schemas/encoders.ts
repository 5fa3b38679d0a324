import { z } from 'zod';
import { IdSchema } from './common';

export const EncoderRecordSchema = z.object({
  id: IdSchema,
  name: z.string(),
  path: z.string(),
  inputSize: z.number().int(),
  channels: z.number().int(),
  layout: z.enum(['NCHW', 'NHWC']),
  outputDim: z.number().int(),
  createdAt: z.string(),
});
export type EncoderRecord = z.infer<typeof EncoderRecordSchema>;

export const ImportEncoderRequestSchema = z.object({ file: z.string().min(1), name: z.string().min(1).max(200) }).strict();

export const EncoderKnnRequestSchema = z
  .object({ encoderId: IdSchema, datasetId: IdSchema, k: z.number().int().positive().default(200), temperature: z.number().positive().default(0.1) })
  .strict();
export const EncoderKnnReplySchema = z.object({ encoderId: IdSchema, datasetId: IdSchema, k: z.number().int(), accuracy: z.number() });
