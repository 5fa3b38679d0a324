/**
 * The wasm `Conv2DBackpropInput` kernels side by side on the training step's real shapes: the
 * WebAssembly SIMD kernel (`CWB_WASM_INPUT_KERNEL=simd`) and the XNNPACK convolution form
 * (`xnnpack`), alternating call by call in one process, a fresh filter per call as in training.
 *
 * Usage: tsx bench/probes/input-grad-kernels.ts [--reps 5]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend, tf } from '../../src/main/compute/tf';
import { inputKernelStatus } from '../../src/main/compute/kernels/native-kernels';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
const reps = Number(values.reps);
/** x (the layer's input), output channels, stride; 3×3 'same' convolutions. */
const SHAPES: [[number, number, number, number], number, number][] = [
  [[128, 32, 32, 16], 16, 1],
  [[128, 32, 32, 16], 32, 2],
  [[128, 16, 16, 32], 32, 1],
  [[128, 16, 16, 32], 64, 2],
  [[128, 8, 8, 64], 64, 1],
  [[32, 32, 32, 64], 64, 1],
  [[32, 32, 32, 64], 128, 2],
  [[32, 16, 16, 128], 128, 1],
  [[32, 8, 8, 256], 256, 1],
  [[32, 4, 4, 512], 512, 1],
];
await initBackend('wasm');
const lines = [
  `Conv2DBackpropInput on wasm, ${reps} alternating calls each, load ${loadavg()[0]!.toFixed(2)} at start`,
  '| x | filter | stride | SIMD ms median | XNNPACK ms median | XNNPACK / SIMD |',
  '| --- | --- | --: | --: | --: | --: |',
];
for (const [xs, o, s] of SHAPES) {
  const filterShape: [number, number, number, number] = [3, 3, xs[3], o];
  const dyShape = tf.tidy(() => tf.conv2d(tf.zeros(xs) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, s, 'same').shape);
  const dy = tf.randomNormal(dyShape, 0, 1, 'float32', 1) as tf.Tensor4D;
  const times: Record<string, number[]> = { simd: [], xnnpack: [] };
  for (let r = 0; r <= reps; r++) {
    for (const k of r % 2 ? ['simd', 'xnnpack'] : ['xnnpack', 'simd']) {
      process.env['CWB_WASM_INPUT_KERNEL'] = k;
      const w = tf.randomNormal(filterShape, 0, 1, 'float32', r) as tf.Tensor4D;
      const t0 = performance.now();
      const dx = tf.conv2dTranspose(dy, w, xs, s, 'same');
      dx.dataSync();
      const ms = performance.now() - t0;
      if (inputKernelStatus()?.kernel !== k) throw new Error(`asked for ${k}, ran ${inputKernelStatus()?.kernel}: ${inputKernelStatus()?.reason}`);
      tf.dispose([dx, w]);
      if (r > 0) times[k]!.push(ms);
    }
  }
  dy.dispose();
  const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
  const [a, b] = [med(times['simd']!), med(times['xnnpack']!)];
  lines.push(`| ${xs.join('×')} | 3×3×${xs[3]}×${o} | ${s} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}× |`);
}
delete process.env['CWB_WASM_INPUT_KERNEL'];
lines.push(`load ${loadavg()[0]!.toFixed(2)} at end`);
process.stdout.write(`${lines.join('\n')}\n`);
