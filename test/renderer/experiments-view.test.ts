// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import ExperimentsView from '../../src/renderer/src/views/ExperimentsView.vue';
import type { Dataset } from '../../src/shared/schemas/datasets';
import { WorkbenchError } from '../../src/shared/errors';
import { fakeApi } from './fake-api';

const dataset: Dataset = {
  id: 4,
  name: 'shapes',
  rootPath: '/data/shapes',
  kind: 'folder',
  imageSize: 32,
  channels: 3,
  numImages: 12,
  numSkipped: 0,
  classes: ['a', 'b'],
  valFraction: 0.25,
  seed: 0,
  createdAt: '2026-01-01T00:00:00Z',
};
const presets = {
  augment: [
    { name: 'simclr', spec: {} },
    { name: 'moco-v2', spec: {} },
  ],
  methods: [
    {
      name: 'simclr',
      config: {
        method: 'simclr',
        encoder: { name: 'small', widthMultiplier: 1, batchNormMomentum: 0.9 },
        head: [{ units: 8, batchNorm: false, activation: 'linear', bias: true }],
        temperature: 0.5,
      },
    },
    {
      name: 'moco',
      config: {
        method: 'moco',
        encoder: { name: 'small', widthMultiplier: 1, batchNormMomentum: 0.9 },
        head: [{ units: 8, batchNorm: false, activation: 'linear', bias: true }],
        temperature: 0.2,
        queueSize: 64,
        momentum: 0.99,
      },
      knobs: { queueSize: 'K keys kept as negatives (MoCo: 65536).' },
    },
  ],
};

type Warned = { warnings: { field: string; message: string }[]; views: { name: string; count: number; size: number }[] };

function setup(
  start: () => { runId: number; experimentId: number },
  save: () => { id: number; warnings: { field: string; message: string }[] } = () => ({ id: 1, warnings: [] }),
  warnings: (request: { method: string }) => Warned = () => ({ warnings: [], views: [] }),
) {
  const api = fakeApi({
    'datasets:list': () => [dataset],
    'presets:list': () => presets,
    'runs:start': start,
    'experiments:save': save,
    'experiments:warnings': warnings,
  });
  setApiClient(api.client);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/experiments', component: ExperimentsView },
      { path: '/runs', component: { template: '<div />' } },
      { path: '/datasets', component: { template: '<div />' } },
      { path: '/export', component: { template: '<div />' } },
    ],
  });
  return { api, router };
}

beforeEach(() => setActivePinia(createPinia()));

