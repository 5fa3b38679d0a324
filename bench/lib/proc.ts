/**
 * Running one benchmark command: a child process whose stdout is exactly one JSON object (the
 * `--json` contract of `cwb`, and of our own probes), timed by wall clock, with the 1/5/15-minute load
 * averages taken just before it starts (the machine is shared, so every figure carries its load).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time, for the peak RSS of commands that do not report it themselves (`cwb train`, import). */
const GNU_TIME = '/usr/bin/time';

export interface Measured<T> {
  value: T;
  wallSeconds: number;
  /** os.loadavg() just before the command started: [1 min, 5 min, 15 min]. */
  load: [number, number, number];
  command: string;
  /** maxRSS of the child in MB when run with `peakRss` and GNU time is installed, else null. */
  peakRssMB: number | null;
}

export class CommandFailed extends Error {}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

export function commandLine(cmd: string, args: string[]): string {
  return [cmd, ...args].map(quote).join(' ');
}

/** Run `cmd args…`, parse the last non-empty stdout line as JSON; reject with the stderr tail. */
export function runJson<T>(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; peakRss?: boolean } = {},
): Promise<Measured<T>> {
  const [l1, l5, l15] = loadavg();
  const load: [number, number, number] = [l1 ?? 0, l5 ?? 0, l15 ?? 0];
  const command = commandLine(cmd, args);
  const rssFile =
    options.peakRss && existsSync(GNU_TIME)
      ? join(tmpdir(), `cwb-bench-rss-${process.pid}-${Date.now()}.txt`)
      : null;
  const [file, argv] = rssFile
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]]
    : [cmd, args];
  const readRss = (): number | null => {
    if (!rssFile || !existsSync(rssFile)) return null;
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    rmSync(rssFile, { force: true });
    return Number.isFinite(kb) ? kb / 1024 : null;
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const peakRssMB = readRss();
      const last = out.trim().split('\n').filter(Boolean).pop();
      if (code !== 0 || !last) {
        const tail = err.trim().split('\n').slice(-3).join(' | ');
        reject(new CommandFailed(`${command} exited ${code ?? signal}: ${tail}`));
        return;
      }
      try {
        resolve({ value: JSON.parse(last) as T, wallSeconds, load, command, peakRssMB });
      } catch {
        reject(new CommandFailed(`${command}: stdout is not JSON: ${last.slice(0, 200)}`));
      }
    });
  });
}
