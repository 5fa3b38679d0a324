import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const outMain = join(root, 'out', 'main');

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

function fresh(): boolean {
  const index = join(outMain, 'index.js');
  return existsSync(index) && existsSync(join(root, 'out', 'preload', 'index.cjs')) && newest(join(root, 'src')) <= statSync(index).mtimeMs;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Build out/ (electron-vite: main, preload, renderer) when it is missing or older than src/. Test files
 * run in parallel: one builds under a lock folder, the others wait for it.
 */
export function ensureBuilt(): void {
  const lock = join(root, 'out', '.build-lock');
  mkdirSync(join(root, 'out'), { recursive: true });
  for (;;) {
    if (fresh() && !existsSync(lock)) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a run that died mid-build is taken over after five minutes.
      const age = existsSync(lock) ? Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) : 0;
      if (age > 300_000) rmSync(lock, { recursive: true, force: true });
      else sleep(500);
    }
  }
  try {
    if (fresh()) return;
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`electron-vite build failed: ${build.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
