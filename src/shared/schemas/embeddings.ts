import { z } from 'zod';
import { IdSchema } from './common';

export const ProjectRequestSchema = z
  .object({
    runId: IdSchema,
    algorithm: z.enum(['pca', 'umap']).default('pca'),
    /** At most this many images (a seeded sample of the dataset). */
    limit: z.number().int().min(3).max(10_000).default(1000),
  })
  .strict();

export const ProjectionSchema = z.object({
  projectionId: IdSchema,
  runId: IdSchema,
  algorithm: z.enum(['pca', 'umap']),
  dim: z.number().int(),
  points: z.array(z.object({ imageId: IdSchema, x: z.number(), y: z.number(), label: z.string().nullable(), split: z.enum(['train', 'val']) })),
});
export type Projection = z.infer<typeof ProjectionSchema>;

export const NeighboursRequestSchema = z
  .object({ projectionId: IdSchema, imageId: IdSchema, k: z.number().int().min(1).max(100).default(8) })
  .strict();
export const NeighboursSchema = z.array(z.object({ imageId: IdSchema, similarity: z.number(), label: z.string().nullable() }));
