/**
 * TensorBoard event files read back byte by byte: TFRecord framing (lengths, masked CRC-32C of
 * length and data, checked against an independent bitwise CRC), the file_version event, then one
 * Event per step whose Summary holds every metric logged at that step, tags and values intact.
 */
import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../../src/main/export/crc32c';
import { EventType, eventFileName, scalarEventFile } from '../../../src/main/export/tensorboard';
import { metricsCsv, metricsJson } from '../../../src/main/export/metrics-table';
import type { MetricRecord } from '../../../src/main/store/repositories/metrics';

/** Bit-at-a-time CRC-32C, no table: an independent reference for the table-driven one. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const mask = (crc: number): number => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** Split a TFRecord stream, checking every CRC; throws on a bad frame. */
function readRecords(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < file.length) {
    const header = file.subarray(at, at + 8);
    const length = Number(header.readBigUInt64LE());
    expect(file.readUInt32LE(at + 8), `length CRC of record ${out.length}`).toBe(mask(referenceCrc32c(header)));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(data.length).toBe(length);
    expect(file.readUInt32LE(at + 12 + length), `data CRC of record ${out.length}`).toBe(mask(referenceCrc32c(data)));
    out.push(data);
    at += 12 + length + 4;
  }
  expect(at).toBe(file.length);
  return out;
}

const points: MetricRecord[] = [
  { name: 'loss', step: 1, epoch: 0.5, value: 4.25, wallTime: 1_700_000_001.5 },
  { name: 'loss', step: 2, epoch: 1, value: 3.5, wallTime: 1_700_000_002.25 },
  { name: 'knn_accuracy', step: 2, epoch: 1, value: 0.625, wallTime: 1_700_000_003 },
  { name: 'learning_rate', step: 1, epoch: 0.5, value: 0.001, wallTime: null },
];

describe('crc32c', () => {
  it('matches the check value and a bitwise reference', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const random = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 0xff);
    expect(crc32c(random)).toBe(referenceCrc32c(random));
    expect(maskedCrc32c(random)).toBe(mask(referenceCrc32c(random)));
  });
});

describe('scalarEventFile', () => {
  it('frames Events as TFRecords with valid CRCs: file_version first, then one Event per step with its scalars', () => {
    const file = scalarEventFile(points, 1_699_999_999);
    const records = readRecords(file);
    expect(records).toHaveLength(3);
    const events = records.map((r) => EventType.toObject(EventType.decode(r), { longs: Number, defaults: false }) as { wallTime: number; step?: number; fileVersion?: string; summary?: { value: { tag: string; simpleValue: number }[] } });
    expect(events[0]).toMatchObject({ wallTime: 1_699_999_999, fileVersion: 'brain.Event:2' });
    expect(events[0]!.summary).toBeUndefined();
    expect(events[1]!.step).toBe(1);
    expect(events[1]!.wallTime).toBe(1_700_000_001.5);
    const step1 = Object.fromEntries(events[1]!.summary!.value.map((v) => [v.tag, v.simpleValue]));
    expect(step1['loss']).toBe(4.25);
    // simple_value is a float32.
    expect(step1['learning_rate']).toBeCloseTo(0.001, 7);
    expect(events[2]).toMatchObject({ step: 2, wallTime: 1_700_000_003 });
    expect(events[2]!.summary!.value).toEqual([
      { tag: 'loss', simpleValue: 3.5 },
      { tag: 'knn_accuracy', simpleValue: 0.625 },
    ]);
  });

  it('a flipped byte breaks a CRC', () => {
    const file = scalarEventFile(points, 1);
    file[20] = file[20]! ^ 0xff;
    expect(() => readRecords(file)).toThrow(/CRC/);
  });

  it('names files as TensorBoard looks for them', () => {
    expect(eventFileName(1_700_000_000.9, 3)).toBe('events.out.tfevents.1700000000.cwb-run-3');
  });
});

describe('metrics CSV and JSON', () => {
  it('CSV: header step,epoch,name,value,wall_time; rows by step then name; unknown wall time empty', () => {
    expect(metricsCsv(points).split('\n')).toEqual([
      'step,epoch,name,value,wall_time',
      '1,0.5,learning_rate,0.001,',
      '1,0.5,loss,4.25,1700000001.5',
      '2,1,knn_accuracy,0.625,1700000003',
      '2,1,loss,3.5,1700000002.25',
      '',
    ]);
  });

  it('JSON: series per metric name in step order', () => {
    expect(metricsJson(5, points)).toEqual({
      runId: 5,
      metrics: {
        loss: [
          { step: 1, epoch: 0.5, value: 4.25, wallTime: 1_700_000_001.5 },
          { step: 2, epoch: 1, value: 3.5, wallTime: 1_700_000_002.25 },
        ],
        knn_accuracy: [{ step: 2, epoch: 1, value: 0.625, wallTime: 1_700_000_003 }],
        learning_rate: [{ step: 1, epoch: 0.5, value: 0.001, wallTime: null }],
      },
    });
  });
});
