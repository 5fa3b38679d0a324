/** Public surface of the augmentation engine (issue 4). */
export {
  applyPipeline,
  type PipelineOptions,
  type PipelineResult,
  type OpRecord,
} from './pipeline';
export {
  buildViews,
  disposeViewBatch,
  viewsPerImage,
  type BuiltView,
  type ViewBatch,
  type ViewOptions,
} from './views/index';
export {
  previewAugmentations,
  asAugmentSpec,
  type PreviewRequest,
  type PreviewResult,
  type PreviewItem,
  type PreviewStep,
  type PreviewItemParams,
} from './preview';
export { renderPreviewGrid, type GridOptions } from './preview/grid';
export { benchAugment, type BenchAugmentOptions, type BenchAugmentResult } from './bench';
export {
  loadAugmentPreset,
  loadAugmentSpecFile,
  listAugmentPresets,
  augmentPresetDirectory,
  AUGMENT_PRESET_NAMES,
} from './presets';
export { jigsaw, applyJigsaw, sampleJigsaw, type JigsawResult } from './jigsaw';
export { jigsawPermutations, invertPermutation } from './jigsaw-permutations';
export { rotationPrediction, rotate90 } from './rotation-prediction';
export { samplePositives, type ItemGroup } from './positives';
export { createRng, deriveSeed, type Rng } from './random';
export { toImageBatch, batchToPngs, type RawImage, type ImagesInput } from './image-io';
export { describeOp, describeView } from './preview/labels';
export { OPS } from './registry';
