/**
 * The tfjs namespace, imported once for the compute layer.
 *
 * `tf.ts` (backend choice, the one place that loads backend packages) and the wasm kernels it
 * registers both need the namespace; if the kernels took it from `tf.ts`, `tf.ts` ⇄ `kernels/` would be
 * an import cycle. Everything outside `compute/` keeps importing `{ tf }` from `./tf`.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
