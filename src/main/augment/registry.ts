/** Every pipeline op by its spec name (`op` field of the schema). */
import type { OpName, OpSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { randomResizedCrop } from './random-resized-crop';
import { horizontalFlip, verticalFlip } from './flip';
import { rotation } from './rotation';
import { affine } from './affine';
import { colorJitter } from './color-jitter';
import { grayscale } from './grayscale';
import { gaussianBlur } from './gaussian-blur';
import { solarize } from './solarize';
import { normalize } from './normalize';

type Registry = { [K in OpName]: AugmentOp<Extract<OpSpec, { op: K }>, OpParams> };

export const OPS: Registry = {
  'random-resized-crop': randomResizedCrop,
  'horizontal-flip': horizontalFlip,
  'vertical-flip': verticalFlip,
  rotation,
  affine,
  'color-jitter': colorJitter,
  grayscale,
  'gaussian-blur': gaussianBlur,
  solarize,
  normalize,
};

/** The op implementing `spec`, typed loosely for the pipeline loop. */
export function opFor(spec: OpSpec): AugmentOp {
  return OPS[spec.op] as unknown as AugmentOp;
}
