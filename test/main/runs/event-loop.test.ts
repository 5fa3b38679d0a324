/** Training runs in the engine worker: the main process's event loop is never grossly blocked. */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/index';
import { makeImageFolder } from '../../helpers/dataset';
import { tempDir } from '../../helpers/temp';

let services: Services;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  services = createServices({ home: join(t.dir, 'home'), front: 'browser' });
  await services.datasets.import({ dir: await makeImageFolder(join(t.dir, 'shapes'), ['a', 'b'], 12), size: 16, valFraction: 0.25, seed: 0 });
});
afterAll(async () => {
  await services.close();
  cleanup();
});

it('keeps the main event loop responsive while a run trains (gross blocking > 500 ms fails)', async () => {
  const { id } = services.experiments.create({ datasetId: 1, method: 'swav', epochs: 3, batchSize: 6 });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const result = await services.runs.start(id).done;
  histogram.disable();
  expect(result.status).toBe('completed');
  expect(result.steps).toBe(9);
  // nanoseconds → ms
  expect(histogram.max / 1e6).toBeLessThan(500);
});
