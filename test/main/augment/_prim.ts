import { initBackend, tf } from '../../../src/main/engine/tf';
await initBackend(process.argv[2] ?? 'wasm');
const x = tf.randomUniform([256, 32, 32, 3]) as tf.Tensor4D;
const m = tf.tensor4d(Array.from({ length: 256 }, (_, i) => i % 2), [256, 1, 1, 1], 'bool');
const full = tf.broadcastTo(m, x.shape);
const prims: Record<string, () => tf.Tensor> = {
  reverse2: () => tf.reverse(x, 2),
  reverse1: () => tf.reverse(x, 1),
  whereBroadcast: () => tf.where(m, x, x),
  whereFull: () => tf.where(full, x, x),
  broadcastTo: () => tf.broadcastTo(m, x.shape),
  mulScalarCol: () => tf.mul(x, tf.ones([256, 1, 1, 1])),
  sumAxis3: () => tf.sum(x, 3, true),
  mulVec: () => tf.mul(x, tf.tensor1d([0.3, 0.5, 0.2])),
  tile: () => tf.tile(tf.sum(x, 3, true), [1, 1, 1, 3]),
  greaterEqual: () => tf.greaterEqual(x, 0.5),
  sub: () => tf.sub(1, x),
  clip: () => tf.clipByValue(x, 0, 1),
  maxAxis3: () => tf.max(x, 3, true),
  split: () => tf.split(x, 3, 3)[0]!,
  mod: () => tf.mod(x, 6),
  floor: () => tf.floor(x),
  div: () => tf.div(x, x),
  equal: () => tf.equal(x, x),
  mean123: () => tf.mean(x, [1, 2, 3], true),
};
for (const [name, f] of Object.entries(prims)) {
  tf.tidy(f).dispose();
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) { const r = tf.tidy(f); r.dataSync(); r.dispose(); }
  console.log(name.padEnd(16), ((performance.now() - t0) / 5).toFixed(2), 'ms');
}
