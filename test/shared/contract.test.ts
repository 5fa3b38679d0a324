import { describe, expect, it } from 'vitest';
import { CALLS, CALL_CHANNELS, isCallChannel } from '../../src/shared/api';
import { EVENTS, EVENT_CHANNELS } from '../../src/shared/events';
import { fromErrorShape, toErrorShape, WorkbenchError } from '../../src/shared/errors';
import { ImportDatasetRequestSchema } from '../../src/shared/schemas/datasets';
import { parseOrThrow } from '../../src/shared/validate';

describe('the contract', () => {
  it('names every call and event domain:action', () => {
    for (const channel of [...CALL_CHANNELS, ...EVENT_CHANNELS]) expect(channel).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('gives every call its own preload function and every event its own onX', () => {
    const methods = CALL_CHANNELS.map((c) => CALLS[c].method);
    expect(new Set(methods).size).toBe(methods.length);
    for (const e of EVENT_CHANNELS) expect(EVENTS[e].listener).toMatch(/^on[A-Z]/);
  });

  it('validates a saved experiment with the very schema a started run uses', () => {
    expect(CALLS['experiments:save'].request).toBe(CALLS['runs:start'].request);
  });

  it('knows its channels and nothing else', () => {
    expect(isCallChannel('datasets:list')).toBe(true);
    expect(isCallChannel('datasets:drop-table')).toBe(false);
    expect(isCallChannel('toString')).toBe(false);
  });

  it('fills import defaults and rejects unknown or out-of-range fields with a readable message', () => {
    expect(ImportDatasetRequestSchema.parse({ dir: '/x' })).toEqual({ dir: '/x', size: 64, valFraction: 0.1, seed: 0, groups: 'none' });
    expect(() => parseOrThrow(ImportDatasetRequestSchema, { dir: '/x', size: 3 }, 'import')).toThrow(/invalid import: size: /);
    expect(() => parseOrThrow(ImportDatasetRequestSchema, { dir: '/x', evil: true }, 'import')).toThrow(/evil/);
    try {
      parseOrThrow(ImportDatasetRequestSchema, { dir: '' }, 'import');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkbenchError);
      expect((err as WorkbenchError).code).toBe('INVALID_INPUT');
      expect((err as WorkbenchError).message).toContain('a folder path is required');
    }
  });

  it('round-trips errors through the wire shape', () => {
    const shape = toErrorShape(new WorkbenchError('NOT_FOUND', 'no dataset with id 7', { id: 7 }));
    expect(shape).toEqual({ code: 'NOT_FOUND', message: 'no dataset with id 7', details: { id: 7 } });
    const back = fromErrorShape(shape);
    expect(back.code).toBe('NOT_FOUND');
    expect(toErrorShape(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toErrorShape({ code: 'NOPE', message: 'x' })).toEqual({ code: 'INTERNAL', message: '[object Object]' });
  });
});
