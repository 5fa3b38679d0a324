/** What every per-method view builder returns; the caller owns (and must dispose) every tensor. */
import type { tf } from '../../compute/tf';
import type { ViewKind } from '../../../shared/schemas/augment';
import type { OpRecord, PipelineOptions } from '../pipeline';
import type { JigsawResult } from '../jigsaw';

export type ViewOptions = Omit<PipelineOptions, 'stream' | 'size'>;

export interface BuiltView {
  /** `global-1`, `local-3`, `online` …: the group name, numbered when the group has several views. */
  name: string;
  group: string;
  /** [N, h, w, C] (for RotNet `all` mode [4N, h, w, C]). */
  images: tf.Tensor4D;
  ops: OpRecord[];
  steps?: tf.Tensor4D[];
}

export interface ViewBatch {
  kind: ViewKind;
  views: BuiltView[];
  /** PIRL / jigsaw prediction: shuffled tiles [N·n², t, t, C] after `tileOps`, and the labels. */
  jigsaw?: JigsawResult & { tileOps: OpRecord[] };
  /** RotNet: rotation class k (k·90° counter-clockwise) of every row of views[0]. */
  rotationLabels?: Int32Array;
  /** Triplet: batch index of each anchor's negative (never the anchor itself). */
  negatives?: Int32Array;
}

/** Dispose every tensor of a view batch (idempotent). */
export function disposeViewBatch(batch: ViewBatch): void {
  for (const view of batch.views) {
    view.images.dispose();
    for (const step of view.steps ?? []) step.dispose();
  }
  batch.jigsaw?.tiles.dispose();
}
