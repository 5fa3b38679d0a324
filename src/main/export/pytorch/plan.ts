/**
 * Translate a resolved experiment into the plan a generated PyTorch project trains from
 * (config.json → `plan`): encoder widths already scaled, views expanded with their pixel sizes and
 * every op default filled in, optimiser, schedule and sizes as numbers. What cannot be translated
 * faithfully is refused here, all fields at once, before any file is written (docs/pytorch-project.md).
 */
import { WorkbenchError } from '../../../shared/errors';
import type { AugmentSpec, OpSpec } from '../../../shared/schemas/augment';
import { jigsawPermutations } from '../../augment/jigsaw-permutations';
import type { Experiment, OptimizerConfig, ScheduleConfig } from '../../../shared/schemas/experiment';
import type { EncoderName, HeadBlock, MethodConfig } from '../../../shared/schemas/method';
import { BOTTLENECK_EXPANSION, ENCODER_SPECS, scaledWidth } from '../../specs/encoders';
import { jigsawTileSize, resolveViewSize } from '../../specs/view-size';
import { fitAugmentToMethod, VIEWS_CONSUMED, viewsNeeded } from '../../specs/views';

/** Methods the generated train.py implements: all seven of the workbench. */
export const PYTORCH_METHODS = ['simclr', 'memory-bank', 'moco', 'swav', 'pirl', 'triplet', 'margin-contrastive', 'byol', 'simsiam', 'barlow-twins', 'vicreg', 'dino', 'autoencoder'] as const;
export type PytorchMethod = (typeof PYTORCH_METHODS)[number];

export interface ResolvedForExport {
  experiment: Experiment;
  method: MethodConfig;
  augment: AugmentSpec;
  imageSize: number;
}

export interface EncoderPlan {
  name: EncoderName;
  stem: 'imagenet' | 'cifar';
  block: 'basic' | 'bottleneck';
  stemWidth: number;
  widths: number[];
  blocks: number[];
  expansion: number;
  featureDim: number;
  /** PyTorch convention: running = (1 − m)·running + m·batch, i.e. 1 − the workbench's tfjs momentum. */
  torchBatchNormMomentum: number;
}

export interface ViewPlan {
  name: string;
  group: string;
  /** Side of the square view in pixels. */
  size: number;
  ops: OpSpec[];
}

/**
 * PIRL's jigsaw transform (src/main/augment/jigsaw.ts): the n×n cells of the training-size image,
 * each cropped to (1 − jitter) of its cell at a random offset, resized to `tileSize` px, shuffled by
 * one of `permutations` (perm[position] = cell; the workbench's maximal-Hamming set, computed here so
 * Python uses the very same), then augmented tile by tile with `tileOps`.
 */
export interface JigsawPlan {
  grid: number;
  jitter: number;
  tileSize: number;
  permutations: number[][];
  tileOps: OpSpec[];
}

export interface TrainingPlan {
  method: MethodConfig;
  encoder: EncoderPlan;
  head: HeadBlock[];
  views: ViewPlan[];
  /** PIRL only. */
  jigsaw: JigsawPlan | null;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  batchSize: number;
  imageSize: number;
  epochs: number;
  seed: number;
  maxStepsPerEpoch: number | null;
  checkpointEverySteps: number;
}

export function encoderPlan(method: MethodConfig): EncoderPlan {
  const { name, widthMultiplier, batchNormMomentum } = method.encoder;
  const spec = ENCODER_SPECS[name];
  const widths = spec.widths.map((w) => scaledWidth(w, widthMultiplier));
  const expansion = spec.block === 'bottleneck' ? BOTTLENECK_EXPANSION : 1;
  return {
    name,
    stem: spec.stem,
    block: spec.block,
    stemWidth: scaledWidth(spec.widths[0] ?? 64, widthMultiplier),
    widths,
    blocks: [...spec.blocks],
    expansion,
    featureDim: (widths[widths.length - 1] ?? 1) * expansion,
    torchBatchNormMomentum: Number((1 - batchNormMomentum).toPrecision(12)),
  };
}

