import { initBackend } from '../../../src/main/engine/tf';
import { benchAugment } from '../../../src/main/augment/bench';
const backend = process.argv[2] ?? 'wasm';
await initBackend(backend);
for (const preset of ['simclr', 'moco-v2', 'byol-asymmetric', 'swav-multicrop', 'pirl-jigsaw', 'grayscale-safe']) {
  const r = await benchAugment({ preset, batchSize: 256, imageSize: 32, iterations: 5, channels: preset === 'grayscale-safe' ? 1 : 3 });
  console.log(JSON.stringify({ preset: r.preset, backend: r.backend, imagesPerSecond: Math.round(r.imagesPerSecond), viewsPerSecond: Math.round(r.viewsPerSecond), msPerBatch: Math.round(r.msPerBatch), leaked: r.leakedTensors }));
}
