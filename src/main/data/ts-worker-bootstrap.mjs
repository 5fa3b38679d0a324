// Starts a TypeScript worker when running from source under tsx/vitest. On Node 20,
// `execArgv: ['--import', 'tsx']` does not reach worker threads, so the worker registers tsx's
// loader itself and then imports the real entry, passed as argv[2] (a file: URL).
import { register } from 'tsx/esm/api';

register();
const entry = process.argv[2];
if (!entry) throw new Error('ts-worker-bootstrap: missing worker entry URL');
await import(entry);
