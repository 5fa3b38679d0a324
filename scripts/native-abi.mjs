// Which V8 ABI a native module is built for, and which one an Electron version needs: shared by the
// packaging check (scripts/after-pack.mjs) and the development cache (scripts/electron-native.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Electron's NODE_MODULE_VERSION (a string, as node-abi gives it), from the node-abi electron-builder's own rebuild uses. */
export function electronAbi(electronVersion) {
  const require = createRequire(import.meta.url);
  const fromRebuild = createRequire(require.resolve('@electron/rebuild'));
  return String(fromRebuild('node-abi').getAbi(electronVersion, 'electron'));
}

/**
 * The NODE_MODULE_VERSION a `.node` file registers for (`node_register_module_v<N>`), or null for an
 * N-API module (sharp, onnxruntime-node, Dawn), which loads under any runtime.
 */
export function registeredAbi(file) {
  return readFileSync(file).toString('latin1').match(/node_register_module_v(\d+)/)?.[1] ?? null;
}
