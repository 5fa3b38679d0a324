/**
 * Kernels some backends lack, registered right after the backend is activated.
 *
 * Each entry is a function that registers what `backend` is missing (for example tfjs-backend-wasm
 * 4.22 has no `Conv2DBackpropFilter`, so convolution training fails there until it is supplied).
 */
import type { BackendName } from '../tf';

type KernelPatch = (backend: BackendName) => void;

const patches: KernelPatch[] = [];

export function registerMissingKernels(backend: BackendName): void {
  for (const patch of patches) patch(backend);
}
