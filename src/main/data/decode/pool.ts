import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../workers/spawn-worker';
import { DatasetImportError } from '../errors';
import type { DecodeReply, DecodeRequest } from './protocol';
import { ImageRejected } from '../image-rejected';
import type { ProbeResult } from './probe';

type Task = {
  req: DecodeRequest;
  resolve: (reply: DecodeReply & { ok: true }) => void;
  reject: (err: Error) => void;
  signal: AbortSignal | undefined;
};

type Slot = { worker: Worker; task: Task | null };

/** Request without the id the pool assigns (distributive over the union). */
type NewRequest = DecodeRequest extends infer R
  ? R extends DecodeRequest
    ? Omit<R, 'id'>
    : never
  : never;

/** Default: one worker per core, at most 4 (sharp in each worker uses one thread). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/**
 * A small pool of decode workers so the calling thread never runs sharp. Tasks are queued FIFO;
 * a bad file rejects with `ImageRejected` (its message is the user-facing reason); a worker that
 * crashes rejects its task with a reason and is replaced. Call `close()` when done.
 */
export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number = defaultPoolSize()) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new RangeError(`pool size must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  probe(path: string, maxPixels: number, signal?: AbortSignal): Promise<ProbeResult> {
    return this.run({ kind: 'probe', path, maxPixels }, signal).then(
      (r) => (r as Extract<DecodeReply, { kind: 'probe' }>).probe,
    );
  }

  decode(
    path: string,
    opts: { size: number; channels: 1 | 3; maxPixels: number; expectHash?: string },
    signal?: AbortSignal,
  ): Promise<{ hash: string; pixels: Uint8Array }> {
    return this.run({ kind: 'decode', path, ...opts }, signal).then((r) => {
      const { hash, pixels } = r as Extract<DecodeReply, { kind: 'decode' }>;
      return { hash, pixels };
    });
  }

  /** A small WebP (default) or JPEG of the image for the UI. */
  thumbnail(
    path: string,
    opts: { maxSide?: number; format?: 'webp' | 'jpeg'; quality?: number; maxPixels?: number } = {},
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const req = {
      kind: 'thumbnail' as const,
      path,
      maxSide: opts.maxSide ?? 128,
      format: opts.format ?? 'webp',
      quality: opts.quality ?? 75,
      maxPixels: opts.maxPixels ?? DEFAULT_MAX_PIXELS,
    };
    return this.run(req, signal).then(
      (r) => (r as Extract<DecodeReply, { kind: 'thumbnail' }>).data,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0))
      task.reject(new DatasetImportError('aborted', 'decode pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private run(
    req: NewRequest,
    signal: AbortSignal | undefined,
  ): Promise<DecodeReply & { ok: true }> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new DatasetImportError('aborted', 'decode pool closed'));
      if (signal?.aborted) return reject(new DatasetImportError('aborted', 'import cancelled'));
      this.queue.push({
        req: { ...req, id: this.nextId++ } as DecodeRequest,
        resolve,
        reject,
        signal,
      });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task !== null) continue;
      let task = this.queue.shift();
      while (task?.signal?.aborted) {
        task.reject(new DatasetImportError('aborted', 'import cancelled'));
        task = this.queue.shift();
      }
      if (task === undefined) return;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage(task.req);
    }
  }

  private spawn(): Slot {
    // From source (tsx, vitest) the worker is worker.ts beside this module; built, it is the
    // decode-worker.js entry beside the bundle this module is part of (electron.vite.config.ts).
    const fromSource = import.meta.url.endsWith('.ts');
    const worker = spawnWorker(new URL(fromSource ? './worker.ts' : './decode-worker.js', import.meta.url));
    worker.unref();
    const slot: Slot = { worker, task: null };
    worker.on('message', (reply: DecodeReply) => {
      const task = slot.task;
      if (task === null || task.req.id !== reply.id) return;
      slot.task = null;
      worker.unref();
      if (reply.ok) task.resolve(reply);
      else
        task.reject(reply.rejected ? new ImageRejected(reply.message) : new Error(reply.message));
      this.pump();
    });
    const onDeath = (err?: Error): void => {
      const task = slot.task;
      slot.task = null;
      if (this.closed) return;
      task?.reject(
        new ImageRejected(`the decoder crashed on this file${err ? ` (${err.message})` : ''}`),
      );
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.pump();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => {
      if (code !== 0 && !this.closed) onDeath();
    });
    return slot;
  }
}

/** Default decompression-bomb limit: 100 megapixels (e.g. 10000×10000). */
export const DEFAULT_MAX_PIXELS = 100_000_000;
