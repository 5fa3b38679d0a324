import { describe, expect, it } from 'vitest';
import { CALL_CHANNELS } from '../../../src/shared/api';
import { WorkbenchError } from '../../../src/shared/errors';
import type { CallHandlers } from '../../../src/main/services/index';
import { createDispatch } from '../../../src/main/services/dispatch';

function handlers(overrides: Partial<CallHandlers> = {}): CallHandlers {
  const unused = () => {
    throw new Error('not used in this test');
  };
  const base = Object.fromEntries(CALL_CHANNELS.map((c) => [c, unused])) as unknown as CallHandlers;
  return {
    ...base,
    'system:info': () => ({ name: 'x', version: '1', home: '/h', front: 'browser' }),
    'datasets:list': () => [],
    'datasets:get': (p) => {
      throw new WorkbenchError('NOT_FOUND', `no dataset with id ${p.datasetId}`);
    },
    ...overrides,
  };
}

describe('dispatch', () => {
  const dispatch = createDispatch(handlers());

  it('answers a valid call', async () => {
    expect(await dispatch('datasets:list', {})).toEqual({ ok: true, result: [] });
  });

  it('refuses an unknown channel', async () => {
    const out = await dispatch('datasets:drop', {});
    expect(out).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatch(42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('refuses a malformed payload before the handler runs', async () => {
    let ran = false;
    const d = createDispatch(handlers({ 'datasets:get': () => ((ran = true), undefined as never) }));
    const out = await d('datasets:get', { datasetId: 'seven' });
    expect(out).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(ran).toBe(false);
    expect(await d('datasets:get', 'not an object')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('carries a typed error from the service', async () => {
    expect(await dispatch('datasets:get', { datasetId: 7 })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no dataset with id 7' },
    });
  });

  it('turns an unexpected exception into INTERNAL without throwing', async () => {
    const d = createDispatch(handlers({ 'datasets:list': () => Promise.reject(new Error('disk on fire')) }));
    expect(await d('datasets:list', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
  });
});
