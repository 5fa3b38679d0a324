/**
 * Expand view groups into views: group g with count c gives c views, each through the shared
 * pipeline with its own stream (the running view index) and the group's size, scaled to the batch's
 * image size when relative (SwAV's 2×224 + 6×96 at 224 px becomes 2×32 + 6×14 at 32 px).
 */
import type { tf } from '../../compute/tf';
import type { ViewGroupSpec } from '../../../shared/schemas/augment';
import { resolveViewSize } from '../../specs/view-size';
import { applyPipeline } from '../pipeline';
import type { BuiltView, ViewOptions } from './types';

export function buildGroupViews(
  images: tf.Tensor4D,
  groups: readonly ViewGroupSpec[],
  options: ViewOptions,
): BuiltView[] {
  const [, h, w] = images.shape;
  const views: BuiltView[] = [];
  try {
    for (const group of groups) {
      for (let c = 0; c < group.count; c++) {
        const result = applyPipeline(images, group.ops, {
          ...options,
          stream: views.length,
          size: resolveViewSize(group.size, h, w),
        });
        const name = group.count > 1 ? `${group.name}-${c + 1}` : group.name;
        views.push({
          name,
          group: group.name,
          images: result.images,
          ops: result.ops,
          ...(result.steps ? { steps: result.steps } : {}),
        });
      }
    }
  } catch (err) {
    for (const v of views) [v.images, ...(v.steps ?? [])].forEach((t) => t.dispose());
    throw err;
  }
  return views;
}
