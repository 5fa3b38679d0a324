/**
 * TensorBoard scalar event files: a TFRecord stream (per record: uint64 length, uint32 masked
 * CRC-32C of the length, the bytes, uint32 masked CRC-32C of the bytes; all little-endian) of
 * `tensorflow.Event` protobufs — first `file_version: "brain.Event:2"`, then one Event per step with
 * a `Summary` of `simple_value` scalars tagged by metric name. Field numbers from TensorFlow's
 * event.proto and summary.proto; encoding goes through protobufjs.
 */
import protobuf from 'protobufjs';
import type { MetricRecord } from '../store/repositories/metrics';
import { maskedCrc32c } from './crc32c';

const descriptor = {
  nested: {
    tensorflow: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
              },
            },
          },
        },
      },
    },
  },
};

export const EventType = protobuf.Root.fromJSON(descriptor).lookupType('tensorflow.Event');

export interface ScalarEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: { tag: string; simpleValue: number }[] };
}

/** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
export function tfRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(BigInt(data.length));
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  header.copy(out, 0);
  out.writeUInt32LE(maskedCrc32c(header), 8);
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

function encodeEvent(event: ScalarEvent): Uint8Array {
  const problem = EventType.verify(event);
  if (problem) throw new Error(`TensorBoard event does not match event.proto: ${problem}`);
  return EventType.encode(EventType.fromObject(event)).finish();
}

/**
 * The bytes of an event file holding `points` as scalars: one Event per step (all metrics logged at
 * that step in its Summary), steps ascending. A point without a wall time gets `fallbackWallTime`.
 */
export function scalarEventFile(points: readonly MetricRecord[], fallbackWallTime: number): Buffer {
  const bySteps = new Map<number, MetricRecord[]>();
  for (const p of points) {
    const list = bySteps.get(p.step);
    if (list) list.push(p);
    else bySteps.set(p.step, [p]);
  }
  const records: Buffer[] = [tfRecord(encodeEvent({ wallTime: fallbackWallTime, step: 0, fileVersion: 'brain.Event:2' }))];
  for (const step of [...bySteps.keys()].sort((a, b) => a - b)) {
    const at = bySteps.get(step)!;
    const wallTime = Math.max(...at.map((p) => p.wallTime ?? fallbackWallTime));
    records.push(tfRecord(encodeEvent({ wallTime, step, summary: { value: at.map((p) => ({ tag: p.name, simpleValue: p.value })) } })));
  }
  return Buffer.concat(records);
}

/** TensorBoard's file name pattern: `events.out.tfevents.<seconds>.<host>`; the run id stands in for the host. */
export function eventFileName(wallTime: number, runId: number): string {
  return `events.out.tfevents.${Math.floor(wallTime)}.cwb-run-${runId}`;
}
