import { z } from 'zod';
import { IdSchema } from './common';

export const PrototypeSummarySchema = z.object({
  runId: IdSchema,
  /** Number of prototypes of the run's SwAV config. */
  prototypes: z.number().int().nonnegative(),
  epochs: z.array(z.number().int()),
  /** Images per prototype, one array per epoch (index = prototype). */
  usage: z.array(z.object({ epoch: z.number().int(), counts: z.array(z.number().int()) })),
  /** Mean assignment (code) entropy in nats per epoch. */
  entropy: z.array(z.object({ epoch: z.number().int(), entropy: z.number() })),
  /** Prototype × class counts of the last epoch (rows = prototypes, columns = classes). */
  classes: z.array(z.string()),
  heatmap: z.array(z.array(z.number().int())),
});
export type PrototypeSummary = z.infer<typeof PrototypeSummarySchema>;

export const PrototypeGalleryRequestSchema = z
  .object({ runId: IdSchema, epoch: z.number().int().nonnegative(), prototype: z.number().int().nonnegative(), limit: z.number().int().positive().max(200).default(48) })
  .strict();

export const ThumbnailsRequestSchema = z.object({ imageIds: z.array(IdSchema).max(500), side: z.number().int().min(16).max(256).default(64) }).strict();
export const ThumbnailsSchema = z.array(z.object({ imageId: IdSchema, url: z.string() }));
