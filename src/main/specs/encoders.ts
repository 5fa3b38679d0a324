/**
 * The encoder table: the names users pick (`--encoder`) mapped to ResNet shapes (He et al. 2016,
 * arXiv:1512.03385; the CIFAR stem of §4.2). Pure data, read by the tfjs builder
 * (ssl/encoders/resnet.ts) and by the PyTorch plan (export/pytorch/plan.ts) alike — one table, no copy.
 */
import type { EncoderName } from '../../shared/schemas/method';

export interface ResNetSpec {
  stem: 'imagenet' | 'cifar';
  block: 'basic' | 'bottleneck';
  /** Output channels of each stage (before the bottleneck expansion). */
  widths: number[];
  /** Residual blocks per stage. */
  blocks: number[];
}

export const ENCODER_SPECS: Record<EncoderName, ResNetSpec> = {
  small: { stem: 'cifar', block: 'basic', widths: [16, 32, 64], blocks: [1, 1, 1] },
  resnet18: { stem: 'imagenet', block: 'basic', widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2] },
  'resnet18-cifar': {
    stem: 'cifar',
    block: 'basic',
    widths: [64, 128, 256, 512],
    blocks: [2, 2, 2, 2],
  },
  resnet34: { stem: 'imagenet', block: 'basic', widths: [64, 128, 256, 512], blocks: [3, 4, 6, 3] },
  resnet50: {
    stem: 'imagenet',
    block: 'bottleneck',
    widths: [64, 128, 256, 512],
    blocks: [3, 4, 6, 3],
  },
};

/** A bottleneck block's output has 4× its stage width (ResNet-50). */
export const BOTTLENECK_EXPANSION = 4;

/** A stage width under `widthMultiplier`, rounded as JavaScript rounds (halves up), at least 1. */
export function scaledWidth(width: number, multiplier: number): number {
  return Math.max(1, Math.round(width * multiplier));
}
