/**
 * CLI output discipline (ARCHITECTURE.md): with --json exactly one JSON object on stdout; progress
 * and human text on stderr; failures one clear line on stderr and a non-zero exit code.
 */
export interface Output {
  json: boolean;
  /** The command's result: JSON on stdout with --json, else `human(result)` on stdout. */
  result<T>(value: T, human: (value: T) => string): void;
  /** A progress report on stderr (a bar on a terminal, sparse lines otherwise). */
  progress(label: string, done: number, total: number): void;
  info(line: string): void;
  /** One live status line on stderr: rewritten in place on a terminal, every few seconds otherwise. */
  live(text: string): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  let lastLine = '';
  let lastPercent = -1;
  let lastLiveAt = 0;
  const tty = Boolean(stderr.isTTY);
  return {
    json,
    result(value, human) {
      if (tty && lastLine) stderr.write('\n');
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${human(value)}\n`);
    },
    progress(label, done, total) {
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const percent = Math.floor(fraction * 100);
      if (tty) {
        const width = 28;
        const filled = Math.round(fraction * width);
        lastLine = `\r${label.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${done}/${total}`;
        stderr.write(lastLine);
        return;
      }
      // Not a terminal (CI logs, pipes): one line per label change or 25 % step.
      const key = `${label}:${Math.floor(percent / 25)}`;
      if (key !== lastLine || (percent === 100 && lastPercent !== 100)) {
        stderr.write(`${label} ${percent}% (${done}/${total})\n`);
        lastLine = key;
      }
      lastPercent = percent;
    },
    live(text) {
      if (tty) {
        lastLine = `\r${text.padEnd(100)}`;
        stderr.write(lastLine);
        return;
      }
      const now = Date.now();
      if (now - lastLiveAt >= 5000) {
        stderr.write(`${text}\n`);
        lastLiveAt = now;
      }
    },
    info(line) {
      if (tty && lastLine.startsWith('\r')) {
        stderr.write('\n');
        lastLine = '';
      }
      stderr.write(`${line}\n`);
    },
  };
}
