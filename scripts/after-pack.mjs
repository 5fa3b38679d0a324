// electron-builder afterPack hook (electron-builder.yml): onnxruntime-node and Dawn (`webgpu`) ship
// their native binaries for every OS; an installer keeps those of its own OS only (~150 MB less).
// Then every packaged native module bound to one V8 ABI (better-sqlite3) must be built for the bundled
// Electron's: electron-builder's rebuild can "succeed" with the wrong one (see scripts/dist.mjs), and
// Electron would refuse the file at the user's first launch. Runs before signing, so a macOS signature
// covers what is left.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { electronAbi, registeredAbi } from './native-abi.mjs';

export { electronAbi };

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

function nativeFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.node'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The packaged `.node` files registered for a V8 ABI (`node_register_module_v<N>`) other than `abi`, each
 * as one line; N-API modules (sharp, onnxruntime-node, Dawn) carry no such symbol and are never listed.
 */
export function wrongAbiModules(appDir, abi) {
  const problems = [];
  for (const file of nativeFiles(join(appDir, 'node_modules'))) {
    const found = registeredAbi(file);
    if (found !== null && found !== String(abi)) problems.push(`${relative(appDir, file)} is built for NODE_MODULE_VERSION ${found}, the bundled Electron needs ${abi}`);
  }
  return problems;
}

export default async function afterPack(context) {
  const appDir = join(context.packager.getResourcesDir(context.appOutDir), 'app');
  pruneForeignBinaries(appDir, context.electronPlatformName);
  if (context.packager.config.npmRebuild === false) {
    process.stderr.write('afterPack: npmRebuild is off, native modules were not rebuilt for Electron (not an installer for users)\n');
    return;
  }
  const electron = context.packager.info.framework.version;
  const problems = wrongAbiModules(appDir, electronAbi(electron));
  if (problems.length > 0) throw new Error(`native modules not rebuilt for Electron ${electron}: ${problems.join('; ')}`);
}
