/**
 * The training loop, run inside the engine worker: batches from the tensor cache → seeded views →
 * one optimiser step per batch → events, checkpoints and per-epoch evaluation. Cancellation is
 * checked before every step and leaves a checkpoint to resume from.
 */
import { buildViews, disposeViewBatch } from '../augment/views/index';
import { deriveSeed } from '../random/index';
import { BatchLoader } from '../data/loader';
import type { SslMethod } from '../ssl/methods/types';
import { learningRateAt } from '../ssl/schedules/learning-rate';
import { cachedTrainStep } from '../ssl/gradient-cache';
import { trainStep } from '../ssl/train-step';
import { WorkbenchError } from '../../shared/errors';
import { loadCheckpointInto, saveCheckpoint } from './run-state';
import { alignmentUniformity, knnAccuracy, prototypeAssignments } from '../ssl/eval/evaluate';
import { toFloatImages } from '../data/cache-images';
import { createOptimizer } from '../ssl/optimizers';
import type { HandlerContext, TrainRequest, TrainResult } from './protocol';
import { openRunModel } from './run-model';
import type { tf } from '../compute/tf';
import { crossImagePair, methodBatch, positiveSampling } from '../ssl/view-plan';
import { fitAugmentToMethod, viewsPerStep } from '../specs/views';

/** An epoch whose end-of-epoch evaluation a stop request cut short, as its checkpoint records it. */
interface PendingEval {
  epoch: number;
  meanLoss: number | null;
}

/** The pending evaluation of a checkpoint written at an epoch's end (and only there), else null. */
function pendingEvalOf(extra: Record<string, unknown>, position: { epoch: number; batchInEpoch: number }): PendingEval | null {
  const p = extra['pendingEval'] as { epoch?: unknown; meanLoss?: unknown } | undefined;
  if (!p || typeof p.epoch !== 'number' || p.epoch !== position.epoch || position.batchInEpoch !== 0) return null;
  return { epoch: p.epoch, meanLoss: typeof p.meanLoss === 'number' ? p.meanLoss : null };
}

