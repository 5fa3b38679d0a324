/** What the numbers were measured on: CPU, cores, memory, OS, Node, tfjs packages, PyTorch. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { createRequire } from 'node:module';

export interface MachineInfo {
  cpu: string;
  logicalCores: number;
  memoryGB: number;
  os: string;
  node: string;
  packages: Record<string, string>;
  pytorch: string;
  gitCommit: string;
}

const require = createRequire(import.meta.url);

function version(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(text)?.[1] ?? `Linux ${release()}`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unavailable';
  }
}

export function machineInfo(python: string): MachineInfo {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    logicalCores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${osName()}, kernel ${release()}`,
    node: process.versions.node,
    packages: Object.fromEntries(
      ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'sharp', 'better-sqlite3'].map((n) => [
        n,
        version(n),
      ]),
    ),
    pytorch: quiet(python, ['-c', 'import torch; print(torch.__version__)']),
    // A --at-commit snapshot has no .git; run.ts passes the commit it archived.
    gitCommit: process.env['CWB_BENCH_COMMIT'] ?? quiet('git', ['rev-parse', '--short', 'HEAD']),
  };
}