describe('ExperimentsView', () => {
  it('explains the chosen method and shows its preset hyper-parameters', async () => {
    const { router } = setup(() => ({ runId: 1, experimentId: 1 }));
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="method-notes"]').text()).toContain('other 2N−2 views');
    await wrapper.get('[data-testid="designer-method"]').setValue('moco');
    await flushPromises();
    expect(wrapper.get('[data-testid="method-notes"]').text()).toContain('FIFO queue');
    expect((wrapper.get('[data-testid="field-queueSize"]').element as HTMLInputElement).value).toBe(
      '64',
    );
    // The knob's one-line explanation comes with the preset (one source) and shows as a tooltip.
    expect(wrapper.get('[data-testid="hint-queueSize"]').attributes('aria-label')).toBe('K keys kept as negatives (MoCo: 65536).');
    expect(wrapper.find('[data-testid="hint-momentum"]').exists()).toBe(false);
  });

  it('shows schema errors inline and keeps Start disabled until they are fixed', async () => {
    const { api, router } = setup(() => ({ runId: 1, experimentId: 1 }));
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('1');
    expect(wrapper.text()).toContain('batchSize must be ≥ 2');
    expect(wrapper.get('[data-testid="field-batchSize"]').attributes('aria-invalid')).toBe('true');
    await wrapper.get('[data-testid="field-batchSize"]').setValue('40');
    expect(wrapper.text()).toContain('batch size is larger than the dataset (12 images)');
    expect(wrapper.get('[data-testid="designer-start"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="designer-save"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="designer-form"]').trigger('submit');
    await wrapper.get('[data-testid="designer-save"]').trigger('click');
    await flushPromises();
    expect(api.calls.some((c) => c.channel === 'runs:start')).toBe(false);
    expect(api.calls.some((c) => c.channel === 'experiments:save')).toBe(false);
    expect(wrapper.find('[data-testid="designer-saved"]').exists()).toBe(false);
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    expect(wrapper.get('[data-testid="designer-save"]').attributes('disabled')).toBeUndefined();
  });

  it('starts a valid experiment and opens it in the Runs view', async () => {
    const { api, router } = setup(() => ({ runId: 9, experimentId: 3 }));
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    await wrapper.get('[data-testid="field-epochs"]').setValue('2');
    await wrapper.get('[data-testid="field-temperature"]').setValue('0.3');
    await wrapper.get('[data-testid="designer-start"]').trigger('submit');
    await flushPromises();
    const request = api.calls.find((c) => c.channel === 'runs:start')?.request;
    expect(request).toMatchObject({
      datasetId: 4,
      method: 'simclr',
      batchSize: 4,
      epochs: 2,
      methodOverrides: { temperature: 0.3 },
    });
    expect(router.currentRoute.value.fullPath).toBe('/runs?run=9');
  });

  it('saves a valid experiment without running it and points to its PyTorch project export', async () => {
    const { api, router } = setup(
      () => ({ runId: 9, experimentId: 3 }),
      () => ({ id: 7, warnings: [] }),
    );
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="designer-name"]').setValue('for the cluster');
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    await wrapper.get('[data-testid="field-epochs"]').setValue('200');
    await wrapper.get('[data-testid="designer-save"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'experiments:save')?.request).toMatchObject({
      name: 'for the cluster',
      datasetId: 4,
      method: 'simclr',
      batchSize: 4,
      epochs: 200,
    });
    expect(api.calls.some((c) => c.channel === 'runs:start')).toBe(false);
    expect(router.currentRoute.value.path).toBe('/experiments');
    const confirmation = wrapper.get('[data-testid="designer-saved"]');
    expect(confirmation.text()).toContain('Saved as experiment 7, without a run');
    expect(confirmation.text()).toContain('Export → PyTorch project');
    expect(confirmation.text()).toContain('cwb export --experiment 7 --format pytorch-project');
    expect(wrapper.get('[data-testid="designer-saved-export"]').attributes('href')).toBe(
      '/export?format=pytorch-project&experiment=7',
    );
  });

  it('shows the warnings of experiments:warnings beside their fields, and what training builds', async () => {
    const { api, router } = setup(
      () => ({ runId: 1, experimentId: 1 }),
      undefined,
      (request) =>
        request.method === 'moco'
          ? {
              warnings: [
                { field: 'methodOverrides.queueSize', message: 'the MoCo queue (2 keys) is smaller than one batch (4)' },
                { field: 'batchSize', message: 'batch size 4 is close to the training split' },
              ],
              views: [{ name: 'view', count: 2, size: 16 }],
            }
          : { warnings: [], views: [] },
    );
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    await wrapper.get('[data-testid="designer-method"]').setValue('moco');
    await new Promise((r) => setTimeout(r, 400));
    await flushPromises();
    expect(wrapper.get('[data-testid="warning-queueSize"]').text()).toContain('smaller than one batch (4)');
    expect(wrapper.get('[data-testid="warning-batchSize"]').text()).toContain('close to the training split');
    expect(wrapper.get('[data-testid="designer-views"]').text()).toContain('2 × view 16 px');
    // Warnings never block: the run can still start.
    expect(wrapper.get('[data-testid="designer-start"]').attributes('disabled')).toBeUndefined();
    expect(api.calls.filter((c) => c.channel === 'experiments:warnings').at(-1)?.request).toMatchObject({ method: 'moco', batchSize: 4 });
    await wrapper.get('[data-testid="designer-method"]').setValue('simclr');
    await new Promise((r) => setTimeout(r, 400));
    await flushPromises();
    expect(wrapper.find('[data-testid="warning-queueSize"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="warning-batchSize"]').exists()).toBe(false);
  });

  it('drops the "Saved" note and the estimate when the method, the dataset or a Reset changes the draft', async () => {
    const { api, router } = setup(
      () => ({ runId: 9, experimentId: 3 }),
      () => ({ id: 7, warnings: [] }),
    );
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    await wrapper.get('[data-testid="designer-save"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="designer-saved"]').exists()).toBe(true);
    await wrapper.get('[data-testid="designer-method"]').setValue('moco');
    await flushPromises();
    expect(wrapper.find('[data-testid="designer-saved"]').exists()).toBe(false);
    await wrapper.get('[data-testid="designer-save"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="designer-saved"]').exists()).toBe(true);
    await wrapper.findAll('button').find((b) => b.text() === 'Reset')!.trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="designer-saved"]').exists()).toBe(false);
    expect(api.calls.filter((c) => c.channel === 'experiments:save')).toHaveLength(2);
  });

  it('shows the error of a refused save and no confirmation', async () => {
    const { router } = setup(
      () => ({ runId: 9, experimentId: 3 }),
      () => {
        throw new WorkbenchError('NOT_FOUND', 'datasetId: no dataset with id 4');
      },
    );
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    await wrapper.get('[data-testid="designer-save"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('no dataset with id 4');
    expect(wrapper.find('[data-testid="designer-saved"]').exists()).toBe(false);
  });

  it('offers a gradient-cache chunk for simclr only, validates it and sends it', async () => {
    const { api, router } = setup(() => ({ runId: 2, experimentId: 2 }));
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('4');
    await wrapper.get('[data-testid="field-gradientCacheChunk"]').setValue('3');
    expect(wrapper.text()).toContain('gradientCache.chunkSize 3 must divide the 8 views of a step');
    expect(wrapper.get('[data-testid="designer-start"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="field-gradientCacheChunk"]').setValue('4');
    await wrapper.get('[data-testid="designer-start"]').trigger('submit');
    await flushPromises();
    const request = api.calls.find((c) => c.channel === 'runs:start')?.request;
    expect(request).toMatchObject({
      method: 'simclr',
      batchSize: 4,
      gradientCache: { chunkSize: 4 },
    });
    await wrapper.get('[data-testid="designer-method"]').setValue('moco');
    await flushPromises();
    expect(wrapper.find('[data-testid="field-gradientCacheChunk"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="designer-json"]').text()).not.toContain('gradientCache');
  });

  it('shows the error of a refused start', async () => {
    const { router } = setup(() => {
      throw new WorkbenchError('INVALID_INPUT', 'batchSize: 10 is larger than the training split');
    });
    await router.push('/experiments');
    const wrapper = mount(ExperimentsView, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('[data-testid="field-batchSize"]').setValue('10');
    await wrapper.get('[data-testid="designer-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('larger than the training split');
    expect(router.currentRoute.value.path).toBe('/experiments');
  });
});
