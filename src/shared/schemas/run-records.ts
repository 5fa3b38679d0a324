/**
 * Runs as records a researcher keeps and takes elsewhere (issue 17): metric files (CSV, JSON,
 * TensorBoard event file), a run's own name, tags and note, and deleting a run.
 */
import { z } from 'zod';
import { IdSchema } from './common';

export const METRICS_FORMATS = ['csv', 'json', 'tensorboard'] as const;
export const MetricsFormatSchema = z.enum(METRICS_FORMATS, { error: `format must be one of ${METRICS_FORMATS.join(', ')}` });
export type MetricsFormat = z.infer<typeof MetricsFormatSchema>;

export const MetricsFileRequestSchema = z.strictObject({ runId: IdSchema, format: MetricsFormatSchema });

/** One file to save: its name, MIME type and bytes (base64, so it crosses IPC and WebSocket as text). */
export const MetricsFileSchema = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() });
export type MetricsFile = z.infer<typeof MetricsFileSchema>;

export const AnnotateRunRequestSchema = z.strictObject({
  runId: IdSchema,
  /** '' or null gives the run back its experiment's name. */
  name: z.string().max(200, { error: 'name must be at most 200 characters' }).nullable().optional(),
  tags: z.array(z.string().trim().min(1, { error: 'a tag cannot be empty' }).max(40, { error: 'a tag must be at most 40 characters' })).max(20, { error: 'at most 20 tags' }).optional(),
  note: z.string().max(10_000, { error: 'note must be at most 10000 characters' }).optional(),
});
export type AnnotateRunRequest = z.infer<typeof AnnotateRunRequestSchema>;

export const DeleteRunReplySchema = z.object({ runId: IdSchema, checkpointsRemoved: z.number().int() });

/**
 * Reference lines of a run's kNN chart (issue 17 §2): chance (1 / classes), the randomly initialised
 * encoder and raw pixels, each kNN accuracy on the validation split with the run's k; null when the
 * dataset has no labels or validation split.
 */
export const RunBaselinesSchema = z.object({
  runId: IdSchema,
  classes: z.number().int(),
  chance: z.number().nullable(),
  randomInit: z.number().nullable(),
  rawPixels: z.number().nullable(),
  /** What the random-init line is cached by: the encoder name and width. */
  encoder: z.string(),
  k: z.number().int(),
});
export type RunBaselines = z.infer<typeof RunBaselinesSchema>;
