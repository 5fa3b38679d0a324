/**
 * The worker-side implementation of each engine method. Runs inside the engine worker thread only.
 * Later features (training, previews, evaluation, export) add their methods here.
 */
import { threadId } from 'node:worker_threads';
import { WorkbenchError } from '../../shared/errors';
import type { EngineMethod, EngineParams, EngineResult, HandlerContext } from './protocol';
import { benchAugment } from '../augment/bench';
import { benchTrain } from './bench-train';
import { evalKnn, evalLinear } from './eval-knn';
import { evalFinetune } from './eval-finetune';
import { reconstructionPreview } from './reconstruction';
import { exportRun } from './export-run';
import { evalKnnOnnx, inspectOnnx } from './onnx-encoder';
import { preview } from './preview';
import { project } from './projection';
import { initBackend } from '../compute/tf';
import { train } from './trainer';
import { adoptTorchEncoder, exportSafetensors } from './torch-weights';


type Handlers = {
  [M in EngineMethod]: (params: EngineParams<M>, ctx: HandlerContext<M>) => Promise<EngineResult<M>>;
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new WorkbenchError('CANCELLED', 'cancelled'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new WorkbenchError('CANCELLED', 'cancelled'));
      },
      { once: true },
    );
  });
}

export const HANDLERS: Handlers = {
  async doctor(params) {
    return initBackend(params.backend, params.wasmThreads === undefined ? {} : { wasmThreads: params.wasmThreads });
  },
  async ping(params, ctx) {
    if (params.delayMs) {
      const slices = Math.ceil(params.delayMs / 10);
      for (let i = 0; i < slices; i += 1) {
        await sleep(10, ctx.signal);
        ctx.emit('progress', { done: i + 1, total: slices });
      }
    }
    return { echo: params.echo ?? 'pong', threadId };
  },
  train,
  evalKnn,
  evalLinear,
  evalFinetune,
  reconstructionPreview,
  preview,
  benchTrain,
  exportRun,
  inspectOnnx,
  evalKnnOnnx,
  project,
  async benchAugment(params) {
    await initBackend(params.backend);
    return benchAugment(params);
  },
  adoptTorchEncoder,
  exportSafetensors,
};
