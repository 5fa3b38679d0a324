/**
 * The wasm `Conv2DBackpropFilter` kernels side by side on the training step's real shapes: the
 * WebAssembly SIMD kernel (`CWB_WASM_FILTER_KERNEL=simd`) and the XNNPACK matrix-product form
 * (`xnnpack`), alternating call by call in one process so that the machine's load hits both alike.
 * Prints, per shape, the median and minimum ms of each and the ratio, with the 1-minute load average.
 *
 * Usage: tsx bench/probes/filter-grad-kernels.ts [--set small|resnet18-cifar|all] [--reps 7] [--json]
 *   small: SimCLR small encoder, batch 64 (2N = 128 views, 32 px); resnet18-cifar: N = 16 (2N = 32).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend, tf } from '../../src/main/compute/tf';
import { filterKernelStatus } from '../../src/main/compute/kernels/native-kernels';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'all' },
    reps: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
  },
});

type Shape = { x: [number, number, number, number]; k: number; o: number; s: number; set: string };
const SHAPES: Shape[] = [
  { set: 'small', x: [128, 32, 32, 3], k: 3, o: 16, s: 1 },
  { set: 'small', x: [128, 32, 32, 16], k: 3, o: 16, s: 1 },
  { set: 'small', x: [128, 32, 32, 16], k: 3, o: 32, s: 2 },
  { set: 'small', x: [128, 16, 16, 32], k: 3, o: 32, s: 1 },
  { set: 'small', x: [128, 16, 16, 32], k: 3, o: 64, s: 2 },
  { set: 'small', x: [128, 8, 8, 64], k: 3, o: 64, s: 1 },
  { set: 'resnet18-cifar', x: [32, 32, 32, 3], k: 3, o: 64, s: 1 },
  { set: 'resnet18-cifar', x: [32, 32, 32, 64], k: 3, o: 64, s: 1 },
  { set: 'resnet18-cifar', x: [32, 32, 32, 64], k: 3, o: 128, s: 2 },
  { set: 'resnet18-cifar', x: [32, 16, 16, 128], k: 3, o: 128, s: 1 },
  { set: 'resnet18-cifar', x: [32, 8, 8, 256], k: 3, o: 256, s: 1 },
  { set: 'resnet18-cifar', x: [32, 4, 4, 512], k: 3, o: 512, s: 1 },
];

const reps = Number(values.reps);
await initBackend('wasm');
const kernels = ['simd', 'xnnpack'] as const;
const rows = [];
const load = loadavg()[0]!.toFixed(2);
for (const shape of SHAPES.filter((s) => values.set === 'all' || s.set === values.set)) {
  const x = tf.randomNormal(shape.x, 0, 1, 'float32', 1) as tf.Tensor4D;
  const filterShape: [number, number, number, number] = [shape.k, shape.k, shape.x[3], shape.o];
  const dyShape = tf.tidy(() => tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, shape.s, 'same').shape);
  const dy = tf.randomNormal(dyShape, 0, 1, 'float32', 2);
  const attrs = { strides: [shape.s, shape.s], pad: 'same', dataFormat: 'NHWC', filterShape };
  const times: Record<string, number[]> = { simd: [], xnnpack: [] };
  for (let r = 0; r <= reps; r++) {
    for (const k of r % 2 ? kernels : [...kernels].reverse()) {
      process.env['CWB_WASM_FILTER_KERNEL'] = k;
      const t0 = performance.now();
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
      await dw.data();
      const ms = performance.now() - t0;
      dw.dispose();
      if (filterKernelStatus()?.kernel !== k) throw new Error(`asked for ${k}, ran ${filterKernelStatus()?.kernel}: ${filterKernelStatus()?.reason}`);
      if (r > 0) times[k]!.push(ms); // the first round warms both up
    }
  }
  tf.dispose([x, dy]);
  const stat = (a: number[]) => {
    const s = [...a].sort((p, q) => p - q);
    return { min: s[0]!, median: s[Math.floor(s.length / 2)]! };
  };
  const simd = stat(times['simd']!);
  const xnnpack = stat(times['xnnpack']!);
  const flops = 2 * dyShape.reduce((p, v) => p * v, 1) * shape.k * shape.k * shape.x[3];
  rows.push({ ...shape, simd, xnnpack, speedup: xnnpack.median / simd.median, simdGflops: flops / simd.min / 1e6 });
}
delete process.env['CWB_WASM_FILTER_KERNEL'];
if (values.json) process.stdout.write(`${JSON.stringify({ load, reps, rows })}\n`);
else {
  const lines = [
    `Conv2DBackpropFilter on wasm, ${reps} alternating calls each, load ${load} at start → ${loadavg()[0]!.toFixed(2)} at end`,
    '| set | x | filter | stride | SIMD ms median / min | XNNPACK ms median / min | XNNPACK / SIMD | SIMD GFLOP/s (min) |',
    '| --- | --- | --- | --: | --: | --: | --: | --: |',
    ...rows.map((r) => `| ${r.set} | ${r.x.join('×')} | ${r.k}×${r.k}×${r.x[3]}×${r.o} | ${r.s} | ${r.simd.median.toFixed(1)} / ${r.simd.min.toFixed(1)} | ${r.xnnpack.median.toFixed(1)} / ${r.xnnpack.min.toFixed(1)} | ${r.speedup.toFixed(2)}× | ${r.simdGflops.toFixed(1)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
