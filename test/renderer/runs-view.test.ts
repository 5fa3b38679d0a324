// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import RunsView from '../../src/renderer/src/views/RunsView.vue';
import type { Run } from '../../src/shared/schemas/runs';
import { chartStub } from './chart-stub';
import { fakeApi } from './fake-api';

const run = (id: number, status: Run['status'], extra: Partial<Run> = {}): Run => ({
  id,
  experimentId: id,
  experimentName: `exp ${id}`,
  method: 'simclr',
  datasetId: 1,
  status,
  backend: 'wasm',
  device: null,
  backendReason: 'no GPU',
  error: null,
  summary: {},
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: null,
  ...extra,
});

function makeRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/runs', component: RunsView },
      { path: '/experiments', component: { template: '<div />' } },
    ],
  });
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.useRealTimers());

describe('RunsView', () => {
  it('offers the designer when there is no run', async () => {
    const api = fakeApi({ 'runs:list': () => [] });
    setApiClient(api.client);
    const router = makeRouter();
    await router.push('/runs');
    const wrapper = mount(RunsView, { global: { plugins: [router], stubs: chartStub().stubs } });
    await flushPromises();
    expect(wrapper.get('[data-testid="empty-state"]').text()).toContain('No runs yet');
  });

  it('selects the run from the URL, draws stored metrics, then merges live points without resetting the chart', async () => {
    // Fake timeouts from the start: the chart's throttle timer set by the first (load) patch must be one the test can advance.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const runs = [run(1, 'completed'), run(2, 'running')];
    const api = fakeApi({
      'runs:list': () => runs,
      'runs:get': ({ runId }) => runs.find((r) => r.id === runId)!,
      'runs:metrics': () => ({
        loss: [{ step: 1, epoch: 0.5, value: 2.5 }],
        learning_rate: [],
        images_per_second: [],
        knn_accuracy: [],
        epoch_loss: [],
      }),
      'previews:list': () => [
        {
          id: 7,
          datasetId: 1,
          runId: 2,
          kind: 'run-start',
          seed: 0,
          createdAt: 'now',
          grid: 'data:image/png;base64,AA==',
        },
      ],
    });
    setApiClient(api.client);
    const chart = chartStub();
    const router = makeRouter();
    await router.push('/runs?run=2');
    const wrapper = mount(RunsView, { global: { plugins: [router], stubs: chart.stubs } });
    await flushPromises();

    expect(api.calls.find((c) => c.channel === 'runs:metrics')?.request).toMatchObject({
      runId: 2,
    });
    expect(wrapper.get('[data-testid="run-detail-2"]').text()).toContain('wasm');
    expect(wrapper.get('[data-testid="run-previews"] img').attributes('src')).toContain(
      'data:image/png',
    );
    const lossCalls = () =>
      chart.calls.filter((c) => JSON.stringify(c.option.series).includes('"epoch_loss"'));
    // The loss chart got its full option once (notMerge) with the stored point.
    const resets = lossCalls().filter((c) => c.notMerge === true);
    expect(resets.length).toBeGreaterThan(0);
    expect(wrapper.get('[data-testid="latest-loss"]').text()).toBe('2.500');

    api.emit('runs:progress', {
      runId: 2,
      step: 2,
      epoch: 1,
      loss: 2.25,
      learningRate: 0.001,
      imagesPerSecond: 50,
      etaSeconds: 12,
      stepsPerEpoch: 2,
    });
    api.emit('runs:progress', {
      runId: 2,
      step: 3,
      epoch: 1.5,
      loss: 2.0,
      learningRate: 0.001,
      imagesPerSecond: 50,
      etaSeconds: 6,
      stepsPerEpoch: 2,
    });
    api.emit('runs:epoch', { runId: 2, epoch: 1, step: 3, knnAccuracy: 0.5, meanLoss: 2.1 });
    await flushPromises();
    vi.advanceTimersByTime(300);
    await flushPromises();

    const patches = lossCalls().filter((c) => c.notMerge === false);
    expect(patches.length).toBeGreaterThan(0);
    const last = patches.at(-1)!.option as { series: { id: string; data: number[][] }[] };
    expect(Object.keys(last)).toEqual(['series']);
    expect(last.series.find((s) => s.id === 'loss')!.data.map((p) => p[0])).toEqual([1, 2, 3]);
    expect(last.series.find((s) => s.id === 'epoch_loss')!.data).toEqual([[3, 2.1]]);
    expect(lossCalls().filter((c) => c.notMerge === true)).toHaveLength(resets.length);
    expect(wrapper.get('[data-testid="latest-knn"]').text()).toBe('50.0%');
    expect(wrapper.get('[data-testid="run-progress"]').text()).toContain('ETA 0:06');
  });

  it('enables the controls the status allows and calls them', async () => {
    let status: Run['status'] = 'running';
    const api = fakeApi({
      'runs:list': () => [run(3, status)],
      'runs:get': () => run(3, status),
      'runs:metrics': () => ({}),
      'previews:list': () => [],
      'runs:pause': () => {
        status = 'paused';
        return { ok: true as const };
      },
    });
    setApiClient(api.client);
    const router = makeRouter();
    await router.push('/runs');
    const wrapper = mount(RunsView, { global: { plugins: [router], stubs: chartStub().stubs } });
    await flushPromises();
    const disabled = (id: string) =>
      wrapper.get(`[data-testid="${id}"]`).attributes('disabled') !== undefined;
    expect([disabled('run-pause'), disabled('run-resume'), disabled('run-cancel')]).toEqual([
      false,
      true,
      false,
    ]);
    await wrapper.get('[data-testid="run-pause"]').trigger('click');
    await flushPromises();
    expect(api.calls.some((c) => c.channel === 'runs:pause')).toBe(true);
    expect([disabled('run-pause'), disabled('run-resume'), disabled('run-cancel')]).toEqual([
      true,
      false,
      false,
    ]);
    api.emit('runs:state', { runId: 3, status: 'cancelled' });
    await flushPromises();
    expect(wrapper.get('[data-testid="run-status"]').text()).toBe('paused');
  });

  it('overlays the ticked runs in the comparison chart', async () => {
    const api = fakeApi({
      'runs:list': () => [
        run(1, 'completed', { experiment: { method: 'simclr', batchSize: 32 } }),
        run(2, 'completed', { name: 'bigger batch', experiment: { method: 'simclr', batchSize: 64 } }),
      ],
      'runs:get': ({ runId }) => run(runId, 'completed'),
      'runs:metrics': ({ runId }) => ({
        loss: [{ step: 1, epoch: 1, value: runId }],
        knn_accuracy: [{ step: 1, epoch: 1, value: 0.5 }],
      }),
      'previews:list': () => [],
    });
    setApiClient(api.client);
    const chart = chartStub();
    const router = makeRouter();
    await router.push('/runs');
    const wrapper = mount(RunsView, { global: { plugins: [router], stubs: chart.stubs } });
    await flushPromises();
    await wrapper.get('[data-testid="compare-1"]').setValue(true);
    await wrapper.get('[data-testid="compare-2"]').setValue(true);
    await flushPromises();
    const compare = chart.calls.filter(
      (c) => c.notMerge === true && JSON.stringify(c.option.series ?? []).includes('knn-2'),
    );
    expect(compare.length).toBeGreaterThan(0);
    const series = compare.at(-1)!.option['series'] as { id: string; data: number[][] }[];
    expect(series.map((s) => s.id)).toEqual(['loss-1', 'knn-1', 'loss-2', 'knn-2']);
    expect(series[2]!.data).toEqual([[1, 2, 1]]);
    // Near the top, legend by run name, and the config diff of the compared runs.
    const legend = compare.at(-1)!.option['legend'] as { data: string[] };
    expect(legend.data).toEqual(['#1 exp 1', '#2 bigger batch']);
    const diff = wrapper.get('[data-testid="compare-diff"]');
    expect(diff.text()).toContain('batchSize');
    expect(diff.text()).toMatch(/32\s*64/);
    const html = wrapper.html();
    expect(html.indexOf('data-testid="run-compare"')).toBeLessThan(html.indexOf('data-testid="run-detail-'));
  });
});
