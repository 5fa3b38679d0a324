/**
 * Issue 17 §7: pausing exactly at an epoch's end used to lose that epoch's kNN, epoch loss and
 * alignment/uniformity (MoCo, 3 epochs, pause at step 16 → kNN points only at steps 8 and 24). The
 * trainer runs in-process here so the stop lands deterministically right after the epoch's last step.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { train } from '../../../src/main/engine/trainer';
import type { EpochEvent, TrainRequest } from '../../../src/main/engine/protocol';
import { runModelRequest, splitsOf } from '../../../src/main/services/run-model';
import { trainDataFor } from '../../../src/main/services/training-data';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

describe('pause at an epoch end', () => {
  it('a MoCo run paused right after an epoch’s last step records that epoch’s evaluation on resume', async () => {
    const services = workspace.services;
    const experiment = services.experiments.validate({ datasetId: 1, method: 'moco', batchSize: 4, epochs: 3, seed: 3, checkpointEverySteps: 100, methodOverrides: { queueSize: 8 } });
    const resolved = services.experiments.resolve(experiment);
    const data = await trainDataFor(services.ctx, services.datasets, 1);
    const checkpointDir = join(workspace.root, 'ckpt');
    const request: TrainRequest = {
      runId: 1,
      model: runModelRequest(resolved, data),
      augment: resolved.augment,
      optimizer: experiment.optimizer,
      schedule: experiment.schedule,
      batchSize: experiment.batchSize,
      epochs: experiment.epochs,
      evaluation: experiment.evaluation,
      checkpointEverySteps: experiment.checkpointEverySteps,
      data: splitsOf(data),
      checkpointDir,
    };
    const epochs: EpochEvent[] = [];
    const checkpoints: string[] = [];
    const controller = new AbortController();
    let stepsPerEpoch = 0;
    const first = await train(request, {
      signal: controller.signal,
      emit: (event: string, payload: unknown) => {
        if (event === 'epoch') epochs.push(payload as EpochEvent);
        if (event === 'checkpoint') checkpoints.push((payload as { path: string }).path);
        if (event === 'step') {
          const e = payload as { step: number; stepsPerEpoch: number };
          stepsPerEpoch = e.stepsPerEpoch;
          // Pause exactly at the end of epoch 2.
          if (e.step === 2 * e.stepsPerEpoch) controller.abort();
        }
      },
    });
    expect(first.status).toBe('cancelled');
    expect(first.steps).toBe(2 * stepsPerEpoch);
    const second = await train({ ...request, resumeFrom: checkpoints.at(-1)! }, {
      signal: new AbortController().signal,
      emit: (event: string, payload: unknown) => {
        if (event === 'epoch') epochs.push(payload as EpochEvent);
      },
    });
    expect(second.status).toBe('completed');
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, stepsPerEpoch],
      [2, 2 * stepsPerEpoch],
      [3, 3 * stepsPerEpoch],
    ]);
    for (const e of epochs) {
      expect(e.knnAccuracy).not.toBeNull();
      expect(e.meanLoss).not.toBeNull();
      expect(e.alignment).not.toBeNull();
    }
    // Two short trainings in this process (tfjs loads here, not in a worker): slow on a busy machine.
  }, 180_000);
});
