// onnxruntime-node 1.20.1 ships its JavaScript without declarations; its API is onnxruntime-common's
// (same pinned version, installed as its dependency), plus the CPU backend it registers on load.
declare module 'onnxruntime-node' {
  export * from 'onnxruntime-common';
}
