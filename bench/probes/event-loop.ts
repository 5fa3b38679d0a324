/**
 * Main-process event-loop lag while a run trains: the services the desktop app and `cwb serve` use
 * (createServices → datasets.import → experiments.create → runs.start) in this process, with
 * perf_hooks.monitorEventLoopDelay sampling the main loop while the engine worker trains.
 * Prints one JSON object: lag p50/p99/max in ms over the training run, plus the run's own numbers.
 *
 * Usage: tsx bench/probes/event-loop.ts --home <tmp> [--limit 1000] [--epochs 1] [--batch-size 64]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createServices } from '../../src/main/services/index';

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    dataset: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    limit: { type: 'string', default: '1000' },
    epochs: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '64' },
    method: { type: 'string', default: 'simclr' },
    resolution: { type: 'string', default: '10' },
  },
});
if (!values.home) throw new Error('--home is required');

const services = createServices({ home: values.home, front: 'browser' });
try {
  const imported = await services.datasets.import({
    dir: values.dataset,
    limit: Number(values.limit),
    // size and valFraction apply to image folders; IDX keeps 28 px and its own t10k split
    size: 28,
    valFraction: 0.1,
    seed: 0,
  });
  const { id } = services.experiments.create({
    datasetId: imported.datasetId,
    method: values.method as 'simclr',
    encoder: 'small',
    epochs: Number(values.epochs),
    batchSize: Number(values['batch-size']),
  });
  const histogram = monitorEventLoopDelay({ resolution: Number(values.resolution) });
  histogram.enable();
  const started = performance.now();
  const result = await services.runs.start(id).done;
  const seconds = (performance.now() - started) / 1000;
  histogram.disable();
  const ms = (ns: number): number => ns / 1e6;
  process.stdout.write(
    `${JSON.stringify({
      method: values.method,
      status: result.status,
      steps: result.steps,
      trainSeconds: seconds,
      resolutionMs: Number(values.resolution),
      lagP50Ms: ms(histogram.percentile(50)),
      lagP99Ms: ms(histogram.percentile(99)),
      lagMaxMs: ms(histogram.max),
      samples: histogram.count,
    })}\n`,
  );
} finally {
  await services.close();
}
