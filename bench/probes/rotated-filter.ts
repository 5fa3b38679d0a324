/**
 * The stride-1 wasm input gradient (Conv2DBackpropInput) on ResNet-18-CIFAR's shapes, N = 16 (2N = 32),
 * against its previous formulation written as tfjs ops — wasm's Reverse + Transpose of the filter, then
 * the same XNNPACK Conv2D — alternating call by call, a fresh filter per call as in training.
 *
 * Usage: tsx bench/probes/rotated-filter.ts
 */
import { loadavg } from 'node:os';
import { initBackend, tf } from '../../src/main/compute/tf';
await initBackend('wasm');
console.log('load', loadavg()[0]!.toFixed(2));
for (const [sp, c] of [[32, 64], [16, 128], [8, 256], [4, 512]] as const) {
  const dy = tf.randomNormal([32, sp, sp, c]) as tf.Tensor4D;
  const t: Record<string, number[]> = { old: [], new: [] };
  for (let r = 0; r < 6; r++) {
    for (const k of r % 2 ? ['old', 'new'] : ['new', 'old']) {
      const w = tf.randomNormal([3, 3, c, c]) as tf.Tensor4D; // a fresh filter per call, as in training
      const t0 = performance.now();
      let dx: tf.Tensor;
      if (k === 'new') dx = tf.conv2dTranspose(dy, w, [32, sp, sp, c], 1, 'same');
      else { const rot = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; dx = tf.conv2d(dy, rot, 1, 'same'); rot.dispose(); }
      dx.dataSync();
      if (r > 0) t[k]!.push(performance.now() - t0);
      tf.dispose([dx, w]);
    }
  }
  const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!.toFixed(1);
  console.log(`32x${sp}x${sp}x${c} 3x3 s1: old (Reverse+Transpose+Conv2D) ${med(t.old!)} ms, new ${med(t.new!)} ms`);
  dy.dispose();
}
console.log('load', loadavg()[0]!.toFixed(2));
