import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

export const SplitSchema = z.enum(['train', 'val']);

export const DatasetSchema = z.object({
  id: IdSchema,
  name: z.string(),
  rootPath: z.string(),
  kind: z.enum(['folder', 'idx', 'cifar']),
  imageSize: z.number().int().positive(),
  channels: z.union([z.literal(1), z.literal(3)]),
  numImages: z.number().int().nonnegative(),
  numSkipped: z.number().int().nonnegative(),
  classes: z.array(z.string()),
  valFraction: z.number(),
  seed: z.number().int(),
  createdAt: TimestampSchema,
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const ImportDatasetRequestSchema = z
  .object({
    dir: z.string().min(1, 'a folder path is required'),
    name: z.string().min(1).max(200).optional(),
    labelsCsv: z.string().min(1).optional(),
    size: z.number().int().min(8).max(1024).default(64),
    valFraction: z.number().min(0).max(0.9).default(0.1),
    seed: z.number().int().nonnegative().default(0),
    /** 'sequences': every folder is a clip of ordered frames; 'views': every folder is a multi-view group (cross-view positives). */
    groups: z.enum(['none', 'sequences', 'views']).default('none'),
    /** Standard formats (IDX, CIFAR-10): keep a seeded random subset of at most this many images per split. */
    limit: z.number().int().positive().optional(),
  })
  .strict();
export type ImportDatasetRequest = z.input<typeof ImportDatasetRequestSchema>;

export const SkippedFileSchema = z.object({ path: z.string(), reason: z.string() });
export type SkippedFile = z.infer<typeof SkippedFileSchema>;

/**
 * Exact duplicates (identical bytes, by sha256) found by an import. The first file of each set in
 * path order is kept; the copies are recorded but not trained on, and a set never straddles the
 * train/validation split (see docs/datasets.md). `shown` is capped; `files` and `groups` are exact.
 */
export const DuplicatesReportSchema = z.object({
  /** Files that are exact copies of another file (the kept ones not counted). */
  files: z.number().int().nonnegative(),
  /** Sets of identical files. */
  groups: z.number().int().nonnegative(),
  /** The largest sets first, at most 20, each with at most 10 of its copies listed. */
  shown: z.array(
    z.object({
      kept: z.string(),
      copies: z.array(z.string()),
      /** All copies in the set (`copies` may list fewer). */
      count: z.number().int().positive(),
      /** The set's distinct labels when its files disagree (same image, different classes), else []. */
      conflictingLabels: z.array(z.string().nullable()),
    }),
  ),
});
export type DuplicatesReport = z.infer<typeof DuplicatesReportSchema>;

/** Also the exact shape `cwb dataset import --json` prints. */
export const ImportDatasetReplySchema = z.object({
  datasetId: IdSchema,
  /** Images recorded for training (exact duplicates not counted). */
  imported: z.number().int().nonnegative(),
  skipped: z.array(SkippedFileSchema),
  duplicates: DuplicatesReportSchema,
});
export type ImportDatasetReply = z.infer<typeof ImportDatasetReplySchema>;

export const DatasetRefSchema = z.object({ datasetId: IdSchema }).strict();

export const DatasetImageSchema = z.object({
  id: IdSchema,
  relPath: z.string(),
  label: z.string().nullable(),
  split: SplitSchema,
  width: z.number().int(),
  height: z.number().int(),
});
export const ListImagesRequestSchema = z
  .object({
    datasetId: IdSchema,
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(500).default(100),
  })
  .strict();
export const ListImagesReplySchema = z.object({
  total: z.number().int().nonnegative(),
  images: z.array(DatasetImageSchema),
});

export const ImportProgressEventSchema = z.object({
  phase: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  dir: z.string(),
});
export type ImportProgressEvent = z.infer<typeof ImportProgressEventSchema>;

/** Images per class and split (labels as imported; `null` label = unlabelled). */
export const ClassBalanceSchema = z.array(
  z.object({ label: z.string().nullable(), train: z.number().int().nonnegative(), val: z.number().int().nonnegative() }),
);
export type ClassBalance = z.infer<typeof ClassBalanceSchema>;
