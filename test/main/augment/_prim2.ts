import { initBackend, tf } from '../../../src/main/engine/tf';
await initBackend(process.argv[2] ?? 'wasm');
const x = tf.randomUniform([256, 32, 32, 3]) as tf.Tensor4D;
const idx = tf.tensor1d(Array.from({ length: 256 }, (_, i) => 255 - i), 'int32');
const colIdx = tf.tensor1d(Array.from({ length: 32 }, (_, i) => 31 - i), 'int32');
const boxes = tf.tensor2d(Array.from({ length: 256 }, (_, i) => (i % 2 ? [0, 1, 1, 0] : [0, 0, 1, 1])).flat(), [256, 4]);
const bi = tf.range(0, 256, 1, 'int32') as tf.Tensor1D;
const m = tf.tensor4d(Array.from({ length: 256 }, (_, i) => i % 2), [256, 1, 1, 1]);
const prims: Record<string, () => tf.Tensor> = {
  gather0: () => tf.gather(x, idx, 0),
  gatherCols: () => tf.gather(x, colIdx, 2),
  concat0: () => tf.concat([x, x], 0),
  cropFlip: () => tf.image.cropAndResize(x, boxes, bi, [32, 32]),
  flipLR: () => tf.image.flipLeftRight(x),
  matmulRGB: () => tf.matMul(tf.reshape(x, [-1, 3]), tf.eye(3)),
  matmulR: () => tf.matMul(tf.reshape(x, [-1, 3]), tf.tensor2d([[1], [0], [0]])),
  unstack: () => tf.unstack(tf.reshape(x, [-1, 3]), 1)[0]!,
  sliceLast: () => tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]),
  transposeLast: () => tf.transpose(x, [3, 0, 1, 2]),
  mulOnes: () => tf.mul(tf.sum(x, 3, true), tf.ones([1, 1, 1, 3])),
  blend: () => tf.add(tf.mul(x, m), tf.mul(x, tf.sub(1, m))),
  stack3: () => tf.concat([tf.sum(x, 3, true), tf.sum(x, 3, true), tf.sum(x, 3, true)], 3),
  batchMatMul: () => tf.matMul(tf.reshape(x, [256, 1024, 3]), tf.ones([256, 3, 3])),
};
for (const [name, f] of Object.entries(prims)) {
  tf.tidy(f).dispose();
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) { const r = tf.tidy(f); r.dataSync(); r.dispose(); }
  console.log(name.padEnd(16), ((performance.now() - t0) / 5).toFixed(2), 'ms');
}
