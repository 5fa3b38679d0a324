/**
 * The commands the suites run: `cwb` from this checkout (bin/cwb.mjs through tsx, the same code path
 * as `npx --no-install cwb`), our bench probes (tsx scripts) and the PyTorch peer (Debian's
 * python3-torch, so /usr/bin/python3 and not a pyenv python on PATH).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandFailed, runJson, type Measured } from './proc';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PYTHON = process.env['CWB_BENCH_PYTHON'] ?? '/usr/bin/python3';
const CWB = join(REPO, 'bin', 'cwb.mjs');
const TSX = join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** A throw-away workspace (`--home`) per benchmark command; removed afterwards. */
export function tempHome(prefix = 'cwb-bench-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function cwb<T>(home: string, args: string[], peakRss = false): Promise<Measured<T>> {
  return runJson<T>(process.execPath, [CWB, '--home', home, ...args, '--json'], {
    cwd: REPO,
    peakRss,
  });
}

/** A TypeScript probe under bench/ (e.g. bench/probes/event-loop.ts), run with tsx. */
export function probe<T>(script: string, args: string[], peakRss = false): Promise<Measured<T>> {
  return runJson<T>(process.execPath, [TSX, join(REPO, 'bench', script), ...args], {
    cwd: REPO,
    peakRss,
  });
}

export function python<T>(script: string, args: string[]): Promise<Measured<T>> {
  return runJson<T>(PYTHON, [join(REPO, 'bench', script), ...args], { cwd: REPO });
}

export interface Attempt<T> {
  runs: Measured<T>[];
  errors: string[];
}

/**
 * Run `once` `times` times in sequence (never in parallel: there are two cores). A failure is kept as
 * text, not thrown, so one case that does not fit in memory does not hide the rest of the suite.
 */
export async function repeat<T>(
  times: number,
  label: string,
  once: () => Promise<Measured<T>>,
): Promise<Attempt<T>> {
  const runs: Measured<T>[] = [];
  const errors: string[] = [];
  for (let i = 0; i < times; i += 1) {
    process.stderr.write(`[bench] ${label} run ${i + 1}/${times} …`);
    try {
      const m = await once();
      runs.push(m);
      process.stderr.write(` ${m.wallSeconds.toFixed(1)} s (load ${m.load[0].toFixed(2)})\n`);
    } catch (err) {
      const text = err instanceof CommandFailed ? err.message : String(err);
      errors.push(text);
      process.stderr.write(` FAILED\n[bench]   ${text}\n`);
      break; // a case that fails once (e.g. out of wasm memory) fails every time; move on
    }
  }
  return { runs, errors };
}
