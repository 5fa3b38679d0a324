/**
 * Checkpoint files: everything a run needs to continue exactly — method state (weights, BatchNorm
 * statistics, banks, queues, prototypes, counters), optimiser slots, and the loop position.
 *
 * Layout: "CWBCKPT1" | u32 header length | JSON header | float32 blobs (8-byte aligned), written to a
 * temp file and renamed, so a crash never leaves a torn checkpoint behind.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../files/atomic-file';

const MAGIC = 'CWBCKPT1';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface CheckpointPosition {
  /** Optimisation steps completed. */
  step: number;
  /** Epoch the next step belongs to. */
  epoch: number;
  /** Batches of `epoch` already consumed. */
  batchInEpoch: number;
}

export interface Checkpoint {
  position: CheckpointPosition;
  method: NamedArray[];
  optimizer: NamedArray[];
  /** Small JSON-able extras (last loss, best kNN accuracy …). */
  extra: Record<string, unknown>;
}

interface Entry {
  name: string;
  group: 'method' | 'optimizer';
  shape: number[];
  offset: number;
  length: number;
}

interface Header {
  version: 1;
  position: CheckpointPosition;
  extra: Record<string, unknown>;
  entries: Entry[];
}

export function writeCheckpoint(file: string, checkpoint: Checkpoint): number {
  const entries: Entry[] = [];
  let offset = 0;
  const arrays: Float32Array[] = [];
  for (const [group, list] of [['method', checkpoint.method], ['optimizer', checkpoint.optimizer]] as const) {
    for (const a of list) {
      entries.push({ name: a.name, group, shape: a.shape, offset, length: a.data.length });
      arrays.push(a.data);
      offset += a.data.length * 4;
    }
  }
  const header: Header = { version: 1, position: checkpoint.position, extra: checkpoint.extra, entries };
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  const pad = Buffer.alloc((8 - ((12 + json.length) % 8)) % 8);
  return writeFileAtomicSync(file, [prefix, json, pad, ...arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength))]);
}

export function readCheckpoint(file: string): Checkpoint {
  const buf = readFileSync(file);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${file} is not a workbench checkpoint`);
  const jsonLength = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + jsonLength)) as Header;
  const base = 12 + jsonLength + ((8 - ((12 + jsonLength) % 8)) % 8);
  const out: Checkpoint = { position: header.position, extra: header.extra, method: [], optimizer: [] };
  for (const e of header.entries) {
    const start = base + e.offset;
    if (start + e.length * 4 > buf.length) throw new Error(`${file} is truncated (entry ${e.name})`);
    // Copy into an aligned buffer: the file buffer's byteOffset need not be 4-aligned.
    const data = new Float32Array(e.length);
    new Uint8Array(data.buffer).set(buf.subarray(start, start + e.length * 4));
    out[e.group].push({ name: e.name, shape: e.shape, data });
  }
  return out;
}
