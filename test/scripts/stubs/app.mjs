#!/usr/bin/env node
// A stand-in for the Electron main process in the start-up handshake tests: behaves as CWB_STUB_MODE (or argv[2]) says.
const mode = process.env['CWB_STUB_MODE'] ?? process.argv[2];
process.stdout.write('booting\n');
if (mode === 'ready') {
  setTimeout(() => process.stdout.write('Contrastive Workbench window ready\n'), 100);
  setTimeout(() => process.exit(0), 300);
} else if (mode === 'fails') {
  process.stderr.write('Contrastive Workbench could not start (store): no better-sqlite3 12.11.1 build for Electron 41.7.1 (linux-x64)\n');
  process.exit(1);
} else if (mode === 'crashes') {
  setTimeout(() => process.kill(process.pid, 'SIGSEGV'), 50);
} else if (mode === 'silent') {
  setInterval(() => undefined, 1000);
} else if (mode === 'stubborn') {
  process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\n'));
  setInterval(() => undefined, 1000);
}
