/** Training runs in the engine worker: the main process's event loop is never grossly blocked. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { useTestWorkspace } from '../../../helpers/workspace';

const workspace = useTestWorkspace({ classes: ['a', 'b'], perClass: 12, valFraction: 0.25 });

it('keeps the main event loop responsive while a run trains (gross blocking > 500 ms fails)', async () => {
  const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'swav', epochs: 3, batchSize: 6 });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const result = await workspace.services.runs.start(id).done;
  histogram.disable();
  expect(result.status).toBe('completed');
  expect(result.steps).toBe(9);
  // nanoseconds → ms
  expect(histogram.max / 1e6).toBeLessThan(500);
});
