// electron-builder afterPack hook (electron-builder.yml): onnxruntime-node and Dawn (`webgpu`) ship
// their native binaries for every OS; an installer keeps those of its own OS only (~150 MB less).
// Runs before signing, so a macOS signature covers what is left.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Remove the entries of `dir` that `keep(name)` rejects; returns the removed names. */
function prune(dir, keep) {
  if (!existsSync(dir)) return [];
  const removed = readdirSync(dir).filter((name) => !keep(name));
  for (const name of removed) rmSync(join(dir, name), { recursive: true, force: true });
  return removed;
}

export function pruneForeignBinaries(appDir, platform) {
  const os = platform === 'mas' ? 'darwin' : platform;
  const modules = join(appDir, 'node_modules');
  return [
    ...prune(join(modules, 'onnxruntime-node', 'bin', 'napi-v3'), (name) => name === os),
    ...prune(join(modules, 'webgpu', 'dist'), (name) => name.startsWith(`${os}-`) || !/^(darwin|linux|win32)-/.test(name)),
  ];
}

export default async function afterPack(context) {
  const appDir = join(context.packager.getResourcesDir(context.appOutDir), 'app');
  pruneForeignBinaries(appDir, context.electronPlatformName);
}
