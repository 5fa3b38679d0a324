/** The compute backends in the order they are tried (ARCHITECTURE.md → "One tfjs"). */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
