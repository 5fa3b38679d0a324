/**
 * The 3×3 stride-1 convolutions of the training step on wasm, Winograd F(2×2, 3×3)
 * (`CWB_WASM_CONV_KERNEL=winograd`, default) against the kernels it replaces (`xnnpack`: XNNPACK's
 * forward convolution, the input gradient's XNNPACK form, the SIMD filter-gradient kernel), alternating
 * call by call in one process, a fresh filter per call as in training. Also prints the largest
 * difference between the two (float32 rounding).
 *
 * Usage: tsx bench/probes/winograd-kernels.ts [--reps 5] [--only fwd,input,filter]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend, tf } from '../../src/main/compute/tf';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' }, only: { type: 'string', default: 'fwd,input,filter' } } });
const reps = Number(values.reps);
const only = new Set(values.only.split(','));
/** x (the layer's input) and output channels; 3×3 'same' stride-1 convolutions. */
const SHAPES: [[number, number, number, number], number][] = [
  [[128, 32, 32, 16], 16],
  [[128, 16, 16, 32], 32],
  [[128, 8, 8, 64], 64],
  [[32, 32, 32, 64], 64],
  [[32, 16, 16, 128], 128],
  [[32, 8, 8, 256], 256],
  [[32, 4, 4, 512], 512],
  [[128, 32, 32, 64], 64],
  [[128, 4, 4, 512], 512],
];
await initBackend('wasm');
const lines = [
  `3×3 stride-1 convolutions on wasm, ${reps} alternating calls each, load ${loadavg()[0]!.toFixed(2)} at start`,
  '| op | x | filter | Winograd ms median | previous ms median | previous / Winograd | max abs diff (max abs value) |',
  '| --- | --- | --- | --: | --: | --: | --: |',
];
const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
for (const op of ['fwd', 'input', 'filter']) {
  if (!only.has(op)) continue;
  for (const [xs, o] of SHAPES) {
    const filterShape: [number, number, number, number] = [3, 3, xs[3], o];
    const x = tf.randomNormal(xs, 0, 1, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([xs[0], xs[1], xs[2], o], 0, 1, 'float32', 2) as tf.Tensor4D;
    const times: Record<string, number[]> = { winograd: [], xnnpack: [] };
    const last: Record<string, Float32Array> = {};
    for (let r = 0; r <= reps; r++) {
      for (const k of r % 2 ? ['winograd', 'xnnpack'] : ['xnnpack', 'winograd']) {
        process.env['CWB_WASM_CONV_KERNEL'] = k;
        const w = tf.randomNormal(filterShape, 0, 1, 'float32', 7) as tf.Tensor4D;
        const t0 = performance.now();
        const out =
          op === 'fwd'
            ? tf.conv2d(x, w, 1, 'same')
            : op === 'input'
              ? tf.conv2dTranspose(dy, w, xs, 1, 'same')
              : (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape }) as tf.Tensor);
        last[k] = out.dataSync() as Float32Array;
        const ms = performance.now() - t0;
        tf.dispose([out, w]);
        if (r > 0) times[k]!.push(ms);
      }
    }
    tf.dispose([x, dy]);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < last['winograd']!.length; i++) {
      diff = Math.max(diff, Math.abs(last['winograd']![i]! - last['xnnpack']![i]!));
      scale = Math.max(scale, Math.abs(last['xnnpack']![i]!));
    }
    const [a, b] = [med(times['winograd']!), med(times['xnnpack']!)];
    lines.push(`| ${op} | ${xs.join('×')} | 3×3×${xs[3]}×${o} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}× | ${diff.toExponential(1)} (${scale.toFixed(1)}) |`);
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }
}
delete process.env['CWB_WASM_CONV_KERNEL'];
lines.push(`load ${loadavg()[0]!.toFixed(2)} at end`);
process.stdout.write(`${lines.join('\n')}\n`);