export async function train(req: TrainRequest, ctx: HandlerContext<'train'>): Promise<TrainResult> {
  const { imageSize, seed } = req.model;
  const { report, cache, method, close } = await openRunModel(req.model);
  const chosen = report.candidates.find((c) => c.name === report.backend);
  const optimizer = createOptimizer(req.optimizer, () => method.trainableVariables());
  try {
    const spec = fitAugmentToMethod(req.augment, method.viewsNeeded, imageSize);
    const positives = positiveSampling(req.augment, method.viewsNeeded, req.data.train);
    const loader = new BatchLoader({ cache, items: req.data.train, batchSize: req.batchSize, seed, prefetch: 2, ...(positives ? { positives } : {}) });
    const stepsPerEpoch = Math.min(loader.length, req.maxStepsPerEpoch ?? Number.POSITIVE_INFINITY);
    if (req.epochs > 0 && stepsPerEpoch === 0) {
      throw new WorkbenchError('INVALID_INPUT', `batchSize ${req.batchSize} is larger than the ${req.data.train.length} training images; lower --batch-size`);
    }
    let position = { step: 0, epoch: 0, batchInEpoch: 0 };
    let lastLoss: number | null = null;
    let knn: number | null = null;
    let pendingEval: PendingEval | null = null;
    if (req.resumeFrom) {
      const restored = await loadCheckpointInto(req.resumeFrom, method, optimizer);
      position = restored.position;
      lastLoss = typeof restored.extra['lastLoss'] === 'number' ? restored.extra['lastLoss'] : null;
      pendingEval = pendingEvalOf(restored.extra, position);
    }
    ctx.emit('started', {
      backend: report.backend,
      device: chosen?.device ?? null,
      reason: chosen?.reason ?? '',
      stepsPerEpoch,
      resumedAtStep: position.step,
    });
    const evalSetup = {
      cache,
      train: req.data.train,
      val: req.data.val,
      numClasses: req.data.numClasses,
      imageSize,
      k: req.evaluation.knnK,
      temperature: req.evaluation.knnTemperature,
    };
    const embed = (images: tf.Tensor4D) => method.embed(images);
    const geometry = async (): Promise<{ alignment: number | null; uniformity: number | null }> => {
      const items = req.data.val.length >= 2 ? req.data.val : req.data.train;
      // The researcher's spec, not the method-fitted one: a memory bank trains on one view, but its
      // positives are still two augmentations of an image.
      const r = await alignmentUniformity(embed, cache, items, imageSize, req.augment, seed);
      return { alignment: r?.alignment ?? null, uniformity: r?.uniformity ?? null };
    };
    const checkpoint = (extra: Record<string, unknown> = {}) => {
      const written = saveCheckpoint(req.checkpointDir, position, method, optimizer, { lastLoss, ...extra });
      return written.then((c) => ctx.emit('checkpoint', c));
    };

    /**
     * The end-of-epoch record: kNN (when due), mean loss, alignment/uniformity and SwAV assignments.
     * 'stopped' when a stop request cut it short: the epoch's checkpoint carries it as pending, and
     * a resumed run evaluates it first, so pausing exactly at an epoch's end loses none of it.
     */
    const evaluateEpoch = async (done: number, meanLoss: number | null): Promise<'ok' | 'stopped'> => {
      if (done % req.evaluation.everyEpochs === 0 || done === req.epochs) {
        if (ctx.signal.aborted) return 'stopped';
        try {
          knn = await knnAccuracy(embed, evalSetup, ctx.signal);
        } catch (err) {
          if (ctx.signal.aborted) return 'stopped';
          throw err;
        }
      }
      ctx.emit('epoch', { epoch: done, step: position.step, knnAccuracy: knn, meanLoss, ...(await geometry()) });
      if (method.assignments) {
        const assigned = await prototypeAssignments(method as SslMethod & { assignments: NonNullable<SslMethod['assignments']> }, cache, req.data.train, imageSize);
        ctx.emit('assignments', { epoch: done, items: Int32Array.from(req.data.train, (_, i) => i), ...assigned });
      }
      return 'ok';
    };

    if (pendingEval && (await evaluateEpoch(pendingEval.epoch, pendingEval.meanLoss)) === 'stopped') return result('cancelled');

    if (req.epochs === 0) {
      knn = await knnAccuracy(embed, evalSetup, ctx.signal);
      ctx.emit('epoch', { epoch: 0, step: 0, knnAccuracy: knn, meanLoss: null, ...(await geometry()) });
    }

    let viewsSeen = 0;
    let trainSeconds = 0;
    const startedStep = position.step;
    const views = viewsPerStep(method.viewsNeeded, req.batchSize);
    for (let epoch = position.epoch; epoch < req.epochs; epoch += 1) {
      // Epoch-based method schedules (DINO); a resumed run tells the epoch it continues in.
      method.beginEpoch?.(epoch);
      let b = 0;
      let lossSum = 0;
      let lossCount = 0;
      for await (const batch of loader.epoch(epoch)) {
        if (b >= stepsPerEpoch) break;
        if (b < position.batchInEpoch) {
          b += 1;
          continue;
        }
        if (ctx.signal.aborted) {
          position = { step: position.step, epoch, batchInEpoch: b };
          await checkpoint();
          return result('cancelled');
        }
        const learningRate = learningRateAt(req.schedule, req.optimizer.learningRate, epoch + b / stepsPerEpoch, req.epochs);
        optimizer.setLearningRate(learningRate);
        const started = performance.now();
        const stepSeed = deriveSeed(seed, position.step);
        const images = toFloatImages(batch.images, batch.indices.length, cache.size, cache.channels, imageSize);
        const built = buildViews(images, spec, { seed: stepSeed, imageKeys: batch.indices });
        // Cross-view / temporal positives: the second view comes from each image's partner.
        const partnerImages = batch.positives ? toFloatImages(batch.positives.images, batch.indices.length, cache.size, cache.channels, imageSize) : undefined;
        const partner = partnerImages && batch.positives ? buildViews(partnerImages, spec, { seed: stepSeed, imageKeys: batch.positives.indices }) : undefined;
        let loss: number;
        try {
          const views = partner ? crossImagePair(built, partner) : built;
          const stepBatch = methodBatch(views, method.viewsNeeded, batch.indices);
          loss = req.gradientCache
            ? await cachedTrainStep(method, optimizer, stepBatch, req.gradientCache.chunkSize)
            : await trainStep(method, optimizer, stepBatch);
        } finally {
          disposeViewBatch(built);
          if (partner) disposeViewBatch(partner);
          images.dispose();
          partnerImages?.dispose();
        }
        const seconds = (performance.now() - started) / 1000;
        if (!Number.isFinite(loss)) {
          throw new WorkbenchError(
            'INVALID_INPUT',
            `the loss became ${loss} at step ${position.step + 1} (epoch ${epoch + 1}); lower the learning rate, raise the temperature or check the augmentations — the last checkpoint is kept`,
          );
        }
        b += 1;
        position = { step: position.step + 1, epoch, batchInEpoch: b };
        lastLoss = loss;
        lossSum += loss;
        lossCount += 1;
        viewsSeen += views;
        trainSeconds += seconds;
        const remaining = (req.epochs - epoch) * stepsPerEpoch - b;
        const perStep = trainSeconds / (position.step - startedStep);
        ctx.emit('step', {
          step: position.step,
          epoch: epoch + b / stepsPerEpoch,
          loss,
          learningRate,
          imagesPerSecond: views / seconds,
          etaSeconds: remaining * perStep,
          stepsPerEpoch,
          totalSteps: req.epochs * stepsPerEpoch,
        });
        if (position.step % req.checkpointEverySteps === 0) await checkpoint();
      }
      position = { step: position.step, epoch: epoch + 1, batchInEpoch: 0 };
      const done = epoch + 1;
      const meanLoss = lossCount ? lossSum / lossCount : null;
      // Written before the evaluation: a stop during it resumes with the evaluation (see evaluateEpoch).
      await checkpoint({ pendingEval: { epoch: done, meanLoss } });
      if ((await evaluateEpoch(done, meanLoss)) === 'stopped') return result('cancelled');
    }
    return result('completed');

    function result(status: TrainResult['status']): TrainResult {
      return {
        runId: req.runId,
        status,
        epochs: position.epoch,
        steps: position.step,
        finalLoss: lastLoss,
        imagesPerSecond: trainSeconds > 0 ? viewsSeen / trainSeconds : null,
        knnAccuracy: knn,
        backend: report.backend,
      };
    }
  } finally {
    optimizer.dispose();
    await close();
  }
}
