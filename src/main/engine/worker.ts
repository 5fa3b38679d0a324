/**
 * The engine worker: one long-lived worker_thread that owns tfjs. It serves requests from
 * `EngineClient` one message at a time and never lets an exception escape as a crash.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorShape } from '../../shared/errors';
import { HANDLERS } from './handlers';
import type { FromWorker, SerializedError, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('engine/worker.ts must run inside a worker thread');

const running = new Map<number, AbortController>();

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function serialize(err: unknown): SerializedError {
  const shape = toErrorShape(err);
  const out: SerializedError = { ...shape, name: err instanceof Error ? err.name : 'Error' };
  if (err instanceof Error && err.stack) out.stack = err.stack;
  return out;
}

async function serve(message: Extract<ToWorker, { type: 'request' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.seq, controller);
  try {
    const handler = HANDLERS[message.method] as
      | ((params: unknown, ctx: { signal: AbortSignal; emit: (e: string, p: unknown) => void }) => Promise<unknown>)
      | undefined;
    if (!handler) throw Object.assign(new Error(`unknown engine method "${message.method}"`), { code: 'UNKNOWN_CHANNEL' });
    const result = await handler(message.params, {
      signal: controller.signal,
      emit: (event, payload) => post({ type: 'event', seq: message.seq, event, payload }),
    });
    post({ type: 'reply', seq: message.seq, ok: true, result });
  } catch (err) {
    post({ type: 'reply', seq: message.seq, ok: false, error: serialize(err) });
  } finally {
    running.delete(message.seq);
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    running.get(message.seq)?.abort();
    return;
  }
  void serve(message);
});
