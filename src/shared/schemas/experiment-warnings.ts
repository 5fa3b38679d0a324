/**
 * Warnings about an experiment checked against its dataset (issue 17): things that will waste a run
 * but do not stop it (a MoCo queue smaller than the batch, SwAV prototypes frozen for the whole run,
 * hue jitter on grey images …). `field` is the path the designer marks, as in validation issues
 * (`batchSize`, `methodOverrides.queueSize`, `augment`).
 */
import { z } from 'zod';

export const ExperimentWarningSchema = z.object({
  field: z.string(),
  message: z.string(),
});
export type ExperimentWarning = z.infer<typeof ExperimentWarningSchema>;

/** A group of views training builds per image: after the method has fitted the augmentation (SwAV's crop counts and small-crop size come from the method). */
export const TrainingViewGroupSchema = z.object({
  name: z.string(),
  count: z.number().int(),
  /** Side in pixels. */
  size: z.number().int(),
});
export type TrainingViewGroup = z.infer<typeof TrainingViewGroupSchema>;

export const ExperimentWarningsSchema = z.object({
  warnings: z.array(ExperimentWarningSchema),
  /** What training will actually build per image, so the designer and the run preview show the same views. */
  views: z.array(TrainingViewGroupSchema),
});
