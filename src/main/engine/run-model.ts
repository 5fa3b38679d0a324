/**
 * The step every engine request about a run starts with: pick the backend, open the dataset's tensor
 * cache, rebuild the run's method with its seed, and load a checkpoint when there is one.
 */
import { TensorCache } from '../data/cache';
import { createMethod } from '../ssl/methods/index';
import type { SslMethod } from '../ssl/methods/types';
import type { RunModelRequest } from './protocol';
import { loadCheckpointInto } from './run-state';
import { initBackend, type BackendReport } from '../compute/tf';


export interface RunModel {
  report: BackendReport;
  cache: TensorCache;
  method: SslMethod;
  /** Dispose the method's tensors and close the cache. */
  close(): Promise<void>;
}

export async function openRunModel(req: RunModelRequest): Promise<RunModel> {
  const report = await initBackend(req.backend);
  const cache = await TensorCache.open(req.cacheFile);
  let method: SslMethod;
  try {
    method = createMethod(req.method.method, req.method, {
      imageSize: req.imageSize,
      channels: cache.channels,
      datasetSize: Math.max(1, req.datasetSize),
      seed: req.seed,
    });
  } catch (err) {
    await cache.close();
    throw err;
  }
  const close = async (): Promise<void> => {
    method.dispose();
    await cache.close();
  };
  try {
    if (req.checkpoint) await loadCheckpointInto(req.checkpoint, method);
  } catch (err) {
    await close();
    throw err;
  }
  return { report, cache, method, close };
}
