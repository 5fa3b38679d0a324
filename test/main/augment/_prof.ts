import { initBackend, tf } from '../../../src/main/engine/tf';
import { applyPipeline } from '../../../src/main/augment/pipeline';
await initBackend(process.argv[2] ?? 'wasm');
const images = tf.randomUniform([256, 32, 32, 3]) as tf.Tensor4D;
const specs: any[] = [
  { op: 'random-resized-crop' }, { op: 'horizontal-flip' }, { op: 'color-jitter', p: 1, hue: 0 }, { op: 'color-jitter', p: 1, brightness: 0, contrast: 0, saturation: 0, hue: 0.1 },
  { op: 'color-jitter', p: 1, randomOrder: false }, { op: 'grayscale' }, { op: 'gaussian-blur', p: 0.5, sigma: [0.1, 2], referenceSize: 224 }, { op: 'gaussian-blur', p: 1, sigma: [0.1, 2] }, { op: 'solarize' }, { op: 'rotation' },
];
for (const s of specs) {
  applyPipeline(images, [s], { seed: 0 }).images.dispose();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) { const r = applyPipeline(images, [s], { seed: i }); await r.images.data(); r.images.dispose(); }
  console.log(JSON.stringify(s), ((performance.now() - t0) / 3).toFixed(1), 'ms');
}
