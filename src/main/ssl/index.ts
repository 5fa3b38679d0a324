/** Public API of the SSL core: losses, evaluation, encoders, heads, methods and the training step. */
export { ntXentLoss } from './losses/ntxent';
export { infoNCELoss } from './losses/infonce';
export { sinkhorn } from './losses/sinkhorn';
export { swavLoss, swappedPredictionLoss, type SwavLossOptions } from './losses/swav';
export { tripletLoss } from './losses/triplet';
export { marginContrastiveLoss } from './losses/margin-contrastive';
export { negativeCosineSimilarity } from './losses/negative-cosine';
export { barlowTwinsLoss, type BarlowTwinsOptions } from './losses/barlow-twins';
export { vicregLoss, type VicregOptions } from './losses/vicreg';
export { dinoLoss, dinoCenterUpdate, type DinoLossOptions } from './losses/dino';
export { l2Normalize } from './losses/normalize';
export { stopGradient } from './losses/stop-gradient';
export { knnPredict, accuracy, type KnnPrediction } from './eval/knn';
export { buildEncoder, featureDim, type EncoderOptions } from './encoders/index';
export { buildResNet } from './encoders/resnet';
export { buildProjectionHead, type HeadOptions } from './heads/projection-head';
export { buildJigsawHead } from './heads/jigsaw-head';
export { Prototypes } from './heads/prototypes';
export { METHODS, createMethod } from './methods/index';
export type {
  EmbeddingLoss,
  MethodBatch,
  MethodContext,
  MethodFactory,
  MethodState,
  PrototypeAssignments,
  SslMethod,
  StepInfo,
  TensorState,
} from './methods/types';
export { applyInOrder, trainStep, type GradientApplier, type StepGradients } from './train-step';
export { linearProbe, type LinearProbeOptions, type LinearProbeResult } from './eval/linear-probe';
export { cachedGradients, cachedTrainStep, type CachedGradients } from './gradient-cache';
