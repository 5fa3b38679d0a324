import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { makeImageFolder } from './dataset';
import { type TempHome, useTempHome } from './temp';

const BIN = fileURLToPath(new URL('../../bin/cwb.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real `cwb` entry point in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last non-empty stderr line that came from cwb (native libraries may print warnings first). */
export function cwbErrorLine(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('cwb: '))
    .pop();
}

/**
 * For a test file: a fresh workspace with the tiny two-class dataset imported as dataset 1 through
 * `cwb dataset import` (16 px, a third held out for validation), removed after the file's tests.
 * Read the fields (`home` for `--home`, `root` beside it) inside tests.
 */
export function useCliWorkspace(): TempHome {
  return useTempHome(async (workspace) => {
    const data = await makeImageFolder(join(workspace.root, 'shapes'));
    const r = await runCli(['--home', workspace.home, 'dataset', 'import', data, '--size', '16', '--val-fraction', '0.34', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });
}
