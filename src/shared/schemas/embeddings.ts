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
  points: z.array(
    z.object({
      imageId: IdSchema,
      x: z.number(),
      y: z.number(),
      label: z.string().nullable(),
      split: z.enum(['train', 'val']),
      /** SwAV runs: the image's prototype in the run's last stored assignments (null: not assigned). */
      prototype: z.number().int().nullable().optional(),
      /** Labelled validation images: whether the kNN prediction (`knnPrediction`) is the label. */
      knnCorrect: z.boolean().nullable().optional(),
      knnPrediction: z.string().nullable().optional(),
    }),
  ),
  /** PCA only: fraction of the total variance along each of the first principal axes (up to 10), largest first. */
  varianceExplained: z.array(z.number()).optional(),
  /** The kNN behind `knnCorrect`: the labelled training images of the sample vote (null: nothing to score). */
  knn: z.object({ k: z.number().int(), temperature: z.number(), bankSize: z.number().int(), queries: z.number().int() }).nullable().optional(),
  /** SwAV runs: the epoch whose prototype assignments `prototype` comes from (null: none stored). */
  prototypeEpoch: z.number().int().nullable().optional(),
});
export type Projection = z.infer<typeof ProjectionSchema>;

export const NeighboursRequestSchema = z
  .object({ projectionId: IdSchema, imageId: IdSchema, k: z.number().int().min(1).max(100).default(8) })
  .strict();
export const NeighboursSchema = z.array(z.object({ imageId: IdSchema, similarity: z.number(), label: z.string().nullable() }));
