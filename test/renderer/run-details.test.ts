// @vitest-environment happy-dom
/** Run page (issue 17 §2): config, rename / tag / note, downloads, delete with confirmation, cancel asks first. */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import RunsView from '../../src/renderer/src/views/RunsView.vue';
import type { Run } from '../../src/shared/schemas/runs';
import { chartStub } from './chart-stub';
import { fakeApi } from './fake-api';

const base = (id: number, status: Run['status'], extra: Partial<Run> = {}): Run => ({
  id,
  experimentId: id,
  experimentName: `exp ${id}`,
  method: 'moco',
  datasetId: 1,
  status,
  backend: 'wasm',
  device: 'xnnpack 2 threads',
  backendReason: '',
  error: null,
  summary: {},
  experiment: { datasetId: 1, method: 'moco', batchSize: 32, methodOverrides: { queueSize: 512 } },
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: null,
  name: null,
  tags: [],
  note: '',
  ...extra,
});

async function mountWith(runs: Run[], extra: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    'runs:list': () => [...runs],
    'runs:get': ({ runId }) => runs.find((r) => r.id === runId)!,
    'runs:metrics': () => ({}),
    'previews:list': () => [],
    'datasets:list': () => [],
    ...extra,
  });
  setApiClient(api.client);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/runs', component: RunsView }] });
  await router.push(`/runs?run=${runs[0]!.id}`);
  const wrapper = mount(RunsView, { global: { plugins: [router], stubs: chartStub().stubs } });
  await flushPromises();
  return { api, wrapper };
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.restoreAllMocks());

describe('run page', () => {
  it('shows the full config, backend and device', async () => {
    const { wrapper } = await mountWith([base(1, 'completed')]);
    expect(wrapper.get('[data-testid="run-backend"]').text()).toBe('wasm · xnnpack 2 threads');
    expect(wrapper.get('[data-testid="run-config"]').text()).toContain('"queueSize": 512');
  });

  it('asks before cancelling, and a cancelled run is not offered Resume', async () => {
    const runs = [base(2, 'running')];
    const { api, wrapper } = await mountWith(runs, { 'runs:cancel': () => ({ ok: true as const }) });
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    window.confirm = confirm;
    await wrapper.get('[data-testid="run-cancel"]').trigger('click');
    await flushPromises();
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(api.calls.some((c) => c.channel === 'runs:cancel')).toBe(false);
    await wrapper.get('[data-testid="run-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.filter((c) => c.channel === 'runs:cancel')).toHaveLength(1);
    runs[0] = base(2, 'cancelled');
    api.emit('runs:state', { runId: 2, status: 'cancelled' });
    await flushPromises();
    expect(wrapper.get('[data-testid="run-resume"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="run-status"]').text()).toBe('cancelled');
    expect(wrapper.find('[data-testid="run-cancelled-note"]').exists()).toBe(true);
  });

  it('renames, tags and annotates a run', async () => {
    const runs = [base(3, 'completed')];
    const { api, wrapper } = await mountWith(runs, {
      'runs:annotate': (r) => base(3, 'completed', { name: r.name ?? null, tags: r.tags ?? [], note: r.note ?? '' }),
    });
    await wrapper.get('[data-testid="run-name"]').setValue('queue 512');
    await wrapper.get('[data-testid="run-tags"]').setValue('moco, baseline ,');
    await wrapper.get('[data-testid="run-note"]').setValue('the reference');
    await wrapper.get('[data-testid="run-save"]').trigger('submit');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'runs:annotate')?.request).toEqual({ runId: 3, name: 'queue 512', tags: ['moco', 'baseline'], note: 'the reference' });
    expect(wrapper.get('h2').text()).toContain('queue 512');
  });

  it('downloads the metrics in each format as a file', async () => {
    const { api, wrapper } = await mountWith([base(4, 'completed')], {
      'runs:metrics-file': ({ runId, format }) => ({ fileName: `run-${runId}.${format}`, mimeType: 'text/csv', base64: btoa('step,epoch,name,value,wall_time\n') }),
    });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    for (const f of ['csv', 'json', 'tensorboard']) {
      await wrapper.get(`[data-testid="run-download-${f}"]`).trigger('click');
      await flushPromises();
    }
    expect(api.calls.filter((c) => c.channel === 'runs:metrics-file').map((c) => c.request)).toEqual([
      { runId: 4, format: 'csv' },
      { runId: 4, format: 'json' },
      { runId: 4, format: 'tensorboard' },
    ]);
    expect(clicked).toEqual(['run-4.csv', 'run-4.json', 'run-4.tensorboard']);
  });

  it('deletes only after confirmation, and never a running run', async () => {
    const runs = [base(5, 'completed'), base(6, 'running')];
    const { api, wrapper } = await mountWith(runs, { 'runs:delete': ({ runId }) => ({ runId, checkpointsRemoved: 2 }) });
    window.confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    await wrapper.get('[data-testid="run-delete"]').trigger('click');
    await flushPromises();
    expect(api.calls.some((c) => c.channel === 'runs:delete')).toBe(false);
    await wrapper.get('[data-testid="run-delete"]').trigger('click');
    await flushPromises();
    expect(api.calls.filter((c) => c.channel === 'runs:delete').map((c) => c.request)).toEqual([{ runId: 5 }]);
    // The selection moved to the running run, which cannot be deleted.
    expect(wrapper.find('[data-testid="run-detail-6"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="run-delete"]').attributes('disabled')).toBeDefined();
  });
});
