import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread from a module URL: a built `.js` entry directly, a `.ts` source (tsx,
 * vitest) through a bootstrap that registers tsx inside the worker first.
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), {
    ...options,
    argv: [entry.href, ...(options.argv ?? [])],
  });
}
