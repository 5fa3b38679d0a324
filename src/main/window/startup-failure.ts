/**
 * Start-up failures of the desktop app, each named by the stage it happened in. Whatever fails before
 * the window is ready ends the same way: one line in the log file and on stderr, a native error dialog
 * with the reason, and a non-zero exit — never a process that keeps running with no window.
 */
export const STARTUP_STAGES = ['workspace', 'store', 'engine worker', 'preload', 'window load'] as const;
export type StartupStage = (typeof STARTUP_STAGES)[number];

/** The first words of the failure line on stderr; scripts/start.mjs looks for them. */
export const STARTUP_FAILURE_PREFIX = 'Contrastive Workbench could not start';

export class StartupError extends Error {
  constructor(
    readonly stage: StartupStage,
    readonly reason: string,
    /** The WorkbenchError code behind it, when there was one (STORE_ERROR decides the exit code). */
    readonly code?: string,
  ) {
    super(`${stage}: ${reason}`);
    this.name = 'StartupError';
  }
}

/** 5 for a damaged or foreign store (the same code `cwb` exits with), 1 for anything else. */
export function startupExitCode(err: unknown): number {
  const code = err instanceof StartupError ? err.code : (err as { code?: unknown } | null)?.code;
  return code === 'STORE_ERROR' ? 5 : 1;
}

/** Run one start-up stage; any throw or rejection becomes a StartupError naming the stage. */
export async function startupStage<T>(stage: StartupStage, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof StartupError) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    throw new StartupError(stage, err instanceof Error ? err.message : String(err), typeof code === 'string' ? code : undefined);
  }
}

/** Reject with `message` when `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `Contrastive Workbench could not start (store): <reason>` — one line, whatever the error was. */
export function startupFailureLine(err: unknown): string {
  const stage = err instanceof StartupError ? ` (${err.stage})` : '';
  const reason = err instanceof StartupError ? err.reason : err instanceof Error ? err.message : String(err);
  return `${STARTUP_FAILURE_PREFIX}${stage}: ${reason.replace(/\s*\r?\n\s*/g, ' ')}`;
}

export interface FailureSinks {
  /** Append the line to the log file; returns the file's path (or undefined when no log could be written). */
  log: (line: string) => string | undefined;
  stderr: (text: string) => void;
  showErrorBox: (title: string, content: string) => void;
  exit: (code: number) => void;
}

/** Log, print, show, exit (5 for a damaged store, else 1) — in that order, each step even if an earlier one threw. */
export function reportStartupFailure(err: unknown, sinks: FailureSinks): void {
  const line = startupFailureLine(err);
  let logPath: string | undefined;
  try {
    logPath = sinks.log(line);
  } catch {
    logPath = undefined;
  }
  try {
    sinks.stderr(`${line}\n`);
    sinks.showErrorBox(STARTUP_FAILURE_PREFIX, `${line.slice(STARTUP_FAILURE_PREFIX.length).replace(/^[^:]*:\s*/, '')}\n\n${logPath ? `Log: ${logPath}` : 'No log file could be written.'}`);
  } finally {
    sinks.exit(startupExitCode(err));
  }
}
