// @vitest-environment happy-dom
/** Issue 17 §7: the Export view never tells its user to "use --force"; it names its own checkbox. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromErrorShape, WorkbenchError } from '../../src/shared/errors';
import { setApiClient } from '../../src/renderer/src/api/client';
import { useExportsStore } from '../../src/renderer/src/stores/exports';
import { fakeApi } from './fake-api';

beforeEach(() => setActivePinia(createPinia()));

describe('export into a non-empty folder', () => {
  it('the Export view names the checkbox, not --force', async () => {
    // As atomic-dir.ts throws it (test/main/export/atomic-dir.test.ts checks the details), after the boundary.
    const crossed = fromErrorShape(
      new WorkbenchError('CONFLICT', 'output folder "/tmp/out" is not empty; choose another folder or use --force to replace it', { reason: 'output-not-empty', path: '/tmp/out' }).toJSON(),
    );
    const api = fakeApi({
      'exports:create': () => {
        throw crossed;
      },
      'exports:list': () => [],
    });
    setApiClient(api.client);
    const store = useExportsStore();
    await store.create({ runId: 1, format: 'onnx', outDir: '/tmp/out', force: false });
    expect(store.error).toBe('output folder "/tmp/out" is not empty; choose another folder or tick “replace the folder if it is not empty”');
  });
});
