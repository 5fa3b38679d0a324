/**
 * One engine-like worker of `two-worker-gradcache.ts` (a probe, not product code): its own tfjs on
 * single-threaded wasm, a SimCLR method built from the preset with the shared seed (so every worker
 * starts from the same weights), and the phases of a gradient-cached step as separate requests:
 *
 *   forward  {step, rows: [begin, end)} → z of those rows, no tape (chunks of `chunk`)
 *   backward {z: all 2N embeddings}     → loss and the summed weight gradients of its rows
 *   apply    {grads}                    → the same update every worker applies
 *   solo     {step, chunk}              → a whole step here (chunk = 2N: the plain step)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { deriveSeed } from '../../src/main/random/index';
import { loadAugmentPreset } from '../../src/main/augment/presets';
import { buildViews, disposeViewBatch } from '../../src/main/augment/views/index';
import { createOptimizer } from '../../src/main/ssl/optimizers';
import { initBackend, tf } from '../../src/main/compute/tf';
import { methodBatch } from '../../src/main/ssl/view-plan';
import { fitAugmentToMethod } from '../../src/main/specs/views';
import { loadMethodPreset } from '../../src/main/services/presets';
import { applyInOrder, cachedTrainStep, createMethod, trainStep, type MethodBatch } from '../../src/main/ssl/index';
import { mergeMethodConfig, type EncoderName } from '../../src/shared/schemas/method';

interface Setup {
  encoder: EncoderName;
  batchSize: number;
  imageSize: number;
  seed: number;
  chunk: number;
}
type Request =
  | { type: 'forward'; step: number; begin: number; end: number }
  | { type: 'backward'; z: Float32Array; dim: number }
  | { type: 'apply'; grads: Float32Array }
  | { type: 'solo'; step: number; chunk: number };

const setup = workerData as Setup;
const port = parentPort!;
await initBackend('wasm');
const config = mergeMethodConfig(loadMethodPreset('simclr'), { encoder: { name: setup.encoder } });
const method = createMethod('simclr', config, { imageSize: setup.imageSize, channels: 3, datasetSize: setup.batchSize * 4, seed: setup.seed });
const split = method.embeddingLoss!;
const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3, weightDecay: 0 }, () => method.trainableVariables());
const spec = fitAugmentToMethod(loadAugmentPreset('simclr'), method.viewsNeeded, setup.imageSize);
const images = tf.randomUniform([setup.batchSize, setup.imageSize, setup.imageSize, 3], 0, 1, 'float32', setup.seed) as tf.Tensor4D;
const indices = Int32Array.from({ length: setup.batchSize }, (_, i) => i);

/** The step's views, built exactly as `cwb bench train` builds them (same seed → same views everywhere). */
function viewsOf(step: number): { built: ReturnType<typeof buildViews>; batch: MethodBatch } {
  const built = buildViews(images, spec, { seed: deriveSeed(setup.seed, step), imageKeys: indices });
  return { built, batch: methodBatch(built, method.viewsNeeded, indices) };
}

let pending: { built: ReturnType<typeof buildViews>; batch: MethodBatch; rows: tf.Tensor4D; begin: number } | null = null;

function rowChunks(rows: tf.Tensor4D): tf.Tensor4D[] {
  const n = rows.shape[0];
  return Array.from({ length: Math.ceil(n / setup.chunk) }, (_, k) =>
    tf.slice(rows, [k * setup.chunk, 0, 0, 0], [Math.min(setup.chunk, n - k * setup.chunk), -1, -1, -1]),
  );
}

async function handle(req: Request): Promise<unknown> {
  switch (req.type) {
    case 'forward': {
      const { built, batch } = viewsOf(req.step);
      const rows = tf.tidy(() => tf.slice(split.rows(batch), [req.begin, 0, 0, 0], [req.end - req.begin, -1, -1, -1]));
      pending = { built, batch, rows, begin: req.begin };
      const z = tf.tidy(() => tf.concat(rowChunks(rows).map((c) => split.project(c)), 0));
      const data = (await z.data()) as Float32Array;
      z.dispose();
      return { z: data, dim: z.shape[1] };
    }
    case 'backward': {
      const p = pending!;
      const total = req.z.length / req.dim;
      const z = tf.tensor2d(req.z, [total, req.dim]);
      const { value, grad } = tf.valueAndGrad((e: tf.Tensor2D) => split.fromEmbeddings(e, p.batch))(z);
      const mine = tf.slice(grad, [p.begin, 0], [p.rows.shape[0], -1]);
      const variables = method.trainableVariables();
      const sums: (tf.Tensor | undefined)[] = variables.map(() => undefined);
      const chunks = rowChunks(p.rows);
      // Moving statistics were moved by the forward request; the recompute puts them back.
      const moving = [split.models()].flat().flatMap((m) => m.nonTrainableWeights);
      const saved = moving.map((w) => w.read().clone());
      chunks.forEach((c, k) => {
        const g = tf.slice(mine, [k * setup.chunk, 0], [c.shape[0], -1]);
        const { value: s, grads } = tf.variableGrads(() => tf.tidy(() => tf.sum(tf.mul(split.project(c), g))), variables);
        variables.forEach((v, i) => {
          const gi = grads[v.name];
          if (!gi) return;
          const before = sums[i];
          sums[i] = before ? tf.add(before, gi) : gi;
          if (before) tf.dispose([before, gi]);
        });
        tf.dispose([s, g]);
      });
      moving.forEach((w, i) => w.write(saved[i]!));
      const flat = tf.tidy(() => tf.concat(variables.map((v, i) => (sums[i] ?? tf.zerosLike(v)).flatten())));
      const out = { loss: (await value.data())[0], grads: (await flat.data()) as Float32Array };
      tf.dispose([z, value, grad, mine, flat, ...chunks, ...saved, ...sums.filter((s): s is tf.Tensor => s !== undefined)]);
      return out;
    }
    case 'apply': {
      const p = pending!;
      const variables = method.trainableVariables();
      let offset = 0;
      const grads: tf.NamedTensorMap = {};
      for (const v of variables) {
        grads[v.name] = tf.tensor(req.grads.subarray(offset, offset + v.size), v.shape);
        offset += v.size;
      }
      applyInOrder(optimizer, variables, grads);
      tf.dispose([...Object.values(grads), p.rows]);
      disposeViewBatch(p.built);
      pending = null;
      return { numTensors: tf.memory().numTensors };
    }
    case 'solo': {
      const { built, batch } = viewsOf(req.step);
      try {
        const loss = req.chunk >= 2 * setup.batchSize ? await trainStep(method, optimizer, batch) : await cachedTrainStep(method, optimizer, batch, req.chunk);
        return { loss, numTensors: tf.memory().numTensors };
      } finally {
        disposeViewBatch(built);
      }
    }
  }
}

port.on('message', (req: Request) => {
  handle(req).then(
    (result) => port.postMessage({ ok: true, result }),
    (err: unknown) => port.postMessage({ ok: false, error: (err as Error).stack ?? String(err) }),
  );
});
port.postMessage({ ok: true, result: 'ready' });
