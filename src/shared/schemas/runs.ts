import { z } from 'zod';
import { IdSchema } from './common';

export const RunStatusSchema = z.enum(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunProgressEventSchema = z.object({
  runId: IdSchema,
  step: z.number().int(),
  epoch: z.number(),
  loss: z.number(),
  learningRate: z.number(),
  imagesPerSecond: z.number(),
  etaSeconds: z.number(),
  stepsPerEpoch: z.number().int(),
  /** Steps of the whole run (epochs × steps per epoch). */
  totalSteps: z.number().int().optional(),
});
export type RunProgressEvent = z.infer<typeof RunProgressEventSchema>;

export const RunEpochEventSchema = z.object({
  runId: IdSchema,
  epoch: z.number().int(),
  step: z.number().int(),
  knnAccuracy: z.number().nullable(),
  meanLoss: z.number().nullable(),
  /** Wang & Isola 2020 alignment and uniformity, when measured. */
  alignment: z.number().nullable().optional(),
  uniformity: z.number().nullable().optional(),
});
export type RunEpochEvent = z.infer<typeof RunEpochEventSchema>;

export const RunStateEventSchema = z.object({
  runId: IdSchema,
  status: RunStatusSchema,
  error: z.string().optional(),
});
export type RunStateEvent = z.infer<typeof RunStateEventSchema>;

export const RunSchema = z.object({
  id: IdSchema,
  experimentId: IdSchema,
  experimentName: z.string(),
  method: z.string(),
  datasetId: z.number().int().nullable(),
  status: RunStatusSchema,
  backend: z.string().nullable(),
  device: z.string().nullable(),
  backendReason: z.string().nullable(),
  error: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  /** The experiment the run trains (as validated by ExperimentSchema). */
  experiment: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** The researcher's own name for the run (null: its experiment's name), tags and note. */
  name: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type Run = z.infer<typeof RunSchema>;

export const RunRefSchema = z.object({ runId: IdSchema }).strict();

export const MetricSeriesRequestSchema = z
  .object({ runId: IdSchema, names: z.array(z.string().min(1)).max(20).default(['loss', 'learning_rate', 'images_per_second', 'knn_accuracy']) })
  .strict();
export const MetricSeriesSchema = z.record(
  z.string(),
  z.array(z.object({ step: z.number(), epoch: z.number(), value: z.number(), /** Seconds since the Unix epoch, when logged (schema v7+). */ wallTime: z.number().nullable().optional() })),
);
