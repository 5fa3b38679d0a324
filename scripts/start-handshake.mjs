// The start-up handshake between `npm start` (scripts/start.mjs) and the Electron main process.
// The app prints READY_LINE on stdout when its window has loaded (src/main/window/ready.ts), or one
// line starting with FAILURE_PREFIX on stderr before exiting non-zero (src/main/window/startup-failure.ts).
// waitForWindow() settles on whichever comes first — ready, exit, or the deadline (then the child is
// killed) — so `npm start` never waits on a process that shows nothing.

/** Keep equal to WINDOW_READY_LINE and STARTUP_FAILURE_PREFIX in src/main/window (a test checks). */
export const READY_LINE = 'Contrastive Workbench window ready';
export const FAILURE_PREFIX = 'Contrastive Workbench could not start';

function eachLine(stream, onLine) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    let at;
    while ((at = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, at).replace(/\r$/, ''));
      buffered = buffered.slice(at + 1);
    }
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
  });
}

/**
 * Watch a spawned app (stdout and stderr piped). Resolves `{ ready: true }` on READY_LINE, or
 * `{ ready: false, reason }` when it exits, fails to spawn or stays silent past `timeoutMs` (it is then
 * sent SIGTERM, and SIGKILL `killGraceMs` later). Other output is passed to `out` / `err`.
 */
export function waitForWindow(child, { timeoutMs, killGraceMs = 3000, out = (line) => process.stdout.write(`${line}\n`), err = (line) => process.stderr.write(`${line}\n`) }) {
  return new Promise((resolve) => {
    let settled = false;
    let failure;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      if (settled) return;
      const reason = `no window within ${Math.round(timeoutMs / 1000)} s`;
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      child.once('exit', () => {
        clearTimeout(hard);
        settle({ ready: false, reason });
      });
    }, timeoutMs);
    eachLine(child.stdout, (line) => {
      if (line.trim() === READY_LINE) settle({ ready: true });
      else out(line);
    });
    eachLine(child.stderr, (line) => {
      if (line.startsWith(FAILURE_PREFIX)) failure = line.slice(FAILURE_PREFIX.length).replace(/^\s*/, '').replace(/^\((.*?)\):\s*/, '$1: ').replace(/^:\s*/, '');
      else err(line);
    });
    child.once('error', (error) => settle({ ready: false, reason: `Electron did not start: ${error.message}` }));
    child.once('close', (code, signal) => {
      if (failure) settle({ ready: false, reason: failure });
      else if (signal) settle({ ready: false, reason: `Electron was ended by ${signal} before its window was ready` });
      else settle({ ready: false, reason: `Electron exited with code ${code} before its window was ready` });
    });
  });
}
