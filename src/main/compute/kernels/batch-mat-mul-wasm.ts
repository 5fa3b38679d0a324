/**
 * `BatchMatMul` with a transposed operand for tfjs-backend-wasm 4.22: its kernel sends any
 * transposeA / transposeB product to a scalar C++ triple loop and only the plain product to XNNPACK.
 * Every Dense layer's backward pass is such a product (dx = dy·Wᵀ, dW = xᵀ·dy), as is a similarity
 * matrix z·zᵀ, so a SimCLR step spent ~40 ms in that loop. Here a transposed operand of an unbatched
 * product is transposed explicitly (a small copy) and the product runs on XNNPACK. Batched products
 * go to the original kernel, whose XNNPACK path is unbatched only. Exact up to float32 summation
 * order. Registered for wasm only.
 */
import {
  installWasmKernel,
  wasmKernel,
  wasmKernelToReplace,
  type RawKernel,
  type TensorInfo,
  type WasmBackendLike,
} from './wasm-kernel-call';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

function batchSize(t: TensorInfo): number {
  return t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

export function registerWasmBatchMatMul(): void {
  const original = wasmKernelToReplace('BatchMatMul');
  if (!original) return;

  const batchMatMul = (args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    backend: unknown;
    attrs: BatchMatMulAttrs;
  }): TensorInfo => {
    const { inputs, attrs } = args;
    const backend = args.backend as WasmBackendLike;
    const { a, b } = inputs;
    if (
      (!attrs.transposeA && !attrs.transposeB) ||
      batchSize(a) !== 1 ||
      batchSize(b) !== 1 ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32'
    ) {
      return original(args as unknown as Parameters<RawKernel>[0]);
    }
    const transpose = wasmKernel('Transpose');
    const swapLastTwo = (t: TensorInfo): TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      const n = perm.length;
      [perm[n - 2], perm[n - 1]] = [perm[n - 1]!, perm[n - 2]!];
      return transpose({ inputs: { x: t }, backend, attrs: { perm } });
    };
    const temporaries: TensorInfo[] = [];
    const plainA = attrs.transposeA ? swapLastTwo(a) : a;
    const plainB = attrs.transposeB ? swapLastTwo(b) : b;
    if (plainA !== a) temporaries.push(plainA);
    if (plainB !== b) temporaries.push(plainB);
    const out = original({
      inputs: { a: plainA, b: plainB },
      backend,
      attrs: { transposeA: false, transposeB: false },
    });
    for (const t of temporaries) backend.disposeData(t.dataId);
    return out;
  };
  installWasmKernel('BatchMatMul', batchMatMul);
}
