/**
 * The main-process side of the engine worker: starts it lazily, matches replies to requests by
 * sequence id, forwards progress events, cancels through an AbortSignal and fails every pending call
 * with a clear error when the worker dies (instead of hanging).
 */
import type { Worker } from 'node:worker_threads';
import { WorkbenchError } from '../../shared/errors';
import { spawnWorker } from '../workers/spawn-worker';
import type { EngineEvent, EngineMethod, EngineParams, EngineResult, FromWorker, ToWorker } from './protocol';

export interface CallOptions<M extends EngineMethod> {
  signal?: AbortSignal;
  /** The request's events, typed by its method (`EngineMethods[M]['events']`). */
  onEvent?: (e: EngineEvent<M>) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  /** The worker emits only the events its handler's `HandlerContext<M>` allows. */
  onEvent?: (e: { event: string; payload: unknown }) => void;
}

/** Where the worker script is: the .ts source under tsx, the bundled .js in a build. */
export function defaultWorkerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./worker.${ext}`, import.meta.url);
}

export class EngineClient {
  private worker: Worker | undefined;
  private nextSeq = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly workerUrl: URL = defaultWorkerUrl()) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(this.workerUrl, { env: process.env });
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (err) => this.failAll(new WorkbenchError('INTERNAL', `engine worker crashed: ${err.message}`)));
    worker.on('exit', (code) => {
      this.worker = undefined;
      if (this.pending.size > 0) {
        this.failAll(new WorkbenchError('INTERNAL', `engine worker exited (code ${code}) while requests were pending`));
      }
    });
    // The worker must not keep a CLI process alive once no request is pending.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    const pending = this.pending.get(message.seq);
    if (!pending) return;
    if (message.type === 'event') {
      pending.onEvent?.({ event: message.event, payload: message.payload });
      return;
    }
    this.pending.delete(message.seq);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.ok) pending.resolve(message.result);
    else {
      const err = new WorkbenchError(message.error.code, message.error.message, message.error.details);
      if (message.error.stack) err.stack = message.error.stack;
      pending.reject(err);
    }
  }

  private failAll(err: Error): void {
    for (const [seq, pending] of this.pending) {
      this.pending.delete(seq);
      pending.reject(err);
    }
  }

  call<M extends EngineMethod>(method: M, params: EngineParams<M>, options: CallOptions<M> = {}): Promise<EngineResult<M>> {
    if (options.signal?.aborted) return Promise.reject(new WorkbenchError('CANCELLED', 'cancelled'));
    const worker = this.start();
    worker.ref();
    const seq = this.nextSeq++;
    return new Promise<EngineResult<M>>((resolve, reject) => {
      const pending: Pending = { resolve: resolve as (v: unknown) => void, reject };
      if (options.onEvent) pending.onEvent = options.onEvent as (e: { event: string; payload: unknown }) => void;
      this.pending.set(seq, pending);
      options.signal?.addEventListener('abort', () => this.send({ type: 'cancel', seq }), { once: true });
      this.send({ type: 'request', seq, method, params });
    });
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new WorkbenchError('CANCELLED', 'engine closed'));
    if (worker) await worker.terminate();
  }
}
