/**
 * Kernels some backends lack, registered right after the backend is activated.
 *
 * Each entry is a function that registers what `backend` is missing (for example tfjs-backend-wasm
 * 4.22 has no `Conv2DBackpropFilter`, so convolution training fails there until it is supplied, and its
 * `OneHot` returns int bit patterns for float dtypes) or has too slow (its loop `Conv2DBackpropInput` and `Tile`,
 * its copying `Identity`, its scalar-loop `BatchMatMul` of transposed operands).
 * Patches only ever add kernels for the backend they name, so other backends' results do not change.
 */
import type { BackendName } from '../backend-names';
import { registerWasmBatchMatMul } from './batch-mat-mul-wasm';
import { registerWasmConv2D } from './conv2d-wasm';
import { registerWasmConv2DBackpropFilter } from './conv2d-backprop-filter-wasm';
import { registerWasmConv2DBackpropInput } from './conv2d-backprop-input-wasm';
import { registerWasmIdentity } from './identity-wasm';
import { registerWasmOneHotFloatFix } from './one-hot-float-wasm';
import { registerWasmTile } from './tile-wasm';

type KernelPatch = (backend: BackendName) => void;

const patches: KernelPatch[] = [
  (backend) => {
    if (backend === 'wasm') {
      registerWasmConv2D();
      registerWasmConv2DBackpropFilter();
      registerWasmConv2DBackpropInput();
      registerWasmOneHotFloatFix();
      registerWasmTile();
      registerWasmIdentity();
      registerWasmBatchMatMul();
    }
  },
];

export function registerMissingKernels(backend: BackendName): void {
  for (const patch of patches) patch(backend);
}
