import { z } from 'zod';
import { AugmentSpec } from './augment';
import { IdSchema } from './common';

export const PreviewRequestSchema = z
  .object({
    datasetId: IdSchema,
    /** A preset name from resources/presets/augment, or a full spec. */
    augment: z.union([z.string().min(1), AugmentSpec]),
    seed: z.number().int().min(0).default(0),
    pairs: z.number().int().min(1).max(32).default(6),
    stepByStep: z.boolean().default(false),
  })
  .strict();
export type PreviewRequest = z.input<typeof PreviewRequestSchema>;

/** PNGs travel as data: URLs so the same reply works over IPC, WebSocket and in <img>. */
export const PreviewReplySchema = z.object({
  previewId: IdSchema,
  grid: z.string(),
  viewNames: z.array(z.string()),
  /** Side in pixels of each column's images, so local crops can be drawn at their true relative size. */
  viewSizes: z.array(z.number().int()).optional(),
  items: z.array(
    z.object({
      original: z.string(),
      views: z.array(z.string()),
      steps: z.array(z.object({ view: z.number().int(), op: z.string(), params: z.unknown(), png: z.string() })).optional(),
    }),
  ),
  params: z.array(z.unknown()),
});
export type PreviewReply = z.infer<typeof PreviewReplySchema>;

export const PreviewSummarySchema = z.object({
  id: IdSchema,
  datasetId: z.number().int().nullable(),
  runId: z.number().int().nullable(),
  kind: z.string(),
  seed: z.number().int(),
  createdAt: z.string(),
  grid: z.string(),
});

export const PresetsSchema = z.object({
  /** `user`: saved from the tuner into this workspace (else built in). */
  augment: z.array(z.object({ name: z.string(), spec: z.unknown(), user: z.boolean().optional() })),
  /** `knobs`: one-line explanation per hyper-parameter (paper default, what raising or lowering does). */
  methods: z.array(z.object({ name: z.string(), config: z.unknown(), knobs: z.record(z.string(), z.string()).optional() })),
  /** Per augmentation op: one-line explanation and paper default of each parameter. */
  augmentKnobs: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});

export const SavePresetRequestSchema = z
  .object({ name: z.string().min(1).max(64), spec: AugmentSpec, overwrite: z.boolean().default(false) })
  .strict();
