// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import { useRunsStore } from '../../src/renderer/src/stores/runs';
import { sweepParallelOption } from '../../src/renderer/src/charts/sweep-parallel';
import RunEvaluation from '../../src/renderer/src/components/runs/RunEvaluation.vue';
import RunReconstruction from '../../src/renderer/src/components/runs/RunReconstruction.vue';
import SweepsView from '../../src/renderer/src/views/SweepsView.vue';
import type { SweepRecord, SweepRun } from '../../src/shared/schemas/sweep';
import { chartStub } from './chart-stub';
import { fakeApi } from './fake-api';

const row = (
  index: number,
  queueSize: number,
  best: number | null,
  status = 'completed',
): SweepRun => ({
  index,
  settings: { queueSize, temperature: 0.2 },
  experimentId: index + 1,
  runId: best === null ? null : index + 10,
  status,
  finalLoss: best === null ? null : 3 - index,
  knnAccuracy: best,
  bestKnnAccuracy: best,
  bestEpoch: best === null ? null : 4,
});
const sweep: SweepRecord = {
  sweepId: 1,
  name: 'queue',
  search: 'grid',
  fields: ['queueSize', 'temperature'],
  createdAt: 'now',
  status: 'running',
  runs: [row(0, 64, 0.5), row(1, 4096, 0.75), row(2, 16384, null, 'queued')],
  best: row(1, 4096, 0.75),
  config: {},
};

beforeEach(() => setActivePinia(createPinia()));

describe('sweep parallel coordinates', () => {
  it('one category axis per field in sweep order, a kNN axis, one line per run with a kNN', () => {
    const option = sweepParallelOption(sweep, false) as {
      parallelAxis: { name: string; type: string; data?: string[] }[];
      series: { data: { value: unknown[] }[] }[];
    };
    expect(option.parallelAxis.map((a) => a.name)).toEqual([
      'queueSize',
      'temperature',
      'best kNN',
    ]);
    expect(option.parallelAxis[0]?.data).toEqual(['64', '4096', '16384']);
    expect(option.series[0]?.data.map((d) => d.value)).toEqual([
      ['64', '0.2', 0.5],
      ['4096', '0.2', 0.75],
    ]);
  });
});

describe('SweepsView', () => {
  it('shows the runs table, the best run, and starts a sweep from the JSON box', async () => {
    const api = fakeApi({
      'sweeps:list': () => [sweep],
      'sweeps:start': () => ({ sweepId: 1 }),
    });
    setApiClient(api.client);
    const chart = chartStub();
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/sweeps', component: SweepsView },
        { path: '/runs', component: { template: '<div />' } },
      ],
    });
    await router.push('/sweeps');
    const wrapper = mount(SweepsView, { global: { plugins: [router], stubs: chart.stubs } });
    await flushPromises();
    const rows = wrapper.findAll('[data-testid="sweep-table"] tbody tr');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.text()).toContain('4096');
    expect(rows[1]!.text()).toContain('75.00 %');
    expect(rows[2]!.text()).toContain('queued');
    expect(wrapper.get('[data-testid="sweep-best"]').text()).toContain('run 11');
    const option = wrapper.findComponent({ name: 'VChart' }).props('option') as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(option['series'])).toContain('"parallel"');

    await wrapper.get('[data-testid="sweep-json"]').setValue('{ not json');
    await wrapper.get('[data-testid="sweep-start"]').trigger('click');
    expect(api.calls.some((c) => c.channel === 'sweeps:start')).toBe(false);
    await wrapper.get('[data-testid="sweep-json"]').setValue(
      JSON.stringify({
        experiment: { datasetId: 1, method: 'moco' },
        fields: { queueSize: [64] },
      }),
    );
    await wrapper.get('[data-testid="sweep-start"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'sweeps:start')?.request).toMatchObject({
      fields: { queueSize: [64] },
    });
    wrapper.unmount();
  });
});

describe('RunEvaluation', () => {
  it('shows kNN beside linear-probe and fine-tune scores it asks for, each with its references', async () => {
    const api = fakeApi({
      'runs:evaluate': ({ runId, protocol, labelFraction }) => ({
        runId,
        protocol,
        labelFraction: protocol === 'finetune' ? (labelFraction ?? null) : null,
        accuracy: protocol === 'linear' ? 0.5 : 0.625,
        baselines:
          protocol === 'linear'
            ? { randomInit: 0.375, rawPixels: 0.4375 }
            : { randomInit: 0.3125, rawPixels: 0.5625 },
      }),
      'runs:baselines': ({ runId }) => ({
        runId,
        classes: 4,
        chance: 0.25,
        randomInit: 0.125,
        rawPixels: 0.1875,
        encoder: 'small×1@32px',
        k: 200,
      }),
    });
    setApiClient(api.client);
    const wrapper = mount(RunEvaluation, {
      props: { runId: 3, knnAccuracy: 0.25, finished: true },
    });
    const references = (key: string) =>
      wrapper.get(`[data-testid="eval-${key}-references"]`).text();
    expect(wrapper.get('[data-testid="eval-knn"]').text()).toBe('25.00 %');
    expect(wrapper.get('[data-testid="eval-finetune"]').text()).toBe('—');
    expect(references('linear')).toBe('random init — · raw pixels —');
    await useRunsStore().select(3);
    await wrapper.get('[data-testid="eval-linear-run"]').trigger('click');
    await wrapper.get('[data-testid="eval-finetune-run"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="eval-linear"]').text()).toBe('50.00 %');
    expect(wrapper.get('[data-testid="eval-finetune"]').text()).toBe('62.50 %');
    expect(references('knn')).toBe('random init 12.50 % · raw pixels 18.75 %');
    expect(references('linear')).toBe('random init 37.50 % · raw pixels 43.75 %');
    expect(references('finetune')).toBe('random init 31.25 % · raw pixels 56.25 %');
    expect(
      api.calls.find(
        (c) => c.request && (c.request as { protocol?: string }).protocol === 'finetune',
      )?.request,
    ).toMatchObject({ runId: 3, labelFraction: 0.1 });
  });
});

describe('RunReconstruction', () => {
  it('shows input, corrupted and output images of the run', async () => {
    const png = (tag: string) => `data:image/png;base64,${tag}`;
    const api = fakeApi({
      'runs:reconstruction': ({ runId }) => ({
        runId,
        rows: [1, 2].map((i) => ({
          input: png(`in${i}`),
          corrupted: png(`c${i}`),
          output: png(`out${i}`),
        })),
      }),
    });
    setApiClient(api.client);
    const wrapper = mount(RunReconstruction, { props: { runId: 9 } });
    await flushPromises();
    const images = wrapper
      .findAll('[data-testid="run-reconstruction"] img')
      .map((i) => i.attributes('src'));
    expect(images).toEqual([
      png('in1'),
      png('c1'),
      png('out1'),
      png('in2'),
      png('c2'),
      png('out2'),
    ]);
    expect(api.calls[0]).toMatchObject({ channel: 'runs:reconstruction', request: { runId: 9 } });
  });
});
