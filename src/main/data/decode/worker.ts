/**
 * Decode worker: reads a user file (read-only), probes, decodes or thumbnails it with sharp and
 * posts the result back. One task at a time per worker; sharp's own thread pool is set to 1 so a
 * pool of N workers uses about N cores.
 */
import { parentPort } from 'node:worker_threads';
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { decodeToTensor } from './decode';
import { MAX_FILE_BYTES, type DecodeReply, type DecodeRequest } from './protocol';
import { sha256Hex } from '../hash';
import { ImageRejected } from '../image-rejected';
import { probeImage } from './probe';
import { fsErrorReason } from '../reasons';
import { makeThumbnail } from './thumbnail';

sharp.concurrency(1);
sharp.cache(false);

async function readUserFile(file: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) throw new ImageRejected(`file too large (${size} bytes)`);
    if (size === 0) throw new ImageRejected('empty file (0 bytes)');
    return await handle.readFile();
  } catch (err) {
    if (err instanceof ImageRejected) throw err;
    throw new ImageRejected(fsErrorReason(err, 'file'));
  } finally {
    await handle?.close();
  }
}

async function handle(req: DecodeRequest): Promise<DecodeReply> {
  const bytes = await readUserFile(req.path);
  switch (req.kind) {
    case 'probe':
      return { id: req.id, ok: true, kind: 'probe', probe: await probeImage(bytes, req.maxPixels) };
    case 'decode': {
      const hash = sha256Hex(bytes);
      if (req.expectHash !== undefined && hash !== req.expectHash)
        throw new ImageRejected('file changed during import');
      const pixels = await decodeToTensor(bytes, req);
      return { id: req.id, ok: true, kind: 'decode', hash, pixels };
    }
    case 'thumbnail':
      return { id: req.id, ok: true, kind: 'thumbnail', data: await makeThumbnail(bytes, req) };
  }
}

const port = parentPort;
if (port === null) throw new Error('data/decode/worker.ts must run in a worker thread');
port.on('message', (req: DecodeRequest) => {
  handle(req).then(
    (reply) => {
      const transfer =
        reply.ok && reply.kind === 'decode'
          ? [reply.pixels.buffer as ArrayBuffer]
          : reply.ok && reply.kind === 'thumbnail'
            ? [reply.data.buffer as ArrayBuffer]
            : [];
      port.postMessage(reply, transfer);
    },
    (err: unknown) => {
      const rejected = err instanceof ImageRejected;
      const message = err instanceof Error ? err.message : String(err);
      port.postMessage({ id: req.id, ok: false, rejected, message } satisfies DecodeReply);
    },
  );
});
