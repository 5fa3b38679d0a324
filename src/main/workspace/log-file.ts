/**
 * The workbench's log: `<workspace>/logs/workbench.log`, rotated by size so it never grows without
 * bound (`workbench.log` → `.1` → … → `.<keep>`, the oldest dropped). Written synchronously: the log
 * is small, and a start-up failure must be on disk before the process exits.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LOG_FILE_NAME = 'workbench.log';

/** Where a workspace keeps its log (shown by `cwb doctor` and the desktop app's Help menu). */
export function logFilePath(home: string): string {
  return join(home, 'logs', LOG_FILE_NAME);
}

export interface LogFileOptions {
  /** Rotate once the file would pass this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept beside the current one (default 3). */
  keep?: number;
  now?: () => Date;
}

export class LogFile {
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => Date;

  constructor(
    readonly path: string,
    options: LogFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 3;
    this.now = options.now ?? (() => new Date());
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Append one line `<ISO time> <level> <message>` (newlines in the message become spaces). */
  write(level: 'info' | 'warn' | 'error', message: string): void {
    const line = `${this.now().toISOString()} ${level.toUpperCase()} ${message.replace(/\r?\n/g, ' ')}\n`;
    if (this.size() + Buffer.byteLength(line) > this.maxBytes) this.rotate();
    appendFileSync(this.path, line);
  }

  private size(): number {
    return existsSync(this.path) ? statSync(this.path).size : 0;
  }

  private rotate(): void {
    if (!existsSync(this.path)) return;
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i -= 1) {
      if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    if (this.keep > 0) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
  }
}
