/** Public API of the SSL core: losses, evaluation, encoders, heads, methods and the training step. */
export { ntXentLoss } from './losses/ntxent';
export { infoNCELoss } from './losses/infonce';
export { sinkhorn } from './losses/sinkhorn';
export { swavLoss, swappedPredictionLoss, type SwavLossOptions } from './losses/swav';
export { tripletLoss } from './losses/triplet';
export { marginContrastiveLoss } from './losses/margin-contrastive';
export { l2Normalize } from './losses/normalize';
export { stopGradient } from './losses/stop-gradient';
export { knnPredict, accuracy, type KnnPrediction } from './eval/knn';