/** Every view in the order the method consumes them (single: 1; pair, triplet: 2; jigsaw: the image view; multi-crop: large, then small). */
export function viewPlans(spec: AugmentSpec, method: MethodConfig, imageSize: number): ViewPlan[] {
  const need = viewsNeeded(method, imageSize);
  const fitted = fitAugmentToMethod(spec, need, imageSize);
  const views: ViewPlan[] = [];
  for (const group of fitted.views) {
    for (let c = 0; c < group.count; c++) {
      views.push({
        name: group.count > 1 ? `${group.name}-${c + 1}` : group.name,
        group: group.name,
        size: resolveViewSize(group.size, imageSize, imageSize).height,
        ops: group.ops,
      });
    }
  }
  return need.kind === 'multi-crop' ? views : views.slice(0, VIEWS_CONSUMED[need.kind]);
}

/** PIRL's jigsaw section with the permutation set and tile size resolved (null for other methods). */
export function jigsawPlan(spec: AugmentSpec, method: MethodConfig, imageSize: number): JigsawPlan | null {
  if (method.method !== 'pirl' || !spec.jigsaw) return null;
  const { grid, jitter, permutations, permutationSeed, tileOps } = spec.jigsaw;
  return { grid, jitter, tileSize: jigsawTileSize({ grid }, imageSize, imageSize).height, permutations: jigsawPermutations(grid, permutations, permutationSeed), tileOps };
}

/** Every field that cannot be translated faithfully, as `field: reason` lines (empty when none). */
export function untranslatable(resolved: ResolvedForExport, dataset: { kind: string }): string[] {
  const problems: string[] = [];
  const { experiment, augment } = resolved;
  if (!(PYTORCH_METHODS as readonly string[]).includes(experiment.method)) {
    problems.push(`method: "${experiment.method}" is not translated to PyTorch (supported: ${PYTORCH_METHODS.join(', ')})`);
  }
  if (dataset.kind !== 'folder') {
    problems.push(`datasetId: the dataset was imported from ${dataset.kind === 'idx' ? 'IDX files' : 'CIFAR-10 batches'}; the project reads image folders with class sub-folders`);
  }
  if (augment.positives.source !== 'same-image') {
    problems.push(`augment.positives.source: "${augment.positives.source}" positives (frames or view groups of one object) are not translated; only "same-image"`);
  }
  const pipelines: [string, OpSpec[]][] = augment.views.map((group, g) => [`augment.views[${g}].ops`, group.ops]);
  if (resolved.method.method === 'pirl' && augment.jigsaw) pipelines.push(['augment.jigsaw.tileOps', augment.jigsaw.tileOps]);
  for (const [field, ops] of pipelines) {
    ops.forEach((op, o) => {
      if (op.op === 'normalize' && (!op.mean || !op.std)) {
        problems.push(`${field}[${o}]: normalize without its own mean and std (dataset statistics) is not translated`);
      }
    });
  }
  const { method } = resolved;
  if (method.method === 'pirl' && augment.jigsaw && augment.jigsaw.grid !== method.jigsaw.grid) {
    // The workbench fails at the first step (the jigsaw head expects grid² tiles); say so before writing.
    problems.push(`methodOverrides.jigsaw.grid: ${method.jigsaw.grid} differs from augment.jigsaw.grid ${augment.jigsaw.grid}; the jigsaw head and the tiles must use one grid`);
  }
  return problems;
}

export function trainingPlan(resolved: ResolvedForExport, dataset: { kind: string }): TrainingPlan {
  const problems = untranslatable(resolved, dataset);
  let views: ViewPlan[] = [];
  let jigsaw: JigsawPlan | null = null;
  if (problems.length === 0) {
    try {
      views = viewPlans(resolved.augment, resolved.method, resolved.imageSize);
      jigsaw = jigsawPlan(resolved.augment, resolved.method, resolved.imageSize);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) {
    throw new WorkbenchError('INVALID_INPUT', `cannot export this experiment as a PyTorch project: ${problems.join('; ')}`, { fields: problems });
  }
  const { experiment, method, imageSize } = resolved;
  return {
    method,
    encoder: encoderPlan(method),
    head: method.head,
    views,
    jigsaw,
    optimizer: experiment.optimizer,
    schedule: experiment.schedule,
    batchSize: experiment.batchSize,
    imageSize,
    epochs: experiment.epochs,
    seed: experiment.seed,
    maxStepsPerEpoch: experiment.maxStepsPerEpoch ?? null,
    checkpointEverySteps: experiment.checkpointEverySteps,
  };
}
