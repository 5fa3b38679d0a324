/**
 * `cwb bench train --engine pytorch`: images/s of the PyTorch engine's real training loop — the
 * run's generated project fed from a tensor cache of seeded synthetic images, batched augmentation
 * on the torch side, the event stream — timed from the step events after the warm-up steps.
 * Compare with bench/peers/simclr_step.py (the hand-written step, no augmentation or data feed).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TensorCacheWriter } from '../../data/cache';
import { ExperimentSchema } from '../../../shared/schemas/experiment';
import type { BenchTrainBase } from '../protocol';
import { runPytorch } from './runner';

export interface PytorchBenchRequest extends BenchTrainBase {
  device?: 'auto' | 'cpu' | 'cuda';
}

export interface PytorchBenchResult {
  backend: 'pytorch';
  device: string;
  /** Views through forward + backward per second (the convention of every images/s here). */
  imagesPerSecond: number;
  secondsPerStep: number;
  /** What cwb doctor says about the Python. */
  python: string;
}

export async function benchPytorchTrain(req: PytorchBenchRequest): Promise<PytorchBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-bench-pytorch-'));
  try {
    const total = req.warmupSteps + req.steps;
    const count = req.batchSize * total;
    const cacheFile = join(dir, 'tensors.u8');
    const writer = await TensorCacheWriter.create(cacheFile, { size: req.imageSize, channels: req.channels });
    let state = 12345;
    for (let i = 0; i < count; i++) {
      const pixels = new Uint8Array(req.imageSize * req.imageSize * req.channels);
      for (let p = 0; p < pixels.length; p++) {
        state = (state * 1103515245 + 12345) >>> 0;
        pixels[p] = state >>> 24;
      }
      writer.add(createHash('sha256').update(String(i)).digest('hex'), pixels);
    }
    await writer.commit();
    const experiment = ExperimentSchema.parse({
      datasetId: 1,
      method: req.method.method,
      batchSize: req.batchSize,
      epochs: 1,
      engine: 'pytorch',
      optimizer: { name: 'adam', learningRate: 1e-3, weightDecay: 0 },
      checkpointEverySteps: 1_000_000,
      evaluation: { knnK: 1, knnTemperature: 0.1, everyEpochs: 10_000 },
    });
    const seconds: number[] = [];
    let device = '';
    let views = 0;
    const result = await runPytorch(
      {
        project: {
          resolved: { experiment, method: req.method, augment: req.augment, imageSize: req.imageSize },
          dataset: { id: 0, name: 'synthetic', rootPath: dir, kind: 'folder', imageSize: req.imageSize, channels: req.channels, classes: [] },
          valPaths: [],
          source: { runId: null, experimentId: null, experimentName: 'bench', workbenchVersion: '' },
          feed: true,
        },
        dir: join(dir, 'project'),
        data: { cacheFile, train: Array.from({ length: count }, (_, i) => ({ cacheIndex: i, label: -1, group: -1, frameIndex: -1 })), val: [], numClasses: 0 },
        resume: false,
        maxSteps: total,
        ...(req.device ? { device: req.device } : {}),
      },
      {
        signal: new AbortController().signal,
        stopAs: () => 'cancel',
        onEvent: (event, payload) => {
          if (event === 'started') device = String(payload['device']);
          if (event === 'step' && Number(payload['step']) > req.warmupSteps) {
            seconds.push(Number(payload['seconds']));
            views += Number(payload['views']);
          }
        },
      },
    );
    const secondsPerStep = seconds.reduce((a, b) => a + b, 0) / Math.max(1, seconds.length);
    return { backend: 'pytorch', device, imagesPerSecond: views / Math.max(1e-9, seconds.reduce((a, b) => a + b, 0)), secondsPerStep, python: result.python.reason };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
